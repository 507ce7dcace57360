"""What schools share with the department, and the figures made from it.

A school's sharing choice is a row that is never changed: each new choice adds a row, so the latest is
the current choice and the earlier ones are its history. Snapshots hold one sharing school's value of one
metric in one term; aggregates hold the figures for an area (England, a region, a local authority, a
trust) and phase, with the cells too small to publish marked as suppressed.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from schooltech.organisations.models import Establishment


class SharingChoice(models.Model):
    """One decision by a school's approver about what the school shares with the department."""

    establishment = models.ForeignKey(Establishment, on_delete=models.CASCADE, related_name="+")
    standards = models.BooleanField("standards results", default=False)
    estate = models.BooleanField("estate figures", default=False)
    plans = models.BooleanField("plan figures", default=False)
    notice_version = models.CharField(max_length=20, help_text="The version of the notice the approver read")
    chosen_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    chosen_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-chosen_at", "-pk"]
        indexes = [models.Index(fields=["establishment", "-chosen_at", "-id"], name="insights_sharing_latest_idx")]

    def __str__(self) -> str:
        return f"{self.establishment.urn}: {self.summary}"

    @property
    def summary(self) -> str:
        shared = [name for name, on in self.categories.items() if on]
        return ", ".join(shared) if shared else "nothing shared"

    @property
    def categories(self) -> dict[str, bool]:
        return {"standards results": self.standards, "estate figures": self.estate, "plan figures": self.plans}

    @property
    def shares_anything(self) -> bool:
        return self.standards or self.estate or self.plans


class MetricSnapshot(models.Model):
    """One sharing school's value of one metric in one term (see insights/metrics.py)."""

    establishment = models.ForeignKey(Establishment, on_delete=models.CASCADE, related_name="+")
    term = models.CharField(max_length=20, help_text="e.g. 2026-3-autumn")
    metric_key = models.CharField(max_length=120)
    category = models.CharField(max_length=10, help_text="The sharing category it came from")
    numerator = models.FloatField()
    denominator = models.FloatField(default=1.0)
    taken_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["establishment", "term", "metric_key"], name="unique_metric_snapshot")
        ]
        indexes = [models.Index(fields=["term", "metric_key"])]

    def __str__(self) -> str:
        return f"{self.term} {self.metric_key} {self.establishment_id}"


class Aggregate(models.Model):
    """One metric's figure for one area and phase in one term, from the sharing schools' snapshots."""

    class AreaKind(models.TextChoices):
        ENGLAND = "england", "England"
        REGION = "region", "Region"
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        TRUST = "trust", "Trust"

    class Suppression(models.TextChoices):
        NONE = "", "Shown"
        PRIMARY = "primary", "Fewer than 5 schools"
        SECONDARY = "secondary", "Hidden so that a smaller group cannot be worked out"

    term = models.CharField(max_length=20)
    metric_key = models.CharField(max_length=120)
    area_kind = models.CharField(max_length=20, choices=AreaKind.choices)
    area_key = models.CharField(max_length=100, help_text="Region name, LA code or trust UID; empty for England")
    area_name = models.CharField(max_length=255)
    phase = models.CharField(max_length=10, blank=True, help_text="Ofsted phase; empty for all phases")
    schools = models.PositiveIntegerField()
    numerator = models.FloatField()
    denominator = models.FloatField()
    value = models.FloatField(null=True)
    suppression = models.CharField(max_length=10, choices=Suppression.choices, blank=True)
    public = models.BooleanField(help_text="The metric is a public aggregate (not department only)")
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["term", "metric_key", "area_kind", "area_key", "phase"], name="unique_aggregate_cell"
            )
        ]
        indexes = [models.Index(fields=["term", "area_kind", "area_key"])]

    def __str__(self) -> str:
        return f"{self.term} {self.metric_key} {self.area_kind}:{self.area_key} {self.phase or 'all'}"

    @property
    def suppressed(self) -> bool:
        return bool(self.suppression)
