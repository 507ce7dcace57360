"""Standards pages: a school's overview, the self-assessment (one question per page, check answers,
submit), results, recommendations, the governor summary, and the trust or authority matrix.

Each view declares its access with one policy decorator; services do the writing."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from schooltech.accounts import policy
from schooltech.accounts import selectors as account_selectors
from schooltech.core import spreadsheets
from schooltech.core.dates import govuk_date
from schooltech.notifications.sharing import SharedItem, share_page
from schooltech.organisations.models import Establishment, Group
from schooltech.organisations.reference import OrganisationKind, OrganisationRef
from schooltech.organisations.selectors import establishments_looked_after
from schooltech.standards import questionnaire, register_facts, selectors, services, versions
from schooltech.standards.forms import (
    AnswerForm,
    LastDoneForm,
    MatrixFilterForm,
    PhaseForm,
    RecommendationForm,
    TogetherSchoolsForm,
    TogetherStandardForm,
)
from schooltech.standards.models import Assessment, Recommendation, SharedAssessment, Status


def _render(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    establishment = context.get("establishment")
    if establishment is not None:
        context.setdefault("can_edit", policy.can(request.user, "edit", establishment))
        context.setdefault("phase_group", selectors.phase_group_of(establishment=establishment))
    organisation = context.get("organisation")
    if organisation is not None and "ref" not in context:
        context["ref"] = OrganisationRef.for_organisation(organisation)
    context.setdefault("status_tags", selectors.STATUS_TAG_CLASSES)
    context.setdefault("progress_tags", selectors.PROGRESS_TAG_CLASSES)
    context.setdefault("Status", Status)
    return render(request, template, context, status=status)


def _school_url(name: str, establishment: Establishment, **kwargs) -> str:
    return reverse(f"standards:{name}", kwargs={"urn": establishment.urn, **kwargs})


def _standard_or_404(standard_key: str):
    standard = selectors.current_standard(key=standard_key)
    if standard is None:
        raise Http404("No such standard")
    return standard


def _live_walk(assessment: Assessment):
    content = questionnaire.StandardContent(assessment.standard)
    found = questionnaire.fact_answers(content, register_facts.facts_for(assessment.establishment))
    return content, questionnaire.walk(content, assessment.answers, found)


def _next_url(establishment: Establishment, standard_key: str, path: questionnaire.Walk) -> str:
    if path.complete:
        return _school_url("check", establishment, standard_key=standard_key)
    return _school_url("question", establishment, standard_key=standard_key, question_key=path.next_question.key)


# --- signed-in entry point ---


@policy.signed_in
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The standards, and links to the standards pages of the organisations the user belongs to."""
    current = account_selectors.current_membership(request)
    links = []
    for membership in policy.memberships_of(request.user):
        organisation = membership.organisation
        if membership.organisation_kind == OrganisationKind.ESTABLISHMENT:
            href = _school_url("overview", organisation)
        elif membership.organisation_kind in (OrganisationKind.TRUST, OrganisationKind.LOCAL_AUTHORITY):
            href = reverse("standards:matrix", kwargs={"organisation": OrganisationRef.for_organisation(organisation)})
        else:
            continue
        links.append({"href": href, "name": membership.organisation_name, "current": membership == current})
    return _render(request, "standards/home.html", {"links": links, "standards": selectors.current_standards()})


# --- a school ---


@policy.requires("view", establishment="urn")
@require_GET
def overview(request: HttpRequest, establishment: Establishment) -> HttpResponse:
    return _render(
        request,
        "standards/overview.html",
        {
            "establishment": establishment,
            "overview": selectors.school_overview(establishment=establishment),
            "overview_duties": selectors.duty_statuses(establishment=establishment, today=timezone.localdate()),
        },
    )


