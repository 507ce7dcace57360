"""Pages of the department's legacy technology register: department roles only (accounts/policy.py)."""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.views.decorators.http import require_http_methods, require_POST

from schooltech.accounts import policy
from schooltech.core import spreadsheets
from schooltech.core.dates import govuk_date
from schooltech.core.pagination import page_of
from schooltech.legacy import exports, importers, scoring, selectors, services
from schooltech.legacy import forms as legacy_forms
from schooltech.legacy import matrix as risk_value_matrix
from schooltech.legacy.forms import CriterionScoreForm, DecisionForm, MilestoneForm
from schooltech.legacy.models import Directorate, PrincipleAssessment, Value

PAGE_SIZE = 25
DIRECTORATES = [("", "All directorates"), *Directorate.choices]
RATINGS = [("", "All ratings")] + [(rating, rating.capitalize()) for rating in scoring.RATINGS]


def _filters(request) -> dict[str, str]:
    directorate = request.GET.get("directorate", "")
    rating = request.GET.get("rating", "")
    return {
        "directorate": directorate if directorate in Directorate.values else "",
        "rating": rating if rating in scoring.RATINGS else "",
    }


@policy.requires_department("view_legacy")
def register(request):
    filters = _filters(request)
    today = timezone.localdate()
    risks = selectors.register(today=today, **filters)
    context = {
        "page": page_of(risks, request, PAGE_SIZE),
        "count": len(risks),
        "filters": filters,
        "directorates": DIRECTORATES,
        "ratings": RATINGS,
        "overdue": list(selectors.overdue_milestones(today=today)),
        "may_edit": policy.can_department(request.user, "edit_legacy"),
    }
    return render(request, "legacy/register.html", context)


@policy.requires_department("view_legacy")
def service(request, service_id: int):
    found = _service_or_404(service_id)
    today = timezone.localdate()
    context = {
        "risk": selectors.risk_of(found, today=today),
        "service": found,
        "today": today,
        "decisions": selectors.decisions_of(found),
        "milestones": selectors.milestones_of(found),
        "history": selectors.score_history(found),
        "red_from": scoring.RED_FROM,
        "amber_from": scoring.AMBER_FROM,
        "may_score": policy.can_department(request.user, "score_legacy"),
        "may_decide": policy.can_department(request.user, "decide_legacy"),
        "may_edit": policy.can_department(request.user, "edit_legacy"),
        "principles": selectors.current_principles(),
        "principle_assessments": selectors.principle_assessments_of(found),
        "changes": selectors.changes_of(found),
    }
    return render(request, "legacy/service.html", context)


def _or_404(row, what: str):
    """The row a URL names, or 404 (selectors answer None for a missing id or another service's row)."""
    if row is None:
        raise Http404(f"No such {what}")
    return row


def _service_or_404(service_id: int):
    return _or_404(selectors.service_detail(service_id), "service")


@policy.requires_department("view_legacy")
def matrix(request):
    filters = _filters(request)
    risks = selectors.register(today=timezone.localdate(), **filters)
    context = {
        "matrix": risk_value_matrix.build(risks),
        "filters": filters,
        "directorates": DIRECTORATES,
        "ratings": RATINGS,
    }
    return render(request, "legacy/matrix.html", context)


# --- Forms: each is a page of questions, then check your answers, then saved ---------------------------
#
# The answers wait in the session between the two steps, keyed by the form's address; the check
# page validates them again before anything is written, so a stale or changed draft goes back to
# the form. Every write goes through services.py, which records who changed what and why.


def _draft_key(form_path: str) -> str:
    return f"legacy_draft:{form_path}"


def _raw(data) -> dict[str, list[str]]:
    return {key: data.getlist(key) for key in data if key != "csrfmiddlewaretoken"}


