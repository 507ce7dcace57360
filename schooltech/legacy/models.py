"""The department's own services and systems, their components, their legacy risk and the decisions taken.

Writes go through services.py (recording who changed what, kept by django-simple-history); reads
through selectors.py. How risk is scored is in scoring.py and docs/legacy.md. Nothing here belongs
to a school: only department members with a department role reach it (accounts/policy.py).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from schooltech.core.validation import NumberRange, sane_date

POUNDS = NumberRange(0, 9_999_999_999, "£")
TRANSACTIONS = NumberRange(0, 100_000_000_000)


class Directorate(models.TextChoices):
    SCHOOLS = "schools", "Schools"
    FAMILIES = "families", "Families"
    SKILLS = "skills", "Skills"
    FUNDING = "funding", "Education and Skills Funding"
    OPERATIONS = "operations", "Operations and Infrastructure"
    DATA = "data", "Data and Digital"


class Value(models.IntegerChoices):
    """How much the department relies on a service: the value side of risk against value."""

    LOW = 1, "Low: few users, nothing depends on it"
    MODERATE = 2, "Moderate: one team relies on it"
    HIGH = 3, "High: a directorate or a public process relies on it"
    CRITICAL = 4, "Critical: schools, families or payments depend on it"


class LegacyService(models.Model):
    name = models.CharField(max_length=200, unique=True)
    purpose = models.TextField(max_length=2000)
    directorate = models.CharField(max_length=20, choices=Directorate.choices)
    owner = models.CharField("service owner", max_length=200)
    users = models.TextField("who relies on it", max_length=2000, blank=True)
    transactions_per_year = models.PositiveBigIntegerField(null=True, blank=True, validators=[TRANSACTIONS])
    supports = models.TextField("what it supports", max_length=2000, blank=True)
    value = models.PositiveSmallIntegerField(choices=Value.choices, default=Value.MODERATE)
    annual_cost = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True, validators=[POUNDS])
    hosting = models.CharField(max_length=200, blank=True)
    integrations = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="integrated_by")
    is_example = models.BooleanField(default=False, help_text="Demonstration data, not a real service")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[])

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Software(models.Model):
    service = models.ForeignKey(LegacyService, on_delete=models.CASCADE, related_name="software")
    name = models.CharField(max_length=200)
    version = models.CharField(max_length=50, blank=True)
    support_ends = models.DateField(null=True, blank=True, validators=[sane_date])

    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "software"

    def __str__(self) -> str:
        return f"{self.name} {self.version}".strip()


class Vulnerability(models.Model):
    class Severity(models.TextChoices):
        CRITICAL = "critical", "Critical"
        HIGH = "high", "High"
        MEDIUM = "medium", "Medium"
        LOW = "low", "Low"

    software = models.ForeignKey(Software, on_delete=models.CASCADE, related_name="vulnerabilities")
    reference = models.CharField(max_length=100, help_text="For example a CVE number or a penetration test finding")
    severity = models.CharField(max_length=10, choices=Severity.choices)
    fixed_on = models.DateField(null=True, blank=True, validators=[sane_date])

    history = HistoricalRecords()

    class Meta:
        ordering = ["fixed_on", "reference"]
        verbose_name_plural = "vulnerabilities"

    def __str__(self) -> str:
        return self.reference


class SupplierContract(models.Model):
    service = models.ForeignKey(LegacyService, on_delete=models.CASCADE, related_name="contracts")
    supplier = models.CharField(max_length=200)
    description = models.CharField(max_length=200, blank=True)
    ends_on = models.DateField(null=True, blank=True, validators=[sane_date])
    notice_by = models.DateField("notice must be given by", null=True, blank=True, validators=[sane_date])

    history = HistoricalRecords()

    class Meta:
        ordering = ["ends_on", "supplier"]

    def __str__(self) -> str:
        return self.supplier


class Criterion(models.TextChoices):
    """The CDDO legacy IT risk assessment framework's likelihood criteria, and impact."""

    L1 = "L1", "L1 Software out of support"
    L2 = "L2", "L2 Expired vendor contracts"
    L3 = "L3", "L3 Lack of knowledge and skills"
    L4 = "L4", "L4 Cannot meet business needs"
    L5 = "L5", "L5 Unsuitable physical environment"
    L6 = "L6", "L6 Known security vulnerabilities"
    L7 = "L7", "L7 Historic issues"
    IMPACT = "impact", "Impact"


class CriterionScore(models.Model):
    """A person's score for one criterion of one service, with the reason; every change is kept."""

    service = models.ForeignKey(LegacyService, on_delete=models.CASCADE, related_name="scores")
    criterion = models.CharField(max_length=10, choices=Criterion.choices)
    score = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(6)])
    reason = models.TextField(max_length=2000)
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    scored_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["service", "criterion"], name="one_score_per_criterion")]

    def __str__(self) -> str:
        return f"{self.service}: {self.criterion} {self.score}"


class Decision(models.Model):
    class Kind(models.TextChoices):
        RETIRE = "retire", "Retire"
        REPLACE = "replace", "Replace"
        REMEDIATE = "remediate", "Remediate"
        ACCEPT = "accept", "Accept for now"

    service = models.ForeignKey(LegacyService, on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    rationale = models.TextField(max_length=4000)
    approved_by = models.CharField(max_length=200)
    decided_on = models.DateField(validators=[sane_date])
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return f"{self.service}: {self.get_kind_display()}"


class Milestone(models.Model):
    service = models.ForeignKey(LegacyService, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=200)
    owner = models.CharField(max_length=200)
    due_on = models.DateField(validators=[sane_date])
    done_on = models.DateField(null=True, blank=True, validators=[sane_date])

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title


# --- Principles and standards: the department's own, as versioned data (principles.yaml) -----------


class PrinciplesVersion(models.Model):
    """One published set of the department's technology principles and standards; the latest is current."""

    label = models.CharField(max_length=20, unique=True)
    published_on = models.DateField()
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-published_on", "-id"]

    def __str__(self) -> str:
        return self.label


class Principle(models.Model):
    class Kind(models.TextChoices):
        PRINCIPLE = "principle", "Principle"
        STANDARD = "standard", "Standard"

    version = models.ForeignKey(PrinciplesVersion, on_delete=models.CASCADE, related_name="principles")
    key = models.SlugField(max_length=60)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(max_length=2000)
    source = models.URLField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["version", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="one_principle_per_key_and_version")]

    def __str__(self) -> str:
        return self.title


class PrincipleAssessment(models.Model):
    """How a service measures up to one principle or standard, with the evidence; every change is kept."""

    class Outcome(models.TextChoices):
        MEETS = "meets", "Meets it"
        PARTLY = "partly", "Partly meets it"
        DOES_NOT = "does_not", "Does not meet it"
        NOT_APPLICABLE = "not_applicable", "Does not apply"

    service = models.ForeignKey(LegacyService, on_delete=models.CASCADE, related_name="principle_assessments")
    principle = models.ForeignKey(Principle, on_delete=models.CASCADE, related_name="assessments")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    evidence = models.TextField(max_length=2000)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    assessed_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "principle"], name="one_assessment_per_service_and_principle")
        ]

    def __str__(self) -> str:
        return f"{self.service}: {self.principle} ({self.outcome})"