@policy.requires("edit", establishment="urn")
@require_http_methods(["GET", "POST"])
def phase(request: HttpRequest, establishment: Establishment) -> HttpResponse:
    standard_key = request.GET.get("standard", "")
    form = PhaseForm(
        request.POST if request.method == "POST" else None,
        initial={"phase_group": selectors.phase_group_of(establishment=establishment)},
    )
    if request.method == "POST" and form.is_valid():
        services.school_phase_set(
            establishment=establishment, phase_group=form.cleaned_data["phase_group"], user=request.user
        )
        if selectors.current_standard(key=standard_key):
            return redirect(_school_url("standard", establishment, standard_key=standard_key))
        return redirect(_school_url("overview", establishment))
    return _render(
        request, "standards/phase.html", {"establishment": establishment, "form": form, "standard_key": standard_key}
    )


@policy.requires("view", establishment="urn")
@require_GET
def standard_detail(request: HttpRequest, establishment: Establishment, standard_key: str) -> HttpResponse:
    standard = _standard_or_404(standard_key)
    return _render(
        request,
        "standards/standard.html",
        {
            "establishment": establishment,
            "standard": standard,
            "requirements": standard.requirements.all(),
            "duties": standard.duties.all(),
            "latest": selectors.latest_submitted(establishment=establishment, standard_key=standard_key),
            "in_progress": selectors.assessment_in_progress(establishment=establishment, standard_key=standard_key),
        },
    )


@policy.requires("edit", establishment="urn")
@require_POST
def start(request: HttpRequest, establishment: Establishment, standard_key: str) -> HttpResponse:
    _standard_or_404(standard_key)
    try:
        assessment = services.assessment_start(
            establishment=establishment, standard_key=standard_key, user=request.user
        )
    except services.PhaseNeeded:
        return redirect(_school_url("phase", establishment) + f"?standard={standard_key}")
    _, path = _live_walk(assessment)
    if path.complete:  # a reassessment starts from the previous answers: show them all first
        return redirect(_school_url("check", establishment, standard_key=standard_key))
    first = assessment.standard.first_question
    if path.steps or first != path.next_question.key:
        return redirect(_next_url(establishment, standard_key, path))
    return redirect(_school_url("question", establishment, standard_key=standard_key, question_key=first))


def _assessment_or_redirect(establishment: Establishment, standard_key: str):
    assessment = selectors.assessment_in_progress(establishment=establishment, standard_key=standard_key)
    if assessment is None:
        return None, redirect(_school_url("standard", establishment, standard_key=standard_key))
    return assessment, None


class _Answering:
    """Where answers are being given, so one set of question pages serves a school's own assessment
    and a trust's answers given together: the record (with .standard, .answers and .dates), how to
    walk its path, how to save an answer, and where each button and link goes."""

    def __init__(self, record, *, context: dict):
        self.record = record
        self.context = context

    def walk(self) -> tuple[questionnaire.StandardContent, questionnaire.Walk]:
        raise NotImplementedError

    def save(self, **answer):
        raise NotImplementedError

    def question_url(self, question_key: str) -> str:
        raise NotImplementedError

    def check_url(self) -> str:
        raise NotImplementedError

    def start_url(self) -> str:
        """The back link from the first question."""
        raise NotImplementedError

    def later_url(self) -> str:
        raise NotImplementedError

    def later_message(self) -> str:
        return f"Your answers to {self.record.standard.title} are saved. You can come back to them at any time."

    def next_url(self, path: questionnaire.Walk) -> str:
        return self.check_url() if path.complete else self.question_url(path.next_question.key)


class _SchoolAnswering(_Answering):
    def __init__(self, establishment: Establishment, assessment: Assessment):
        super().__init__(assessment, context={"establishment": establishment})
        self.establishment = establishment

    def walk(self):
        return _live_walk(self.record)

    def save(self, **answer):
        return services.assessment_answer(assessment=self.record, **answer)

    def question_url(self, question_key):
        return _school_url(
            "question", self.establishment, standard_key=self.record.standard_key, question_key=question_key
        )

    def check_url(self):
        return _school_url("check", self.establishment, standard_key=self.record.standard_key)

    def start_url(self):
        return _school_url("standard", self.establishment, standard_key=self.record.standard_key)

    def later_url(self):
        return _school_url("overview", self.establishment)


