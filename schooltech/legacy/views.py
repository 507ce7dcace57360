"""Pages of the department's legacy technology register: department roles only (accounts/policy.py)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from schooltech.accounts import policy
from schooltech.core.pagination import page_of
from schooltech.legacy import matrix as risk_value_matrix
from schooltech.legacy import scoring, selectors, services
from schooltech.legacy.forms import CriterionScoreForm
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
