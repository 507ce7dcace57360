"""The digital and technology standards: a versioned catalogue, self-assessments and recommendations.

The catalogue (standards, requirements, recurring duties, questions and answers) is loaded from
schooltech/standards/catalogue/ by `manage.py load_standards`. Each distinct set of files becomes a
new CatalogueVersion; an assessment points at the Standard row of the version it was answered under,
so it is always read against that version.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from schooltech.organisations.models import Establishment, Group


class Status(models.TextChoices):
    """How far a school meets a requirement or a standard."""

    MEETS = "meets", "Meets"
    PARTLY = "partly", "Partly meets"
    DOES_NOT_MEET = "does_not_meet", "Does not meet"
    NOT_ASSESSED = "not_assessed", "Not assessed"


class PhaseGroup(models.TextChoices):
    PRIMARY = "primary", "Primary"
    SECONDARY = "secondary", "Secondary, all-through, 16 plus or further education"


class WhenToMeet(models.TextChoices):
    NOW = "now", "Now (already expected, or statutory)"
    BEFORE_BUDGET = "before_budget", "Before your next budget cycle"
    END_OF_CONTRACT = "end_of_contract", "At the end of the current contract"
    WHEN_UPGRADING = "when_upgrading", "When you next upgrade or replace it"
    BY_2030 = "by_2030", "By 2030"


class Cadence(models.TextChoices):
    TERMLY = "termly", "Every term"
    ANNUAL = "annual", "Every year"


class CatalogueVersion(models.Model):
    label = models.CharField(max_length=50, help_text="e.g. 2026.1")
    digest = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the catalogue files")
    published = models.DateField(null=True, blank=True, help_text="When GOV.UK last changed the standards")
    loaded_at = models.DateTimeField(auto_now_add=True)
    is_current = models.BooleanField(default=False)

    class Meta:
        ordering = ["-loaded_at", "-pk"]

    def __str__(self) -> str:
        return f"Standards catalogue {self.label}" + (" (current)" if self.is_current else "")


class CatalogueStamp(models.Model):
    """One row whose token changes with every change to the catalogue, so that each process knows
    when the catalogue it keeps (standards/kept.py) is out of date."""

    token = models.CharField(max_length=32)

    def __str__(self) -> str:
        return f"Catalogue stamp {self.token}"


class Standard(models.Model):
    version = models.ForeignKey(CatalogueVersion, on_delete=models.CASCADE, related_name="standards")
    key = models.SlugField(max_length=60)
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    summary = models.TextField()
    is_core = models.BooleanField("core standard for 2030", default=False)
    guidance_url = models.URLField(max_length=300)
    first_question = models.SlugField(max_length=60)

    class Meta:
        ordering = ["version", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="unique_standard_per_version")]

    def __str__(self) -> str:
        return self.title


class Requirement(models.Model):
    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="requirements")
    key = models.SlugField(max_length=60)
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=255)
    description = models.TextField()
    when_to_meet = models.CharField(max_length=20, choices=WhenToMeet.choices)
    # {"all": "..."} or {"primary": "...", "secondary": "..."}: measurable thresholds in plain English.
    thresholds = models.JSONField(default=dict, blank=True)
    recommendation = models.TextField(help_text="What to do when the school does not meet it yet")
    usually_done_by = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["standard", "position"]
        constraints = [models.UniqueConstraint(fields=["standard", "key"], name="unique_requirement_per_standard")]

    def __str__(self) -> str:
        return self.title

    @property
    def phase_dependent(self) -> bool:
        return "primary" in self.thresholds or "secondary" in self.thresholds


class Duty(models.Model):
    """A recurring duty (termly or annual), as data the plan and reminder features can schedule."""

    version = models.ForeignKey(CatalogueVersion, on_delete=models.CASCADE, related_name="duties")
    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="duties")
    key = models.SlugField(max_length=60)
    title = models.CharField(max_length=255)
    cadence = models.CharField(max_length=10, choices=Cadence.choices)
    usually_done_by = models.CharField(max_length=200)
    requirement_key = models.SlugField(max_length=60, blank=True)

    class Meta:
        ordering = ["standard__position", "cadence", "key"]
        verbose_name_plural = "duties"
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="unique_duty_per_version")]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_cadence_display().lower()})"


class Question(models.Model):
    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(max_length=60)
    position = models.PositiveSmallIntegerField()
    topic = models.CharField(max_length=100)
    text = models.CharField(max_length=300)
    hint = models.TextField(blank=True)
    who_to_ask = models.CharField(max_length=200, help_text="Who can answer it, for the 'find out' recommendation")
    fact_rule = models.CharField(max_length=60, blank=True, help_text="A rule in facts.py that answers it")
    fingerprint = models.CharField(
        max_length=64, blank=True, help_text="SHA-256 of what was asked and its options (question_fingerprint)"
    )
    duty_key = models.SlugField(
        max_length=60, blank=True, help_text="Asks when this duty was last done, as a date (in time, overdue, never)"
    )

    class Meta:
        ordering = ["standard", "position"]
        constraints = [models.UniqueConstraint(fields=["standard", "key"], name="unique_question_per_standard")]

    def __str__(self) -> str:
        return self.text

    @property
    def asks_a_date(self) -> bool:
        return bool(self.duty_key)


class Answer(models.Model):
    DONT_KNOW = "dont_know"

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    key = models.SlugField(max_length=60)
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300)
    next_question = models.SlugField(max_length=60, blank=True, help_text="Blank: the last question")
    reason = models.CharField(max_length=300, blank=True, help_text="Why this answer has its effect, if not obvious")
    # [{"requirement": key, "status": "meets" | {"primary": ..., "secondary": ...}, "reason": "..."}]
    effects = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["question", "position"]
        constraints = [models.UniqueConstraint(fields=["question", "key"], name="unique_answer_per_question")]

    def __str__(self) -> str:
        return self.text

    @property
    def is_dont_know(self) -> bool:
        return self.key == self.DONT_KNOW


class SchoolPhase(models.Model):
    """Which thresholds apply to a school whose GIAS phase does not say (asked once)."""

    establishment = models.OneToOneField(Establishment, on_delete=models.CASCADE, related_name="standards_phase")
    phase_group = models.CharField(max_length=10, choices=PhaseGroup.choices)
    chosen_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    chosen_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.establishment.name}: {self.get_phase_group_display()}"


class Assessment(models.Model):
    class State(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        SUBMITTED = "submitted", "Submitted"

    establishment = models.ForeignKey(Establishment, on_delete=models.CASCADE, related_name="standards_assessments")
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="assessments")
    standard_key = models.SlugField(max_length=60, db_index=True)
    state = models.CharField(max_length=15, choices=State.choices, default=State.IN_PROGRESS)
    phase_group = models.CharField(max_length=10, choices=PhaseGroup.choices)
    answers = models.JSONField(default=dict, blank=True, help_text="question key -> answer key")
    # For "when did you last…" questions: question key -> {"on": "YYYY-MM-DD", "by": "who did it"}.
    dates = models.JSONField(default=dict, blank=True)
    # Filled on submit: the facts used, per-requirement results and the overall status.
    facts_used = models.JSONField(default=dict, blank=True)
    results = models.JSONField(default=list, blank=True)
    overall_status = models.CharField(max_length=15, choices=Status.choices, default=Status.NOT_ASSESSED)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Started from a trust's answers given once for several schools (then this school's own to change).
    shared_from = models.ForeignKey(
        "SharedAssessment", null=True, blank=True, on_delete=models.SET_NULL, related_name="school_assessments"
    )
    # Every answer saved, who saved it and why (the audit trail); the results and facts are fixed
    # on submit and kept on the row itself.
    history = HistoricalRecords(excluded_fields=["facts_used", "results", "updated_at"])

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["establishment", "standard_key"],
                condition=models.Q(state="in_progress"),
                name="one_assessment_in_progress_per_standard",
            )
        ]
        indexes = [models.Index(fields=["establishment", "standard_key", "state"])]

    def __str__(self) -> str:
        return f"{self.standard.title} assessment for {self.establishment.name}"


class SharedAssessment(models.Model):
    """A trust's answers to one standard, given once for several of its schools ("assess together").

    Submitting it starts each chosen school's own assessment from these answers (marked
    `shared_from`, started and submitted by the trust's user); from then on each school's results,
    answers and history are its own, and changing one school's answers touches no other school.
    """

    class State(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        APPLIED = "applied", "Shared with the schools"

    class Outcome(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        STARTED = "started", "Started: more questions to answer"
        NOT_STARTED = "not_started", "Not started"

    trust = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="shared_standards_assessments")
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="+")
    standard_key = models.SlugField(max_length=60)
    state = models.CharField(max_length=15, choices=State.choices, default=State.IN_PROGRESS)
    answers = models.JSONField(default=dict, blank=True, help_text="question key -> answer key")
    dates = models.JSONField(default=dict, blank=True)
    establishments = models.ManyToManyField(Establishment, blank=True, related_name="+")
    # Filled when shared: [{"establishment": pk, "outcome": Outcome, "reason": "...", "assessment": pk or None}]
    outcomes = models.JSONField(default=list, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = "assessment answered together"

    def __str__(self) -> str:
        return f"{self.standard.title} answered together by {self.trust.name}"

    @property
    def organisation(self) -> Group:
        """The trust that owns it, for the permission policy."""
        return self.trust


class Recommendation(models.Model):
    class Kind(models.TextChoices):
        ACTION = "action", "Action"
        FIND_OUT = "find_out", "Find out"

    class Progress(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETE = "complete", "Complete"

    establishment = models.ForeignKey(Establishment, on_delete=models.CASCADE, related_name="standards_recommendations")
    standard_key = models.SlugField(max_length=60)
    requirement_key = models.SlugField(max_length=60)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # For "find out", the question to answer; blank for actions.
    question_key = models.SlugField(max_length=60, blank=True)
    title = models.CharField(max_length=300)
    detail = models.TextField()
    who = models.CharField("who usually does it", max_length=200, blank=True)
    progress = models.CharField(max_length=15, choices=Progress.choices, default=Progress.NOT_STARTED)
    notes = models.TextField(blank=True)
    is_active = models.BooleanField(default=True, help_text="False when the latest assessment no longer calls for it")
    assessment = models.ForeignKey(Assessment, null=True, on_delete=models.SET_NULL, related_name="recommendations")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["standard_key", "requirement_key", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["establishment", "standard_key", "requirement_key", "kind", "question_key"],
                name="unique_recommendation",
            )
        ]

    def __str__(self) -> str:
        return self.title


class DutyRecord(models.Model):
    """A recurring duty done on a date: from a self-assessment's "when did you last…", a plan action marked
    done, or the training records that cover it (the training app keeps those in step)."""

    class Source(models.TextChoices):
        SELF_ASSESSMENT = "self_assessment", "Self-assessment"
        PLAN = "plan", "Technology plan"
        TRAINING = "training", "Training records"

    establishment = models.ForeignKey(Establishment, on_delete=models.CASCADE, related_name="duty_records")
    duty_key = models.SlugField(max_length=60)
    done_on = models.DateField()
    done_by = models.CharField(max_length=200, blank=True, help_text="Who did it, as the school recorded it")
    source = models.CharField(max_length=20, choices=Source.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["establishment", "duty_key", "-done_on", "-pk"]
        indexes = [models.Index(fields=["establishment", "duty_key", "done_on"])]

    def __str__(self) -> str:
        return f"{self.duty_key} done on {self.done_on:%Y-%m-%d}"
