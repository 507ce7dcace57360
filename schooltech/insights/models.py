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
