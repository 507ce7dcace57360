"""Training pages: the catalogue (public), a course, support's correction, and a school's training
records with when each audience's training is next due. Each view declares its access with one
policy decorator; services do the writing."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from schooltech.accounts import policy
from schooltech.organisations.models import Establishment
from schooltech.standards import selectors as standards_selectors
from schooltech.training import selectors, services
from schooltech.training.forms import CourseFilterForm, CourseForm, TrainingRecordForm
from schooltech.training.models import Course, LinkStatus, TrainingRecord

STATE_TAGS = {
    "not_recorded": ("govuk-tag--grey", "Not recorded"),
    "overdue": ("govuk-tag--red", "Overdue"),
    "due_soon": ("govuk-tag--yellow", "Due soon"),
    "in_time": ("govuk-tag--green", "Done"),
}


def _standards() -> list[tuple[str, str]]:
    return [(standard.key, standard.title) for standard in standards_selectors.current_standards()]


def _course_or_404(course_key: str, *, include_inactive: bool = False) -> Course:
    course = selectors.course_by_key(key=course_key, include_inactive=include_inactive)
    if course is None:
        raise Http404("No such course")
    return course


@policy.public
@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    form = CourseFilterForm(request.GET or None, standards=_standards())
    filters = form.cleaned_data if form.is_valid() else {}
    found = selectors.courses(
        audience=filters.get("audience", ""), cost=filters.get("cost", ""), standard=filters.get("standard", "")
    )
    return render(
        request,
        "training/catalogue.html",
        {"form": form, "courses": found, "filtered": bool(filters and any(filters.values()))},
    )


@policy.public
@require_GET
def course_detail(request: HttpRequest, course_key: str) -> HttpResponse:
    staff = request.user.is_authenticated and request.user.is_staff
    course = _course_or_404(course_key, include_inactive=staff)
    return render(
        request,
        "training/course.html",
        {
            "course": course,
            "requirements": selectors.requirement_titles(),
            "duties": selectors.duty_titles(),
            "is_support": staff,
            "LinkStatus": LinkStatus,
        },
    )


@policy.staff_only
@require_http_methods(["GET", "POST"])
def course_change(request: HttpRequest, course_key: str) -> HttpResponse:
    course = _course_or_404(course_key, include_inactive=True)
    form = CourseForm(request.POST if request.method == "POST" else None, initial=CourseForm.initial_for(course))
    if request.method == "POST" and form.is_valid():
        services.course_update(course=course, values=form.cleaned_data, user=request.user)
        messages.success(request, "Course updated. Loading the catalogue file will not overwrite it.")
        return redirect("training:course", course_key=course.key)
    return render(request, "training/course_change.html", {"course": course, "form": form})


# --- a school's training ---


@policy.requires("view", establishment="urn")
@require_GET
def school(request: HttpRequest, establishment: Establishment) -> HttpResponse:
    today = timezone.localdate()
    due = selectors.audiences_due(establishment_ids=[establishment.pk], today=today)[establishment.pk]
    return render(
        request,
        "training/school.html",
        {
            "establishment": establishment,
            "due": due,
            "state_tags": STATE_TAGS,
            "records": selectors.records_for(establishment=establishment),
            "can_edit": policy.can(request.user, "edit", establishment),
        },
    )


@policy.requires("edit", establishment="urn")
@require_http_methods(["GET", "POST"])
def record(request: HttpRequest, establishment: Establishment) -> HttpResponse:
    offered = selectors.courses()
    initial = {"course": request.GET.get("course", "")} if request.GET.get("course") else None
    form = TrainingRecordForm(request.POST if request.method == "POST" else None, courses=offered, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.training_record_create(
                establishment=establishment,
                course=form.cleaned_data["course"],
                audience=form.cleaned_data["audience"],
                people=form.cleaned_data["people"],
                completed_on=form.cleaned_data["completed_on"],
                notes=form.cleaned_data["notes"],
                user=request.user,
            )
        except services.TrainingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Training recorded")
            return redirect("training:school", urn=establishment.urn)
    return render(request, "training/record.html", {"establishment": establishment, "form": form})


@policy.requires("edit", establishment="urn", objects={"record_id": TrainingRecord})
@require_http_methods(["GET", "POST"])
def remove(request: HttpRequest, establishment: Establishment, record: TrainingRecord) -> HttpResponse:
    if request.method == "POST":
        services.training_record_delete(record=record, user=request.user)
        messages.success(request, "Training record removed")
        return redirect("training:school", urn=establishment.urn)
    return render(
        request,
        "training/remove.html",
        {
            "establishment": establishment,
            "record": record,
            "back": reverse("training:school", kwargs={"urn": establishment.urn}),
        },
    )