def _two_step(
    request,
    *,
    check: bool,
    make_form: Callable[..., forms.Form],
    initial: dict | None,
    save: Callable[[dict], object],
    heading: str,
    caption: str,
    back: str,
    done: str,
    done_message: str,
    button: str,
    intro: str = "",
):
    form_path = request.path.removesuffix("/check")
    check_path = f"{form_path}/check"
    key = _draft_key(form_path)
    draft = request.session.get(key)
    if not check:
        if request.method == "POST":
            form = make_form(data=request.POST)
            if form.is_valid():
                request.session[key] = _raw(request.POST)
                return redirect(check_path)
        elif draft:
            form = make_form(data=MultiValueDict(draft))
        else:
            form = make_form(initial=initial)
        context = {"form": form, "heading": heading, "caption": caption, "back": back, "intro": intro}
        context["button"] = "Continue"
        return render(request, "legacy/form.html", context, status=400 if form.errors else 200)
    form = make_form(data=MultiValueDict(draft)) if draft else None
    if form is None or not form.is_valid():
        return redirect(form_path)
    error = None
    if request.method == "POST":
        try:
            save(form.cleaned_data)
        except ValidationError as exc:
            error = "; ".join(exc.messages)
        else:
            request.session.pop(key, None)
            messages.success(request, done_message)
            return redirect(done)
    context = {
        "rows": legacy_forms.answers(form),
        "change": form_path,
        "heading": heading,
        "caption": caption,
        "button": button,
        "error": error,
    }
    return render(request, "legacy/check.html", context, status=400 if error else 200)


def _service_url(service) -> str:
    return reverse("legacy:service", kwargs={"service_id": service.pk})


@policy.requires_department("score_legacy")
def score(request, service_id: int, check: bool = False):
    found = _service_or_404(service_id)

    def save(cleaned):
        return services.criterion_score_set(actor=request.user, service=found, **cleaned)

    return _two_step(
        request,
        check=check,
        make_form=CriterionScoreForm,
        initial=None,
        save=save,
        heading="Score a criterion",
        caption=found.name,
        back=_service_url(found),
        done=_service_url(found),
        done_message="Score saved",
        button="Save score",
        intro=(
            "L1, L2 and L6 are worked out from the register. Score the others and impact here; the last "
            "score of each counts, and every score is kept in the history."
        ),
    )


@policy.requires_department("decide_legacy")
def decision_new(request, service_id: int, check: bool = False):
    found = _service_or_404(service_id)
    return _two_step(
        request,
        check=check,
        make_form=DecisionForm,
        initial=None,
        save=lambda cleaned: services.decision_record(actor=request.user, service=found, **cleaned),
        heading="Record a decision",
        caption=found.name,
        back=_service_url(found),
        done=_service_url(found),
        done_message="Decision recorded",
        button="Record decision",
    )


@policy.requires_department("decide_legacy")
def milestone_new(request, service_id: int, check: bool = False):
    found = _service_or_404(service_id)
    return _two_step(
        request,
        check=check,
        make_form=MilestoneForm,
        initial=None,
        save=lambda cleaned: services.milestone_add(actor=request.user, service=found, **cleaned),
        heading="Add a milestone",
        caption=found.name,
        back=_service_url(found),
        done=_service_url(found),
        done_message="Milestone added",
        button="Add milestone",
    )


@policy.requires_department("edit_legacy")
def service_new(request, check: bool = False):
    created = {}

    def save(cleaned):
        created["service"] = services.legacy_service_create(actor=request.user, **cleaned)
        return created["service"]

    register_url = reverse("legacy:register")
    response = _two_step(
        request,
        check=check,
        make_form=legacy_forms.ServiceForm,
        initial={"value": Value.MODERATE},
        save=save,
        heading="Add a service",
        caption="The department’s legacy technology",
        back=register_url,
        done=register_url,
        done_message="Service added",
        button="Add service",
    )
    if "service" in created:
        return redirect(_service_url(created["service"]))
    return response


@policy.requires_department("edit_legacy")
def service_edit(request, service_id: int, check: bool = False):
    found = _service_or_404(service_id)

    def make_form(**kwargs):
        return legacy_forms.ServiceForm(instance=found, **kwargs)

    def save(cleaned):
        return services.legacy_service_update(
            actor=request.user, service=found, integrations=list(cleaned.pop("integrations", []) or []), **cleaned
        )

    return _two_step(
        request,
        check=check,
        make_form=make_form,
        initial=legacy_forms.ServiceForm.initial_from(found),
        save=save,
        heading="Change the service’s details",
        caption=found.name,
        back=_service_url(found),
        done=_service_url(found),
        done_message="Service changed",
        button="Save changes",
    )


