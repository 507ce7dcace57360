"""The technology plan: per establishment, dated, costed actions that explain themselves.

- BuyingRoute and UnitPrice are reference data loaded from planning/data/*.yaml by
  `manage.py load_planning_data` and editable by support in the admin.
- Plan: one per establishment, with its horizon (3 or 5 years) and financial-year basis.
- PlanAction: what to do, why (the rule and the facts), by when, priority, cost, owner, buying
  routes and status. Generated actions carry a stable `key`, so regenerating a plan keeps their
  status; manual actions are never touched by the engine.
- PlanVersion: an approved plan, kept as an immutable snapshot.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from schooltech.core.calendar import FINANCIAL_YEAR_BASIS_CHOICES
from schooltech.organisations.models import Establishment


class Category(models.TextChoices):
    BROADBAND = "broadband", "Broadband"
    NETWORK = "network", "Network switching and firewalls"
    WIRELESS = "wireless", "Wireless network"
    DEVICES = "devices", "Laptops, desktops and tablets"
    AUDIO_VISUAL = "audio_visual", "Displays and audio visual"
    SERVERS = "servers", "Servers and storage"
    CLOUD = "cloud", "Cloud services"
    CYBER = "cyber", "Cyber security"
    SAFEGUARDING = "safeguarding", "Filtering and monitoring"
    LEADERSHIP = "leadership", "Digital leadership and governance"
    SOFTWARE = "software", "Software and licences"
    SUPPORT = "support", "IT support"
    DISPOSAL = "disposal", "Disposal and recycling"
    OTHER = "other", "Other"


class Priority(models.IntegerChoices):
    """Bands, most pressing first (the order the plan sorts and the governor report leads with)."""

    STATUTORY = 1, "Statutory and safeguarding"
    SECURITY = 2, "Security"
    CORE_2030 = 3, "Core standards for 2030"
    OTHER = 4, "Other"


class BuyingRoute(models.Model):
    key = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    provider = models.CharField(max_length=200, blank=True)
    dfe_approved = models.BooleanField("DfE-approved framework", default=True)
    categories = models.JSONField(default=list, help_text='Plan categories this route suits, e.g. ["devices"]')
    covers = models.TextField("what it covers")
    how_to_buy = models.TextField(help_text="Steps, one per line")
    url = models.URLField(max_length=300)
    end_date = models.DateField(null=True, blank=True, help_text="Blank when not recorded: check the provider's page")
    is_active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0, help_text="Suggested first when lower")
    data_version = models.CharField(max_length=20, blank=True, help_text="The data file version last loaded")
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-dfe_approved", "position", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def steps(self) -> list[str]:
        return [line.strip() for line in self.how_to_buy.splitlines() if line.strip()]

    def ends_before(self, day) -> bool:
        return self.end_date is not None and day is not None and self.end_date < day


class UnitPrice(models.Model):
    """A planning estimate per unit (not a quote): what one replacement or service typically costs."""

    key = models.SlugField(max_length=60, unique=True, help_text="An asset category or a service, e.g. laptop")
    label = models.CharField(max_length=100)
    unit = models.CharField(max_length=60, default="each", help_text="e.g. each, per year, one-off")
    price = models.DecimalField("price (£)", max_digits=10, decimal_places=2)
    basis = models.CharField(max_length=300, blank=True, help_text="Where the figure comes from")
    data_version = models.CharField(max_length=20, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["label"]

    def __str__(self) -> str:
        return f"{self.label}: £{self.price:,.2f} {self.unit}"


class Plan(models.Model):
    class Horizon(models.IntegerChoices):
        THREE = 3, "3 years"
        FIVE = 5, "5 years"

    establishment = models.OneToOneField(Establishment, on_delete=models.CASCADE, related_name="technology_plan")
    horizon_years = models.PositiveSmallIntegerField(choices=Horizon.choices, default=Horizon.FIVE)
    financial_year_basis = models.CharField(
        max_length=10, choices=FINANCIAL_YEAR_BASIS_CHOICES, blank=True, help_text="Blank: from the GIAS type"
    )
    generated_on = models.DateField(null=True, blank=True, help_text="The date the engine planned from")
    generated_at = models.DateTimeField(null=True, blank=True)
    refresh_requested_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when the facts behind the plan changed and an update is queued"
    )
    pending_changes = models.JSONField(default=list, blank=True, help_text="What changed since the last update")
    last_update = models.JSONField(
        default=dict, blank=True, help_text="The last update: why (changes) and what it did (counts, titles)"
    )
    unused_facts = models.JSONField(
        null=True,
        blank=True,
        help_text="What the school recorded that drives no action, and why, as of the last update (null: not kept yet)",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Technology plan for {self.establishment.name}"


class PlanAction(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        DEFERRED = "deferred", "Deferred"

    class Source(models.TextChoices):
        GENERATED = "generated", "From the plan rules"
        MANUAL = "manual", "Added by hand"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    establishment = models.ForeignKey(Establishment, on_delete=models.CASCADE, related_name="plan_actions")
    key = models.CharField(max_length=200, help_text="Stable across regenerations")
    title = models.CharField("what to do", max_length=300)
    why = models.TextField()
    rule_key = models.CharField(max_length=60, blank=True)
    facts = models.JSONField(default=list, blank=True, help_text="[{label, value, source}] the rule used")
    due_date = models.DateField()
    event_date = models.DateField(
        null=True, blank=True, help_text="When the thing behind it happens: a contract ends, support ends"
    )
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.OTHER)
    category = models.CharField(max_length=20, choices=Category.choices, default=Category.OTHER)
    is_find_out = models.BooleanField(default=False, help_text="A fact is missing: find it out")
    estimated_cost = models.DecimalField("estimated cost (£)", max_digits=12, decimal_places=2, null=True, blank=True)
    cost_basis = models.CharField(max_length=300, blank=True)
    owner = models.CharField(max_length=200, blank=True)
    route_keys = models.JSONField(default=list, blank=True)
    group_key = models.CharField(max_length=120, blank=True, help_text="Steps that belong together")
    step = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.PLANNED)
    deferred_reason = models.TextField(blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.GENERATED)
    is_active = models.BooleanField(default=True, help_text="False when the rules no longer call for it")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "priority", "group_key", "step", "key"]
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="unique_plan_action_key")]
        indexes = [models.Index(fields=["establishment", "is_active", "due_date"])]

    def __str__(self) -> str:
        return self.title


class PlanVersion(models.Model):
    """An approved plan as it stood when approved. Never changed or deleted once written."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    establishment = models.ForeignKey(Establishment, on_delete=models.CASCADE, related_name="plan_versions")
    number = models.PositiveIntegerField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by_name = models.CharField(max_length=200)
    approved_at = models.DateTimeField()
    snapshot = models.JSONField(help_text="The actions and totals as approved")

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="unique_plan_version_number")]

    def __str__(self) -> str:
        return f"Version {self.number} of the plan for {self.establishment.name}"

    def save(self, *args, **kwargs):
        if self.pk is not None and PlanVersion.objects.filter(pk=self.pk).exists():
            raise ValidationError("An approved plan version cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("An approved plan version cannot be deleted")


class PlanBudget(models.Model):
    """What the school has to spend on technology in one financial year, as the school entered it."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="budgets")
    establishment = models.ForeignKey(Establishment, on_delete=models.CASCADE, related_name="plan_budgets")
    year_start = models.DateField(help_text="The first day of the financial year (in the plan's basis)")
    amount = models.DecimalField("budget (£)", max_digits=12, decimal_places=2)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["year_start"]
        constraints = [models.UniqueConstraint(fields=["plan", "year_start"], name="unique_plan_budget_year")]

    def __str__(self) -> str:
        return f"£{self.amount:,.2f} from {self.year_start}"


HISTORY_TRACKED = (Plan, PlanAction, PlanBudget)
