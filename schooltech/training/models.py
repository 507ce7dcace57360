"""The training catalogue (courses and guidance, as data) and the training each school records.

A training record says which group of people (a role, never a name) completed a course, how many
of them and when. Records of courses that count towards a recurring duty of the standards (yearly
cyber training for staff and governors) are turned into the standards' duty records by
`services.py`, through the standards' services.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from simple_history.models import HistoricalRecords

from schooltech.core.validation import NumberRange, sane_date
from schooltech.organisations.models import Establishment

MAX_PEOPLE = 10_000


class Audience(models.TextChoices):
    SLT_DIGITAL_LEAD = "slt_digital_lead", "Senior leader for digital technology"
    DSL = "dsl", "Designated safeguarding lead"
    GOVERNORS = "governors", "Governors or trustees"
    IT_SUPPORT = "it_support", "IT support"
    ALL_STAFF = "all_staff", "All staff"
    PUPILS = "pupils", "Pupils"


class CourseFormat(models.TextChoices):
    ONLINE_COURSE = "online_course", "Online course"
    GUIDANCE = "guidance", "Guidance"
    EXERCISE = "exercise", "Exercise"
    TOOL = "tool", "Tool"
    CERTIFICATION = "certification", "Certification"


class Cost(models.TextChoices):
    FREE = "free", "Free"
    PAID = "paid", "Paid"


class LinkStatus(models.TextChoices):
    UNCHECKED = "unchecked", "Not checked yet"
    OK = "ok", "Working"
    BROKEN = "broken", "Not working"


class Course(models.Model):
    """A course, guidance page, exercise or tool, from `data/catalogue.yaml` (support may correct it)."""

    key = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    provider = models.CharField(max_length=200)
    url = models.URLField(max_length=500)
    format = models.CharField(max_length=20, choices=CourseFormat.choices)
    cost = models.CharField(max_length=10, choices=Cost.choices)
    cost_note = models.CharField(max_length=300, blank=True)
    duration = models.CharField(max_length=100, blank=True)
    summary = models.TextField(validators=[MaxLengthValidator(2000)])
    audiences = models.JSONField(default=list, blank=True)  # Audience values
    requirements = models.JSONField(default=list, blank=True)  # "<standard key>.<requirement key>"
    duties = models.JSONField(default=list, blank=True)  # duty keys its completion counts towards
    is_active = models.BooleanField(default=True)
    changed_by_support = models.BooleanField(
        default=False, help_text="Corrected by support: the data file no longer overwrites it"
    )
    link_status = models.CharField(max_length=10, choices=LinkStatus.choices, default=LinkStatus.UNCHECKED)
    link_checked_at = models.DateTimeField(null=True, blank=True)
    link_problem = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords(excluded_fields=["link_status", "link_checked_at", "link_problem"])

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def audience_labels(self) -> list[str]:
        return [Audience(value).label for value in self.audiences if value in Audience.values]


class DutyCoverage(models.Model):
    """Which audiences' training records make a standards duty done (from the data file)."""

    duty_key = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=100, help_text="What the training is called, e.g. Cyber security training")
    audiences = models.JSONField(default=list)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["duty_key"]

    def __str__(self) -> str:
        return self.duty_key


class TrainingRecord(models.Model):
    """A group of people at a school completed a course on a date (a role and a number, no names)."""

    establishment = models.ForeignKey(Establishment, on_delete=models.CASCADE, related_name="training_records")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="records")
    audience = models.CharField(max_length=20, choices=Audience.choices)
    people = models.PositiveIntegerField(validators=[NumberRange(1, MAX_PEOPLE, "people")])
    completed_on = models.DateField(validators=[sane_date])
    notes = models.CharField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["establishment", "-completed_on", "-pk"]
        indexes = [models.Index(fields=["establishment", "completed_on"])]

    def __str__(self) -> str:
        return f"{self.course} ({self.get_audience_display()}) on {self.completed_on:%Y-%m-%d}"
