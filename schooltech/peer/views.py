"""Peer support pages: a school's offer and requests, finding help on one requirement, asking, answering,
and the trust, local authority and department views. Each view declares its access with the policy; the
finer rules (only the school's own approvers offer, only the helping school answers) are checked here and
answer 403."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from schooltech.accounts import policy
from schooltech.accounts.models import Role
from schooltech.core import charts
from schooltech.organisations.models import Establishment
from schooltech.organisations.reference import DEPARTMENT, OrganisationRef
from schooltech.peer import selectors, services
from schooltech.peer.forms import (
    OFFER_QUESTIONS,
    AnswerForm,
    AskForm,
    FeedbackForm,
    FindFilterForm,
    OfferForm,
    offer_question_form,
)
from schooltech.peer.models import HelpRequest, PhaseHelped
from schooltech.standards import selectors as standards

STATUS_TAGS = {
    HelpRequest.Status.WAITING: "govuk-tag--blue",
    HelpRequest.Status.ACCEPTED: "govuk-tag--green",
    HelpRequest.Status.DECLINED: "govuk-tag--red",
    HelpRequest.Status.DONE: "govuk-tag--grey",
    HelpRequest.Status.WITHDRAWN: "govuk-tag--grey",
    HelpRequest.Status.EXPIRED: "govuk-tag--grey",
}


def _is_own_approver(user, establishment: Establishment) -> bool:
    return policy.role_in(user, establishment) == Role.APPROVER


def _school_url(establishment: Establishment) -> str:
    return reverse("peer:school", kwargs={"urn": establishment.urn})


def _request_url(establishment: Establishment, help_request: HelpRequest) -> str:
    return reverse("peer:request", kwargs={"urn": establishment.urn, "request_number": help_request.pk})


def _requirement_or_404(standard_key: str, requirement_key: str):
    requirement = selectors.requirement_get(standard_key=standard_key, requirement_key=requirement_key)
    if requirement is None:
        raise Http404("No such requirement")
    return requirement


def _request_or_404(establishment: Establishment, request_number: int) -> HelpRequest:
    help_request = selectors.request_of(establishment=establishment, pk=request_number)
    if help_request is None:
        raise Http404("No such request")
    return help_request


def _titles() -> dict[tuple[str, str], str]:
    return {key: requirement.title for key, requirement in standards.current_requirements().items()}


# --- Start ---


@policy.signed_in
@require_GET
def start(request: HttpRequest) -> HttpResponse:
    """Links to the peer support pages of the organisations the user belongs to."""
    links = []
    for membership in policy.memberships_of(request.user):
        organisation = membership.organisation
        if isinstance(organisation, Establishment):
            href = _school_url(organisation)
        else:
            href = reverse("peer:overview", kwargs={"organisation": OrganisationRef.for_organisation(organisation)})
        links.append({"href": href, "name": membership.organisation_name})
    return render(request, "peer/start.html", {"links": links})


# --- A school ---


@policy.requires("view", establishment="urn")
@require_GET
def school(request: HttpRequest, establishment: Establishment) -> HttpResponse:
    offer = selectors.offer_of(establishment=establishment)
    today = timezone.localdate()
    titles = _titles()
    unmet = selectors.requirements_unmet(establishment=establishment)
    return render(
        request,
        "peer/school.html",
        {
            "establishment": establishment,
            "offer": offer,
            "used": selectors.requests_this_term(offer=offer, today=today) if offer else 0,
            "met": selectors.requirements_met(establishment=establishment),
            "unmet": unmet,
            "received": selectors.requests_received(establishment=establishment)[:50],
            "sent": selectors.requests_sent(establishment=establishment)[:50],
            "titles": titles,
            "status_tags": STATUS_TAGS,
            "is_approver": _is_own_approver(request.user, establishment),
            "PhaseHelped": PhaseHelped,
        },
    )


# Offering help: /offer starts (a new offer at its first question, a live one at its check page),
# then one question a page (OFFER_QUESTIONS), then check and save. The answers wait in the session.


def _offer_draft_key(establishment: Establishment) -> str:
    return f"peer_offer_draft:{establishment.urn}"


def _offer_url(establishment: Establishment, question: str | None = None, *, check: bool = False) -> str:
    if question is None:
        return reverse("peer:offer_check", kwargs={"urn": establishment.urn})
    url = reverse("peer:offer_question", kwargs={"urn": establishment.urn, "question": question})
    return url + "?check=1" if check else url


def _own_approver_only(request: HttpRequest, establishment: Establishment) -> None:
    if not _is_own_approver(request.user, establishment):
        raise PermissionDenied  # the school's own approvers choose; a trust or authority encourages


def _draft_as_form_data(draft: dict) -> dict:
    return {key: value for key, value in draft.items() if key in OfferForm.base_fields}


@policy.requires("approve_plan", establishment="urn")
@require_GET
def offer_start(request: HttpRequest, establishment: Establishment) -> HttpResponse:
    _own_approver_only(request, establishment)
    met = selectors.requirements_met(establishment=establishment)
    if not met:
        return render(request, "peer/offer_nothing.html", {"establishment": establishment})
    offer = selectors.offer_of(establishment=establishment)
    draft: dict = {"requests_per_term": 2, "phase": PhaseHelped.ANY.value, "note": ""}
    if offer is not None:
        draft = {
            "topics": [f"{t.standard_key}/{t.requirement_key}" for t in offer.topics.all()],
            "requests_per_term": offer.requests_per_term,
            "phase": offer.phase,
            "note": offer.note,
        }
    request.session[_offer_draft_key(establishment)] = draft
    return redirect(_offer_url(establishment) if offer is not None else _offer_url(establishment, "requirements"))


@policy.requires("approve_plan", establishment="urn")
@require_http_methods(["GET", "POST"])
def offer_question(request: HttpRequest, establishment: Establishment, question: str) -> HttpResponse:
    _own_approver_only(request, establishment)
    if question not in OFFER_QUESTIONS:
        raise Http404("No such question")
    draft = request.session.get(_offer_draft_key(establishment))
    if draft is None:
        return redirect("peer:offer", urn=establishment.urn)
    met = selectors.requirements_met(establishment=establishment)
    from_check = request.GET.get("check") == "1"
    if request.method == "POST":
        form = offer_question_form(question, request.POST, met=met)
        if form.is_valid():
            draft.update(form.cleaned_data)
            request.session[_offer_draft_key(establishment)] = draft
            return redirect(_after_question(establishment, question, from_check))
    else:
        form = offer_question_form(question, met=met, initial=draft)
    questions = list(OFFER_QUESTIONS)
    position = questions.index(question)
    if from_check:
        back = _offer_url(establishment)
    elif position == 0:
        back = _school_url(establishment)
    else:
        back = _offer_url(establishment, questions[position - 1])
    return render(
        request,
        "peer/offer_question.html",
        {"establishment": establishment, "form": form, "field": form[OFFER_QUESTIONS[question]], "back": back},
    )


def _after_question(establishment: Establishment, question: str, from_check: bool) -> str:
    questions = list(OFFER_QUESTIONS)
    position = questions.index(question)
    if from_check or position == len(questions) - 1:
        return _offer_url(establishment)
    return _offer_url(establishment, questions[position + 1])


@policy.requires("approve_plan", establishment="urn")
@require_http_methods(["GET", "POST"])
def offer_check(request: HttpRequest, establishment: Establishment) -> HttpResponse:
    _own_approver_only(request, establishment)
    draft = request.session.get(_offer_draft_key(establishment))
    if draft is None:
        return redirect("peer:offer", urn=establishment.urn)
    met = selectors.requirements_met(establishment=establishment)
    form = OfferForm(_draft_as_form_data(draft), met=met)
    if not form.is_valid():  # a question not answered yet, or a requirement no longer met: ask it again
        first = next((question for question, field in OFFER_QUESTIONS.items() if field in form.errors), "requirements")
        changing = "topics" in draft  # every question answered once: come back here after
        return redirect(_offer_url(establishment, first, check=changing))
    error = None
    if request.method == "POST":
        try:
            services.offer_save(
                establishment=establishment,
                user=request.user,
                topics=form.cleaned_topics(),
                requests_per_term=form.cleaned_data["requests_per_term"],
                phase=form.cleaned_data["phase"],
                note=form.cleaned_data["note"],
            )
        except services.PeerError as exc:
            error = str(exc)
        else:
            del request.session[_offer_draft_key(establishment)]
            messages.success(request, "Your school now offers peer support")
            return redirect(_school_url(establishment))
    titles = {m.key: m.requirement.title for m in met}
    return render(
        request,
        "peer/offer_check.html",
        {
            "establishment": establishment,
            "data": form.cleaned_data,
            "topic_titles": [titles[key] for key in form.cleaned_data["topics"]],
            "phase_label": PhaseHelped(form.cleaned_data["phase"]).label,
            "change": {question: _offer_url(establishment, question, check=True) for question in OFFER_QUESTIONS},
            "error": error,
        },
        status=400 if error else 200,
    )


@policy.requires("approve_plan", establishment="urn")
@require_http_methods(["GET", "POST"])
def offer_withdraw(request: HttpRequest, establishment: Establishment) -> HttpResponse:
    _own_approver_only(request, establishment)
    offer = selectors.offer_of(establishment=establishment)
    if offer is None or not offer.is_active:
        return redirect(_school_url(establishment))
    if request.method == "POST":
        services.offer_withdraw(offer=offer, user=request.user)
        messages.success(request, "Your school no longer offers peer support")
        return redirect(_school_url(establishment))
    return render(request, "peer/withdraw.html", {"establishment": establishment, "offer": offer})


# --- Finding and asking for help ---


@policy.requires("view", establishment="urn")
@require_GET
def find(request: HttpRequest, establishment: Establishment, standard_key: str, requirement_key: str) -> HttpResponse:
    requirement = _requirement_or_404(standard_key, requirement_key)
    form = FindFilterForm(request.GET or None)
    within, same_phase = form.filters()
    status = selectors.requirement_status(
        establishment=establishment, standard_key=standard_key, requirement_key=requirement_key
    )
    helpers = selectors.helpers_for(
        establishment=establishment,
        standard_key=standard_key,
        requirement_key=requirement_key,
        within_km=within,
        same_phase=same_phase,
        today=timezone.localdate(),
    )
    return render(
        request,
        "peer/find.html",
        {
            "establishment": establishment,
            "requirement": requirement,
            "standard_key": standard_key,
            "form": form if form.is_bound else FindFilterForm(initial={"within": "25"}),
            "within": within,
            "helpers": helpers,
            "meets": status == selectors.MEETS,
            "open_request": selectors.open_request(
                establishment=establishment, standard_key=standard_key, requirement_key=requirement_key
            ),
            "can_ask": policy.can(request.user, "edit", establishment),
            "has_coordinates": establishment.easting is not None,
        },
    )


@policy.requires("edit", establishment="urn")
@require_http_methods(["GET", "POST"])
def ask(
    request: HttpRequest, establishment: Establishment, standard_key: str, requirement_key: str, helper_urn: str
) -> HttpResponse:
    requirement = _requirement_or_404(standard_key, requirement_key)
    find_url = reverse(
        "peer:find", kwargs={"urn": establishment.urn, "standard_key": standard_key, "requirement_key": requirement_key}
    )
    helper = selectors.helper_offer(
        establishment=establishment,
        helper_urn=helper_urn,
        standard_key=standard_key,
        requirement_key=requirement_key,
        today=timezone.localdate(),
    )
    if helper is None or helper.requests_left <= 0:
        raise Http404("That school is not taking requests about this requirement")
    form = AskForm(request.POST or None)
    step = request.POST.get("step", "write")
    context = {
        "establishment": establishment,
        "requirement": requirement,
        "helper": helper,
        "form": form,
        "find_url": find_url,
    }
    if request.method == "POST" and step == "change":
        return render(request, "peer/ask.html", {**context, "form": AskForm(initial=request.POST)})
    if request.method == "POST" and form.is_valid() and step != "send":
        return render(request, "peer/ask_check.html", {**context, "message": form.cleaned_data["message"]})
    if request.method == "POST" and form.is_valid():
        try:
            help_request = services.help_request_send(
                asker=establishment,
                helper_urn=helper_urn,
                standard_key=standard_key,
                requirement_key=requirement_key,
                message=form.cleaned_data["message"],
                user=request.user,
            )
        except services.PeerError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Your request has been sent to {helper.establishment.name}")
            return redirect(_request_url(establishment, help_request))
    return render(request, "peer/ask.html", context)


# --- One request ---


@policy.requires("view", establishment="urn")
@require_GET
def request_detail(request: HttpRequest, establishment: Establishment, request_number: int) -> HttpResponse:
    help_request = _request_or_404(establishment, request_number)
    return _request_page(request, establishment, help_request, AnswerForm(), status=200)


def _request_page(
    request: HttpRequest, establishment: Establishment, help_request: HelpRequest, form: AnswerForm, status: int
) -> HttpResponse:
    is_helper = help_request.helper_id == establishment.pk
    can_edit = policy.can(request.user, "edit", establishment)
    return render(
        request,
        "peer/request.html",
        {
            "establishment": establishment,
            "help_request": help_request,
            "title": _titles().get((help_request.standard_key, help_request.requirement_key), "A requirement"),
            "is_helper": is_helper,
            "can_edit": can_edit,
            "form": form,
            "status_tags": STATUS_TAGS,
            "Status": HelpRequest.Status,
        },
        status=status,
    )


@policy.requires("edit", establishment="urn")
@require_POST
def request_answer(request: HttpRequest, establishment: Establishment, request_number: int) -> HttpResponse:
    help_request = _request_or_404(establishment, request_number)
    if help_request.helper_id != establishment.pk:
        raise PermissionDenied  # only the helping school answers
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _request_page(request, establishment, help_request, form, status=400)
    try:
        if form.cleaned_data["answer"] == "accept":
            services.help_request_accept(help_request=help_request, user=request.user)
            messages.success(request, f"You accepted the request. {help_request.asker.name} has your email address")
        else:
            services.help_request_decline(
                help_request=help_request, user=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(request, "You declined the request")
    except services.PeerError as error:
        messages.error(request, str(error))
    return redirect(_request_url(establishment, help_request))


@policy.requires("edit", establishment="urn")
@require_POST
def request_withdraw(request: HttpRequest, establishment: Establishment, request_number: int) -> HttpResponse:
    help_request = _request_or_404(establishment, request_number)
    if help_request.asker_id != establishment.pk:
        raise PermissionDenied  # only the asking school withdraws
    try:
        services.help_request_withdraw(help_request=help_request, user=request.user)
        messages.success(request, "You withdrew the request")
    except services.PeerError as error:
        messages.error(request, str(error))
    return redirect(_request_url(establishment, help_request))


@policy.requires("edit", establishment="urn")
@require_POST
def request_done(request: HttpRequest, establishment: Establishment, request_number: int) -> HttpResponse:
    help_request = _request_or_404(establishment, request_number)
    try:
        services.help_request_done(help_request=help_request, user=request.user)
        messages.success(request, "Marked as done")
    except services.PeerError as error:
        messages.error(request, str(error))
    return redirect(_request_url(establishment, help_request))


@policy.requires("edit", establishment="urn")
@require_http_methods(["GET", "POST"])
def request_feedback(request: HttpRequest, establishment: Establishment, request_number: int) -> HttpResponse:
    help_request = _request_or_404(establishment, request_number)
    if help_request.asker_id != establishment.pk:
        raise PermissionDenied  # the school that had the help says how it went
    if help_request.status != HelpRequest.Status.DONE or help_request.feedback_at is not None:
        return redirect(_request_url(establishment, help_request))
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.help_request_feedback(
                help_request=help_request,
                user=request.user,
                helpful=form.cleaned_data["helpful"] == "yes",
                feedback=form.cleaned_data["feedback"],
            )
        except services.PeerError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Thank you for your feedback")
            return redirect(_request_url(establishment, help_request))
    return render(
        request, "peer/feedback.html", {"establishment": establishment, "help_request": help_request, "form": form}
    )


# --- Trusts, local authorities and the department ---


@policy.requires("view", organisation="organisation")
@require_GET
def overview(request: HttpRequest, organisation) -> HttpResponse:
    if isinstance(organisation, Establishment):
        return redirect(_school_url(organisation))
    if organisation is DEPARTMENT:
        rows = selectors.national_counts()
        regions = selectors.totals_by_region(rows)
        chart = (
            charts.bar_chart([(region, requests) for region, _, requests, _ in regions], title="Requests by region")
            if regions
            else None
        )
        return render(
            request,
            "peer/department.html",
            {"count_rows": rows, "regions": regions, "chart": chart, "name": "England"},
        )
    schools = selectors.offers_among(organisation=organisation)
    return render(
        request,
        "peer/organisation.html",
        {
            "organisation": organisation,
            "ref": OrganisationRef.for_organisation(organisation),
            "schools": schools,
            "offering": sum(1 for s in schools if s.offer and s.offer.is_active),
            "could_offer": sum(1 for s in schools if not (s.offer and s.offer.is_active) and s.requirements_met),
            "titles": _titles(),
        },
    )