@policy.requires("edit", establishment="urn")
@require_http_methods(["GET", "POST"])
def question(request: HttpRequest, establishment: Establishment, standard_key: str, question_key: str) -> HttpResponse:
    assessment, elsewhere = _assessment_or_redirect(establishment, standard_key)
    if elsewhere:
        return elsewhere
    return _question_page(request, _SchoolAnswering(establishment, assessment), question_key)


def _question_page(request: HttpRequest, answering: _Answering, question_key: str) -> HttpResponse:
    """One question: the form, its errors, saving the answer and going on along the path."""
    record = answering.record
    content, path = answering.walk()
    asked = content.questions.get(question_key)
    step = path.step_for(question_key)
    on_path = step is not None or (path.next_question and path.next_question.key == question_key)
    if asked is None or not on_path:
        return redirect(answering.next_url(path))
    if step and step.from_registers:
        return redirect(answering.next_url(path))
    data = request.POST if request.method == "POST" else None
    form = (
        LastDoneForm(data, question=asked, initial=_last_done_initial(record, question_key, asked.duty_key))
        if asked.asks_a_date
        else AnswerForm(
            data,
            question=asked,
            answers=content.answers_for(asked),
            initial={"answer": record.answers.get(question_key)},
        )
    )
    if request.method == "POST":
        if "later" in request.POST and not request.POST.get("answer"):
            return redirect(answering.later_url())
        if form.is_valid():
            try:
                answering.record = answering.save(
                    question_key=question_key,
                    answer_key=form.cleaned_data["answer"],
                    user=request.user,
                    done_on=form.cleaned_data.get("done_on"),
                    done_by=form.cleaned_data.get("done_by") or "",
                )
            except services.AssessmentError as error:
                form.add_error("answer", str(error))
            else:
                if "later" in request.POST:
                    messages.success(request, answering.later_message())
                    return redirect(answering.later_url())
                _, path = answering.walk()
                return redirect(answering.next_url(path))
    previous = _previous_question(path, question_key)
    back = answering.question_url(previous) if previous else answering.start_url()
    asked_steps = [s for s in path.steps if not s.from_registers]
    return _render(
        request,
        "standards/question_date.html" if asked.asks_a_date else "standards/question.html",
        {
            **answering.context,
            "standard": record.standard,
            "question": asked,
            "form": form,
            "back": back,
            "number": len([s for s in asked_steps if s.question.key != question_key]) + 1,
        },
    )


def _last_done_initial(assessment, question_key: str, duty_key: str = "") -> dict:
    """The answer so far, or, when the school has since recorded the duty as done (a plan action,
    training records), that newer date, so the question starts from what the service already knows.
    (A trust answering for several schools at once has no one school's records to start from.)"""
    school_id = getattr(assessment, "establishment_id", None)
    recorded = None
    if school_id is not None and duty_key:
        recorded = selectors.duties_last_done(establishment_ids=[school_id]).get((school_id, duty_key))
    done = assessment.dates.get(question_key)
    on = datetime.date.fromisoformat(done["on"]) if done else None
    if recorded is not None and (on is None or recorded.done_on > on):
        return {"answer": LastDoneForm.ON_A_DATE, "done_on": recorded.done_on, "done_by": recorded.done_by}
    if done:
        return {"answer": LastDoneForm.ON_A_DATE, "done_on": on, "done_by": done.get("by", "")}
    answer = assessment.answers.get(question_key)
    return {"answer": answer} if answer in ("never", "dont_know") else {}