def _component_page(request, found, *, check, form_class, initial, save, what: str, adding: bool, button: str):
    return _two_step(
        request,
        check=check,
        make_form=form_class,
        initial=initial,
        save=save,
        heading=f"Add {what}" if adding else f"Change {what}",
        caption=found.name,
        back=_service_url(found),
        done=_service_url(found),
        done_message=f"{what[0].upper()}{what[1:]} {'added' if adding else 'changed'}",
        button=button,
    )


@policy.requires_department("edit_legacy")
def software_new(request, service_id: int, check: bool = False):
    found = _service_or_404(service_id)
    return _component_page(
        request,
        found,
        check=check,
        form_class=legacy_forms.SoftwareForm,
        initial=None,
        save=lambda cleaned: services.software_add(actor=request.user, service=found, **cleaned),
        what="software",
        adding=True,
        button="Add software",
    )


@policy.requires_department("edit_legacy")
def software_edit(request, service_id: int, software_id: int, check: bool = False):
    found = _service_or_404(service_id)
    software = _or_404(selectors.software_of(service_id=service_id, software_id=software_id), "software")
    return _component_page(
        request,
        found,
        check=check,
        form_class=legacy_forms.SoftwareForm,
        initial={"name": software.name, "version": software.version, "support_ends": software.support_ends},
        save=lambda cleaned: services.software_update(actor=request.user, software=software, **cleaned),
        what="software",
        adding=False,
        button="Save changes",
    )


@policy.requires_department("edit_legacy")
def vulnerability_new(request, service_id: int, software_id: int, check: bool = False):
    found = _service_or_404(service_id)
    software = _or_404(selectors.software_of(service_id=service_id, software_id=software_id), "software")
    return _component_page(
        request,
        found,
        check=check,
        form_class=legacy_forms.VulnerabilityForm,
        initial=None,
        save=lambda cleaned: services.vulnerability_add(actor=request.user, software=software, **cleaned),
        what=f"a vulnerability in {software}",
        adding=True,
        button="Record vulnerability",
    )


@policy.requires_department("edit_legacy")
def vulnerability_edit(request, service_id: int, software_id: int, vulnerability_id: int, check: bool = False):
    found = _service_or_404(service_id)
    vulnerability = _or_404(
        selectors.vulnerability_of(service_id=service_id, software_id=software_id, vulnerability_id=vulnerability_id),
        "vulnerability",
    )
    return _component_page(
        request,
        found,
        check=check,
        form_class=legacy_forms.VulnerabilityForm,
        initial={
            "reference": vulnerability.reference,
            "severity": vulnerability.severity,
            "fixed_on": vulnerability.fixed_on,
        },
        save=lambda cleaned: services.vulnerability_update(actor=request.user, vulnerability=vulnerability, **cleaned),
        what=f"vulnerability {vulnerability.reference}",
        adding=False,
        button="Save changes",
    )


@policy.requires_department("edit_legacy")
def contract_new(request, service_id: int, check: bool = False):
    found = _service_or_404(service_id)
    return _component_page(
        request,
        found,
        check=check,
        form_class=legacy_forms.ContractForm,
        initial=None,
        save=lambda cleaned: services.supplier_contract_add(actor=request.user, service=found, **cleaned),
        what="a supplier contract",
        adding=True,
        button="Add contract",
    )


@policy.requires_department("edit_legacy")
def contract_edit(request, service_id: int, contract_id: int, check: bool = False):
    found = _service_or_404(service_id)
    contract = _or_404(selectors.contract_of(service_id=service_id, contract_id=contract_id), "contract")
    return _component_page(
        request,
        found,
        check=check,
        form_class=legacy_forms.ContractForm,
        initial={
            "supplier": contract.supplier,
            "description": contract.description,
            "ends_on": contract.ends_on,
            "notice_by": contract.notice_by,
        },
        save=lambda cleaned: services.supplier_contract_update(actor=request.user, contract=contract, **cleaned),
        what=f"the {contract.supplier} contract",
        adding=False,
        button="Save changes",
    )


