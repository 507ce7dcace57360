"""Pages of the department's legacy technology register: department roles only (accounts/policy.py)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from schooltech.accounts import policy
from schooltech.core.pagination import page_of
from schooltech.legacy import matrix as risk_value_matrix
from schooltech.legacy import scoring, selectors, services
from schooltech.legacy.forms import CriterionScoreForm, DecisionForm, MilestoneForm
from schooltech.legacy.models import Criterion, Directorate

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
    }
    return render(request, "legacy/service.html", context)


def _service_or_404(service_id: int):
    found = selectors.service_detail(service_id)
    if found is None:
        raise Http404("No such service")
    return found


@policy.requires_department("score_legacy")
def score(request, service_id: int):
    found = _service_or_404(service_id)
    form = CriterionScoreForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.criterion_score_set(actor=request.user, service=found, **form.cleaned_data)
        messages.success(request, f"{Criterion(form.cleaned_data['criterion']).label} scored")
        return redirect("legacy:service", service_id=found.pk)
    status = 400 if form.errors else 200
    return render(request, "legacy/score.html", {"form": form, "service": found}, status=status)


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


def _form_page(request, service, form, *, heading: str, button: str):
    context = {"form": form, "service": service, "heading": heading, "button": button}
    return render(request, "legacy/form.html", context, status=400 if form.errors else 200)


@policy.requires_department("decide_legacy")
def decision_new(request, service_id: int):
    found = _service_or_404(service_id)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.decision_record(actor=request.user, service=found, **form.cleaned_data)
        messages.success(request, "Decision recorded")
        return redirect("legacy:service", service_id=found.pk)
    return _form_page(request, found, form, heading="Record a decision", button="Record decision")


@policy.requires_department("decide_legacy")
def milestone_new(request, service_id: int):
    found = _service_or_404(service_id)
    form = MilestoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.milestone_add(actor=request.user, service=found, **form.cleaned_data)
        messages.success(request, "Milestone added")
        return redirect("legacy:service", service_id=found.pk)
    return _form_page(request, found, form, heading="Add a milestone", button="Add milestone")


@policy.requires_department("decide_legacy")
@require_POST
def milestone_done(request, service_id: int, milestone_id: int):
    milestone = selectors.milestone_of(service_id=service_id, milestone_id=milestone_id)
    if milestone is None:
        raise Http404("No such milestone")
    if milestone.done_on is None:
        services.milestone_complete(actor=request.user, milestone=milestone, done_on=timezone.localdate())
        messages.success(request, f"“{milestone.title}” marked as done")
    return redirect("legacy:service", service_id=service_id)