def _previous_question(path: questionnaire.Walk, question_key: str) -> str | None:
    """The question asked before this one on the path (skipping those the registers answered)."""
    previous = None
    for step in path.steps:
        if step.question.key == question_key:
            break
        if not step.from_registers:
            previous = step.question.key
    return previous


@policy.requires("edit", establishment="urn")
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest, establishment: Establishment, standard_key: str) -> HttpResponse:
    assessment, elsewhere = _assessment_or_redirect(establishment, standard_key)
    if elsewhere:
        return elsewhere
    _, path = _live_walk(assessment)
    if not path.complete:
        return redirect(_next_url(establishment, standard_key, path))
    if request.method == "POST":
        try:
            services.assessment_submit(assessment=assessment, user=request.user)
        except services.AssessmentError as error:
            messages.error(request, str(error))
            return redirect(_school_url("check", establishment, standard_key=standard_key))
        messages.success(request, f"{assessment.standard.title}: assessment submitted")
        return redirect(_school_url("results", establishment, standard_key=standard_key))
    return _render(
        request,
        "standards/check.html",
        {"establishment": establishment, "standard": assessment.standard, "path": path, "dates": _dates_of(assessment)},
    )


def _dates_of(assessment: Assessment) -> dict[str, dict]:
    """The "when did you last…" answers' dates, as dates, for the answers summary."""
    return {
        key: {"on": datetime.date.fromisoformat(done["on"]), "by": done.get("by", "")}
        for key, done in assessment.dates.items()
    }


def _results_context(establishment: Establishment, assessment: Assessment) -> dict:
    content = questionnaire.StandardContent(assessment.standard)
    path = questionnaire.walk(content, assessment.answers, questionnaire.facts_from_json(assessment.facts_used))
    by_key = {item["requirement"]: item for item in assessment.results}
    return {
        "establishment": establishment,
        "assessment": assessment,
        "standard": assessment.standard,
        "requirements": [
            (r, by_key.get(r.key, {"status": Status.NOT_ASSESSED, "reasons": [], "unknowns": []}))
            for r in content.requirements
        ],
        "path": path,
        "history": selectors.assessment_history(establishment=establishment, standard_key=assessment.standard_key),
        "recommendations": selectors.recommendations_for(establishment=establishment).filter(
            standard_key=assessment.standard_key
        ),
        "in_progress": selectors.assessment_in_progress(
            establishment=establishment, standard_key=assessment.standard_key
        ),
        "dates": _dates_of(assessment),
        "duty_statuses": selectors.duty_statuses(
            establishment=establishment, today=timezone.localdate(), standard_key=assessment.standard_key
        ),
        "changes": _changes_since(assessment),
        "current_version": selectors.current_version(),
    }


def _changes_since(assessment: Assessment) -> versions.StandardChanges | None:
    """What the current catalogue changed in this standard since the assessment was judged."""
    current = selectors.current_standard(key=assessment.standard_key)
    if current is None or current.pk == assessment.standard_id:
        return None
    return versions.standard_changes(assessment.standard, current)


@policy.requires("view", establishment="urn")
@require_GET
def results(request: HttpRequest, establishment: Establishment, standard_key: str) -> HttpResponse:
    _standard_or_404(standard_key)
    assessment = selectors.latest_submitted(establishment=establishment, standard_key=standard_key)
    if assessment is None:
        return redirect(_school_url("standard", establishment, standard_key=standard_key))
    return _render(request, "standards/results.html", _results_context(establishment, assessment))


@policy.requires("view", establishment="urn", objects={"assessment_id": Assessment})
@require_GET
def assessment_detail(request: HttpRequest, establishment: Establishment, assessment: Assessment) -> HttpResponse:
    if assessment.state != Assessment.State.SUBMITTED:
        raise Http404("This assessment has not been submitted")
    context = _results_context(establishment, assessment)
    context["is_history"] = True
    return _render(request, "standards/results.html", context)