@policy.requires_department("decide_legacy")
@require_POST
def milestone_done(request, service_id: int, milestone_id: int):
    milestone = _or_404(selectors.milestone_of(service_id=service_id, milestone_id=milestone_id), "milestone")
    if milestone.done_on is None:
        services.milestone_complete(actor=request.user, milestone=milestone, done_on=timezone.localdate())
        messages.success(request, f"“{milestone.title}” marked as done")
    return redirect("legacy:service", service_id=service_id)


@policy.requires_department("decide_legacy")
def decision_edit(request, service_id: int, decision_id: int, check: bool = False):
    found = _service_or_404(service_id)
    decision = _or_404(selectors.decision_of(service_id=service_id, decision_id=decision_id), "decision")
    return _two_step(
        request,
        check=check,
        make_form=DecisionForm,
        initial={
            "kind": decision.kind,
            "rationale": decision.rationale,
            "approved_by": decision.approved_by,
            "decided_on": decision.decided_on,
        },
        save=lambda cleaned: services.decision_update(actor=request.user, decision=decision, **cleaned),
        heading="Change the decision",
        caption=found.name,
        back=_service_url(found),
        done=_service_url(found),
        done_message="Decision changed",
        button="Save changes",
    )


@policy.requires_department("decide_legacy")
def milestone_edit(request, service_id: int, milestone_id: int, check: bool = False):
    found = _service_or_404(service_id)
    milestone = _or_404(selectors.milestone_of(service_id=service_id, milestone_id=milestone_id), "milestone")
    return _two_step(
        request,
        check=check,
        make_form=MilestoneForm,
        initial={"title": milestone.title, "owner": milestone.owner, "due_on": milestone.due_on},
        save=lambda cleaned: services.milestone_update(actor=request.user, milestone=milestone, **cleaned),
        heading="Change the milestone",
        caption=found.name,
        back=_service_url(found),
        done=_service_url(found),
        done_message="Milestone changed",
        button="Save changes",
    )


# --- Deleting: a confirmation page; only its POST deletes ----------------------------------------------


def _confirm_delete(
    request,
    *,
    name: str,
    caption: str,
    delete: Callable[[], None],
    back: str,
    done: str,
    done_message: str,
    verb: str = "delete",
    lost: list[str] | None = None,
    notes: list[str] | None = None,
):
    """GET asks "Are you sure you want to delete <name>?" and says what goes with it; POST deletes."""
    if request.method == "POST":
        delete()
        messages.success(request, done_message)
        return redirect(done)
    context = {
        "heading": f"Are you sure you want to {verb} {name}?",
        "caption": caption,
        "lost": lost or [],
        "notes": notes or [],
        "button": f"Yes, {verb} it",
        "back": back,
    }
    return render(request, "legacy/delete.html", context)


def _confirm_component_delete(request, found, **options):
    """A component, decision or milestone of the service `found`: back to the service page either way."""
    return _confirm_delete(request, caption=found.name, back=_service_url(found), done=_service_url(found), **options)


@policy.requires_department("edit_legacy")
@require_http_methods(["GET", "POST"])
def service_delete(request, service_id: int):
    found = _service_or_404(service_id)
    integrated = selectors.integrated_by(found)
    notes = ["The scores, matrix, board summary and reminders no longer include it."]
    if integrated:
        names = ", ".join(other.name for other in integrated)
        notes.append(f"{names} {'integrates' if len(integrated) == 1 else 'integrate'} with it: only that link goes.")
    return _confirm_delete(
        request,
        name=found.name,
        caption="The department’s legacy technology",
        delete=lambda: services.legacy_service_delete(actor=request.user, service=found),
        back=_service_url(found),
        done=reverse("legacy:register"),
        done_message=f"{found.name} deleted",
        lost=selectors.what_goes_with(found),
        notes=notes,
    )


@policy.requires_department("edit_legacy")
@require_http_methods(["GET", "POST"])
def software_delete(request, service_id: int, software_id: int):
    found = _service_or_404(service_id)
    software = _or_404(selectors.software_of(service_id=service_id, software_id=software_id), "software")
    vulnerabilities = software.vulnerabilities.count()
    return _confirm_component_delete(
        request,
        found,
        name=str(software),
        delete=lambda: services.software_delete(actor=request.user, software=software),
        done_message=f"{software} deleted",
        lost=[f"{vulnerabilities:,} {'vulnerability' if vulnerabilities == 1 else 'vulnerabilities'}"]
        if vulnerabilities
        else [],
        notes=["L1 (software out of support) and L6 (known vulnerabilities) are worked out again without it."],
    )


@policy.requires_department("edit_legacy")
@require_http_methods(["GET", "POST"])
def vulnerability_delete(request, service_id: int, software_id: int, vulnerability_id: int):
    found = _service_or_404(service_id)
    vulnerability = _or_404(
        selectors.vulnerability_of(service_id=service_id, software_id=software_id, vulnerability_id=vulnerability_id),
        "vulnerability",
    )
    return _confirm_component_delete(
        request,
        found,
        name=f"vulnerability {vulnerability.reference}",
        delete=lambda: services.vulnerability_delete(actor=request.user, vulnerability=vulnerability),
        done_message=f"Vulnerability {vulnerability.reference} deleted",
        notes=[
            "L6 (known vulnerabilities) is worked out again without it. If it has been fixed, change it and "
            "record the date fixed instead."
        ],
    )


@policy.requires_department("edit_legacy")
@require_http_methods(["GET", "POST"])
def contract_delete(request, service_id: int, contract_id: int):
    found = _service_or_404(service_id)
    contract = _or_404(selectors.contract_of(service_id=service_id, contract_id=contract_id), "contract")
    return _confirm_component_delete(
        request,
        found,
        name=f"the {contract.supplier} contract",
        delete=lambda: services.supplier_contract_delete(actor=request.user, contract=contract),
        done_message=f"The {contract.supplier} contract deleted",
        notes=[
            "L2 (expired vendor contracts) is worked out again without it, and nobody is reminded about its "
            "notice date any more."
        ],
    )


@policy.requires_department("decide_legacy")
@require_http_methods(["GET", "POST"])
def decision_delete(request, service_id: int, decision_id: int):
    found = _service_or_404(service_id)
    decision = _or_404(selectors.decision_of(service_id=service_id, decision_id=decision_id), "decision")
    name = f"the decision “{decision.get_kind_display()}” of {govuk_date(decision.decided_on)}"
    return _confirm_component_delete(
        request,
        found,
        name=name,
        verb="remove",
        delete=lambda: services.decision_delete(actor=request.user, decision=decision),
        done_message="Decision removed",
        notes=["The board summary shows the latest decision left, if any."],
    )


@policy.requires_department("decide_legacy")
@require_http_methods(["GET", "POST"])
def milestone_delete(request, service_id: int, milestone_id: int):
    found = _service_or_404(service_id)
    milestone = _or_404(selectors.milestone_of(service_id=service_id, milestone_id=milestone_id), "milestone")
    return _confirm_component_delete(
        request,
        found,
        name=f"the milestone “{milestone.title}”",
        verb="remove",
        delete=lambda: services.milestone_delete(actor=request.user, milestone=milestone),
        done_message=f"Milestone “{milestone.title}” removed",
        notes=["Nobody is reminded about it any more. If it is finished, mark it as done instead."],
    )


# --- Export: the register and the board summary ------------------------------------------------------

FILE_FORMATS = ("csv", "xlsx")


def _file_format(file_format: str) -> str:
    if file_format not in FILE_FORMATS:
        raise Http404("No such file format")
    return file_format


@policy.requires_department("view_legacy")
def register_download(request, file_format: str):
    file_format = _file_format(file_format)
    today = timezone.localdate()
    risks = selectors.register(today=today, **_filters(request))
    tables = [exports.register_table(risks)]
    if file_format == "xlsx":
        tables += exports.component_tables(risks)
    content = spreadsheets.spreadsheet_bytes(file_format, *tables)
    return spreadsheets.download(content, f"legacy-technology-register-{today:%Y-%m-%d}.{file_format}")