@policy.requires("view", establishment="urn")
@require_GET
def recommendations(request: HttpRequest, establishment: Establishment) -> HttpResponse:
    standards = {s.key: s for s in selectors.current_standards()}
    rows = selectors.due_next(
        establishment=establishment,
        recommendations=list(selectors.recommendations_for(establishment=establishment)),
    )
    return _render(
        request,
        "standards/recommendations.html",
        {"establishment": establishment, "recommendations": rows, "standards": standards},
    )


@policy.requires("view", establishment="urn", objects={"recommendation_id": Recommendation})
@require_GET
def recommendation_detail(
    request: HttpRequest, establishment: Establishment, recommendation: Recommendation
) -> HttpResponse:
    return _render(
        request,
        "standards/recommendation.html",
        {
            "establishment": establishment,
            "recommendation": recommendation,
            "standard": selectors.current_standard(key=recommendation.standard_key),
            "history": recommendation.history.select_related("history_user").order_by("-history_date", "-history_id"),
        },
    )


@policy.requires("edit", establishment="urn", objects={"recommendation_id": Recommendation})
@require_http_methods(["GET", "POST"])
def recommendation_update(
    request: HttpRequest, establishment: Establishment, recommendation: Recommendation
) -> HttpResponse:
    form = RecommendationForm(
        request.POST if request.method == "POST" else None,
        initial={"progress": recommendation.progress, "notes": recommendation.notes},
    )
    if request.method == "POST" and form.is_valid():
        services.recommendation_update(
            recommendation=recommendation,
            progress=form.cleaned_data["progress"],
            notes=form.cleaned_data["notes"],
            user=request.user,
        )
        messages.success(request, "Progress saved")
        return redirect(_school_url("recommendation", establishment, recommendation_id=recommendation.pk))
    return _render(
        request,
        "standards/recommendation_update.html",
        {"establishment": establishment, "recommendation": recommendation, "form": form},
    )


def _recommendation_summary(recommendation: Recommendation, standard) -> str:
    lines = [recommendation.detail, ""]
    if standard is not None:
        lines.append(f"Standard: {standard.title}")
    lines += [
        f"Usually done by: {recommendation.who or 'Not stated'}",
        f"Progress: {recommendation.get_progress_display()}",
    ]
    if recommendation.notes:
        lines.append(f"Notes: {recommendation.notes}")
    return "\n".join(lines)


@policy.requires("view", establishment="urn", objects={"recommendation_id": Recommendation})
@require_http_methods(["GET", "POST"])
def recommendation_share(
    request: HttpRequest, establishment: Establishment, recommendation: Recommendation
) -> HttpResponse:
    page = _school_url("recommendation", establishment, recommendation_id=recommendation.pk)
    standard = selectors.current_standard(key=recommendation.standard_key)
    item = SharedItem(
        what="a recommendation",
        title=recommendation.title,
        summary=_recommendation_summary(recommendation, standard),
        path=page,
        back=page,
    )
    return share_page(request, organisation=establishment, item=item)


@policy.requires("view", establishment="urn", objects={"recommendation_id": Recommendation})
@require_GET
def recommendation_print(
    request: HttpRequest, establishment: Establishment, recommendation: Recommendation
) -> HttpResponse:
    return _render(
        request,
        "standards/recommendation_print.html",
        {
            "establishment": establishment,
            "recommendation": recommendation,
            "standard": selectors.current_standard(key=recommendation.standard_key),
            "today": timezone.localdate(),
        },
    )


def _results_summary(context: dict) -> str:
    assessment = context["assessment"]
    lines = [
        f"Overall: {Status(assessment.overall_status).label}. Assessed on {govuk_date(assessment.submitted_at)}.",
        "",
    ]
    lines += [
        f"* {requirement.title}: {Status(result['status']).label}" for requirement, result in context["requirements"]
    ]
    open_items = [r for r in context["recommendations"] if r.progress != Recommendation.Progress.COMPLETE]
    if open_items:
        lines += ["", "What to do:"] + [f"* {r.title} ({r.get_progress_display().lower()})" for r in open_items]
    return "\n".join(lines)


def _latest_results_or_404(establishment: Establishment, standard_key: str) -> dict:
    _standard_or_404(standard_key)
    assessment = selectors.latest_submitted(establishment=establishment, standard_key=standard_key)
    if assessment is None:
        raise Http404("This standard has not been assessed")
    return _results_context(establishment, assessment)


@policy.requires("view", establishment="urn")
@require_http_methods(["GET", "POST"])
def results_share(request: HttpRequest, establishment: Establishment, standard_key: str) -> HttpResponse:
    context = _latest_results_or_404(establishment, standard_key)
    page = _school_url("results", establishment, standard_key=standard_key)
    item = SharedItem(
        what=f"the {context['standard'].title.lower()} results",
        title=f"{context['standard'].title}: results",
        summary=_results_summary(context),
        path=page,
        back=page,
    )
    return share_page(request, organisation=establishment, item=item)


@policy.requires("view", establishment="urn")
@require_GET
def results_print(request: HttpRequest, establishment: Establishment, standard_key: str) -> HttpResponse:
    context = _latest_results_or_404(establishment, standard_key)
    context["today"] = timezone.localdate()
    return _render(request, "standards/results_print.html", context)


@policy.requires("view", establishment="urn")
@require_GET
def governors(request: HttpRequest, establishment: Establishment) -> HttpResponse:
    return _render(
        request,
        "standards/governors.html",
        {
            "establishment": establishment,
            "overview": selectors.school_overview(establishment=establishment),
            "today": timezone.localdate(),
        },
    )


# --- trusts and local authorities ---


def _matrix(request: HttpRequest, organisation):
    if isinstance(organisation, Establishment) or not hasattr(organisation, "pk") or organisation.pk == "dfe":
        raise Http404("This page is for trusts and local authorities")
    standards = selectors.current_standards()
    form = MatrixFilterForm(request.GET or None, standards=standards)
    filters = form.cleaned_data if form.is_valid() else {}
    sort = request.GET.get("sort", "name")
    descending = request.GET.get("order") == "desc"
    matrix = selectors.standards_matrix(
        organisation=organisation,
        standard_key=filters.get("standard", ""),
        status=filters.get("status", ""),
        sort=sort,
        descending=descending,
    )
    return matrix, form, sort, descending


@policy.requires("view", organisation="organisation")
@require_GET
def matrix(request: HttpRequest, organisation) -> HttpResponse:
    table, form, sort, descending = _matrix(request, organisation)
    ref = OrganisationRef.for_organisation(organisation)
    query = {k: v for k, v in request.GET.items() if k in ("standard", "status") and v}
    return _render(
        request,
        "standards/matrix.html",
        {
            "organisation": organisation,
            "ref": ref,
            "matrix": table,
            "form": form,
            "sort": sort,
            "descending": descending,
            "filter_query": query,
            "can_assess_together": isinstance(organisation, Group) and policy.can(request.user, "edit", organisation),
        },
    )


def _export_name(organisation, extension: str) -> str:
    slug = OrganisationRef.for_organisation(organisation).slug
    return f"standards-{slug}-{timezone.localdate():%Y-%m-%d}.{extension}"


@policy.requires("view", organisation="organisation")
@require_GET
def matrix_csv(request: HttpRequest, organisation) -> HttpResponse:
    table = _matrix_table(request, organisation)
    return spreadsheets.download(spreadsheets.csv_bytes(table), _export_name(organisation, "csv"))


@policy.requires("view", organisation="organisation")
@require_GET
def matrix_xlsx(request: HttpRequest, organisation) -> HttpResponse:
    table = _matrix_table(request, organisation)
    return spreadsheets.download(spreadsheets.xlsx_bytes(table), _export_name(organisation, "xlsx"))