def _board_context(request) -> dict:
    today = timezone.localdate()
    risks = selectors.register(today=today)
    lines = selectors.board_lines(risks, today=today, outweighs=risk_value_matrix.risk_outweighs_value)
    counts = {rating: sum(1 for risk in risks if risk.rating == rating) for rating in scoring.RATINGS}
    return {
        "today": today,
        "lines": lines,
        "counts": counts,
        "total": len(risks),
        "examples": any(risk.service.is_example for risk in risks),
        "overdue": list(selectors.overdue_milestones(today=today)),
        "matrix": risk_value_matrix.build(risks),
    }


@policy.requires_department("view_legacy")
def board_summary(request):
    return render(request, "legacy/board_summary.html", _board_context(request))


@policy.requires_department("view_legacy")
def board_summary_download(request, file_format: str):
    if file_format == "pdf":
        html = render_to_string("legacy/board_summary_pdf.html", _board_context(request), request)
        response = HttpResponse(exports.pdf_bytes(html), content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="legacy-technology-board-summary-{timezone.localdate():%Y-%m-%d}.pdf"'
        )
        return response
    file_format = _file_format(file_format)
    context = _board_context(request)
    content = spreadsheets.spreadsheet_bytes(file_format, exports.board_table(context["lines"], today=context["today"]))
    return spreadsheets.download(content, f"legacy-technology-board-summary-{context['today']:%Y-%m-%d}.{file_format}")


# --- Import: upload, preview (every problem by row and column), then all or nothing -------------------

IMPORT_SESSION_KEY = "legacy_import"


@policy.requires_department("edit_legacy")
def import_upload(request):
    form = legacy_forms.UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = importers.preview(upload.read(), upload.name)
        except importers.ImportFileError as error:
            form.add_error("file", str(error))
        else:
            if result.errors:
                request.session.pop(IMPORT_SESSION_KEY, None)
            else:
                request.session[IMPORT_SESSION_KEY] = {"filename": upload.name, "rows": importers.to_session(result)}
            status = 400 if result.errors else 200
            return render(request, "legacy/import_preview.html", {"result": result}, status=status)
    return render(request, "legacy/import_upload.html", {"form": form}, status=400 if form.errors else 200)


@policy.requires_department("edit_legacy")
@require_POST
def import_confirm(request):
    pending = request.session.get(IMPORT_SESSION_KEY)
    if not pending:
        messages.info(request, "Upload the file again: nothing was waiting to be imported")
        return redirect("legacy:import_upload")
    try:
        counts = services.legacy_register_import(actor=request.user, **importers.from_session(pending["rows"]))
    except (ValidationError, KeyError, TypeError, ValueError):
        request.session.pop(IMPORT_SESSION_KEY, None)
        messages.info(request, "The register changed since the file was checked: upload it again")
        return redirect("legacy:import_upload")
    request.session.pop(IMPORT_SESSION_KEY, None)
    messages.success(request, importers.imported_message(pending["filename"], counts))
    return redirect("legacy:register")


# --- Principles and standards ----------------------------------------------------------------------------


@policy.requires_department("view_legacy")
def principles(request):
    context = {
        "version": selectors.current_principles_version(),
        "principles": selectors.current_principles(),
        "outcomes": selectors.principle_outcomes(),
        "outcome_choices": PrincipleAssessment.Outcome.choices,
        "services": selectors.services_with_components().count(),
    }
    return render(request, "legacy/principles.html", context)


@policy.requires_department("score_legacy")
def principle_assess(request, service_id: int, key: str, check: bool = False):
    found = _service_or_404(service_id)
    principle = _or_404(selectors.principle_named(key), "principle")
    current = selectors.principle_assessments_of(found).get(principle.pk)
    return _two_step(
        request,
        check=check,
        make_form=legacy_forms.PrincipleAssessmentForm,
        initial={"outcome": current.outcome, "evidence": current.evidence} if current else None,
        save=lambda cleaned: services.principle_assess(
            actor=request.user, service=found, principle=principle, **cleaned
        ),
        heading=principle.title,
        caption=found.name,
        back=_service_url(found) + "#principles",
        done=_service_url(found) + "#principles",
        done_message=f"Assessed against “{principle.title}”",
        button="Save assessment",
        intro=principle.description,
    )