def _matrix_table(request: HttpRequest, organisation) -> spreadsheets.Table:
    matrix, *_ = _matrix(request, organisation)
    header, rows = selectors.matrix_table(matrix)
    widths = {0: 10, 1: 40} | dict.fromkeys(range(2, len(header)), 16)
    return spreadsheets.Table(name="Standards", header=header, rows=rows, column_widths=widths, frozen_columns=2)


# --- assessing together across a trust ---


def _trust_or_404(organisation) -> Group:
    if not isinstance(organisation, Group):
        raise Http404("Only a trust answers for several of its schools")
    return organisation


def _together_url(name: str, trust: Group, **kwargs) -> str:
    return reverse(f"standards:{name}", kwargs={"organisation": OrganisationRef.for_organisation(trust), **kwargs})


class _TogetherAnswering(_Answering):
    """A trust's answers given once for several schools: every question is asked (each school's
    registers answer their own questions when its assessment is made)."""

    def __init__(self, trust: Group, shared: SharedAssessment):
        count = shared.establishments.count()
        super().__init__(
            shared,
            context={
                "organisation": trust,
                "answering_for": f"{trust.name}, for {count} school{'s' if count != 1 else ''}",
            },
        )
        self.trust = trust

    def walk(self):
        content = questionnaire.StandardContent(self.record.standard)
        return content, questionnaire.walk(content, self.record.answers, {})

    def save(self, **answer):
        return services.shared_assessment_answer(shared=self.record, **answer)

    def question_url(self, question_key):
        return _together_url("together_question", self.trust, shared_id=self.record.pk, question_key=question_key)

    def check_url(self):
        return _together_url("together_check", self.trust, shared_id=self.record.pk)

    def start_url(self):
        return _together_url("together_schools", self.trust, shared_id=self.record.pk)

    def later_url(self):
        return _together_url("together", self.trust)


def _together_in_progress(trust: Group, shared: SharedAssessment):
    """The answers still being given, or a redirect to what was shared."""
    if shared.state != SharedAssessment.State.IN_PROGRESS:
        return redirect(_together_url("together_done", trust, shared_id=shared.pk))
    if not shared.establishments.exists():
        return redirect(_together_url("together_schools", trust, shared_id=shared.pk))
    return None


@policy.requires("edit", organisation="organisation")
@require_GET
def together(request: HttpRequest, organisation) -> HttpResponse:
    """Assess together: start, continue answers being given, and what was shared before."""
    trust = _trust_or_404(organisation)
    return _render(
        request,
        "standards/together.html",
        {"organisation": trust, "shared": selectors.shared_assessments(trust=trust)},
    )


@policy.requires("edit", organisation="organisation")
@require_http_methods(["GET", "POST"])
def together_new(request: HttpRequest, organisation) -> HttpResponse:
    trust = _trust_or_404(organisation)
    form = TogetherStandardForm(
        request.POST if request.method == "POST" else None, standards=selectors.current_standards()
    )
    if request.method == "POST" and form.is_valid():
        shared = services.shared_assessment_start(
            trust=trust, standard_key=form.cleaned_data["standard"], user=request.user
        )
        return redirect(_together_url("together_schools", trust, shared_id=shared.pk))
    return _render(request, "standards/together_new.html", {"organisation": trust, "form": form})


def _school_items(form: TogetherSchoolsForm, schools: list, shared: SharedAssessment) -> list[dict]:
    """The checkboxes, each with a hint when the school cannot take the answers as they are."""
    if form.is_bound:
        chosen = set(form.data.getlist("schools"))
    else:
        chosen = set(form.initial.get("schools", []))
    busy = set(
        Assessment.objects.filter(
            establishment__in=schools, standard_key=shared.standard_key, state=Assessment.State.IN_PROGRESS
        ).values_list("establishment_id", flat=True)
    )
    items = []
    for school in schools:
        item = {"value": school.urn, "text": school.name, "checked": school.urn in chosen}
        if school.pk in busy:
            item["hint"] = {"text": "Has an assessment of this standard in progress: it will be left as it is"}
        items.append(item)
    return items


@policy.requires("edit", organisation="organisation", objects={"shared_id": SharedAssessment})
@require_http_methods(["GET", "POST"])
def together_schools(request: HttpRequest, organisation, shared: SharedAssessment) -> HttpResponse:
    trust = _trust_or_404(organisation)
    if shared.state != SharedAssessment.State.IN_PROGRESS:
        return redirect(_together_url("together_done", trust, shared_id=shared.pk))
    schools = list(establishments_looked_after(organisation=trust).order_by("name"))
    form = TogetherSchoolsForm(
        request.POST if request.method == "POST" else None,
        schools=schools,
        initial={"schools": list(shared.establishments.values_list("urn", flat=True))},
    )
    if request.method == "POST" and form.is_valid():
        chosen = [school for school in schools if school.urn in set(form.cleaned_data["schools"])]
        try:
            services.shared_assessment_schools_set(shared=shared, establishments=chosen, user=request.user)
        except services.AssessmentError as error:
            form.add_error("schools", str(error))
        else:
            answering = _TogetherAnswering(trust, shared)
            _, path = answering.walk()
            return redirect(answering.next_url(path))
    return _render(
        request,
        "standards/together_schools.html",
        {"organisation": trust, "shared": shared, "form": form, "items": _school_items(form, schools, shared)},
    )


@policy.requires("edit", organisation="organisation", objects={"shared_id": SharedAssessment})
@require_http_methods(["GET", "POST"])
def together_question(request: HttpRequest, organisation, shared: SharedAssessment, question_key: str) -> HttpResponse:
    trust = _trust_or_404(organisation)
    elsewhere = _together_in_progress(trust, shared)
    if elsewhere:
        return elsewhere
    return _question_page(request, _TogetherAnswering(trust, shared), question_key)


@policy.requires("edit", organisation="organisation", objects={"shared_id": SharedAssessment})
@require_http_methods(["GET", "POST"])
def together_check(request: HttpRequest, organisation, shared: SharedAssessment) -> HttpResponse:
    trust = _trust_or_404(organisation)
    elsewhere = _together_in_progress(trust, shared)
    if elsewhere:
        return elsewhere
    answering = _TogetherAnswering(trust, shared)
    _, path = answering.walk()
    if not path.complete:
        return redirect(answering.next_url(path))
    if request.method == "POST":
        try:
            services.shared_assessment_apply(shared=shared, user=request.user)
        except services.AssessmentError as error:
            messages.error(request, str(error))
            return redirect(answering.check_url())
        return redirect(_together_url("together_done", trust, shared_id=shared.pk))
    return _render(
        request,
        "standards/together_check.html",
        {
            **answering.context,
            "shared": shared,
            "standard": shared.standard,
            "path": path,
            "dates": _dates_of(shared),
            "schools": list(shared.establishments.order_by("name")),
            "change_url": answering.question_url,
            "check_back": answering.start_url(),
        },
    )


@policy.requires("edit", organisation="organisation", objects={"shared_id": SharedAssessment})
@require_GET
def together_done(request: HttpRequest, organisation, shared: SharedAssessment) -> HttpResponse:
    trust = _trust_or_404(organisation)
    if shared.state != SharedAssessment.State.APPLIED:
        answering = _TogetherAnswering(trust, shared)
        _, path = answering.walk()
        return redirect(answering.next_url(path) if shared.establishments.exists() else answering.start_url())
    return _render(
        request,
        "standards/together_done.html",
        {"organisation": trust, "shared": shared, "outcomes": selectors.shared_outcomes(shared=shared)},
    )
