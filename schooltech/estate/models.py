"""The school's ICT estate registers: assets, internet connections, software and cloud services,
contracts and information assets. Every register row belongs to one establishment.

Writes go through services.py (which record who changed what in the history); reads through
selectors.py. Lifecycle rules (end of support, device minimums) live in lifecycle.py as data.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from schooltech.core.validation import NumberRange, safe_days_before, sane_date
from schooltech.organisations.models import Establishment

# What a school could really record; anything beyond is a typo or hostile input.
MAX_NOTICE_DAYS = 1825  # five years
POUNDS = NumberRange(0, 9_999_999_999, "£")
PORT_MBPS = NumberRange(0, 1_000_000, "Mbps")  # 1 Tbps
LINE_MBPS = NumberRange(0, 100_000, "Mbps")  # 100 Gbps
LICENCES = NumberRange(0, 10_000_000)


class AssetCategory(models.TextChoices):
    LAPTOP = "laptop", "Laptop"
    DESKTOP = "desktop", "Desktop"
    TABLET = "tablet", "Tablet"
    CHROMEBOOK = "chromebook", "Chromebook"
    INTERACTIVE_DISPLAY = "interactive_display", "Interactive display"
    EDGE_SWITCH = "edge_switch", "Edge switch"
    CORE_SWITCH = "core_switch", "Core switch"
    ACCESS_POINT = "access_point", "Wireless access point"
    FIREWALL = "firewall", "Firewall"
    ROUTER = "router", "Router"
    SERVER = "server", "Server"
    STORAGE = "storage", "Storage"
    UPS = "ups", "UPS"
    PRINTER = "printer", "Printer or MFD"
    OTHER = "other", "Other"


USER_DEVICE_CATEGORIES = (
    AssetCategory.LAPTOP,
    AssetCategory.DESKTOP,
    AssetCategory.TABLET,
    AssetCategory.CHROMEBOOK,
)
SWITCH_CATEGORIES = (AssetCategory.EDGE_SWITCH, AssetCategory.CORE_SWITCH)


class AssetStatus(models.TextChoices):
    IN_USE = "in_use", "In use"
    SPARE = "spare", "Spare"
    IN_REPAIR = "in_repair", "In repair"
    DISPOSED = "disposed", "Disposed"


class WifiStandard(models.TextChoices):
    # Ordered oldest first: lifecycle.py compares by position.
    N = "802.11n", "802.11n (Wi-Fi 4)"
    AC_WAVE_1 = "802.11ac_wave1", "802.11ac Wave 1 (Wi-Fi 5)"
    AC_WAVE_2 = "802.11ac_wave2", "802.11ac Wave 2 (Wi-Fi 5)"
    WIFI_6 = "wifi6", "Wi-Fi 6 (802.11ax)"
    WIFI_6E = "wifi6e", "Wi-Fi 6E"
    WIFI_7 = "wifi7", "Wi-Fi 7 (802.11be)"


class ServerRole(models.TextChoices):
    FILE = "file", "File server"
    MIS = "mis", "MIS"
    DOMAIN_CONTROLLER = "domain_controller", "Domain controller"
    BACKUP = "backup", "Backup"
    OTHER = "other", "Other"


class Contract(models.Model):
    establishment = models.ForeignKey(Establishment, on_delete=models.CASCADE, related_name="estate_contracts")
    supplier = models.CharField(max_length=200)
    title = models.CharField("what it covers", max_length=200)
    start_date = models.DateField(null=True, blank=True, validators=[sane_date])
    end_date = models.DateField(null=True, blank=True, validators=[sane_date])
    notice_days = models.PositiveIntegerField(
        "notice period in days", null=True, blank=True, validators=[NumberRange(0, MAX_NOTICE_DAYS, "days")]
    )
    auto_renews = models.BooleanField("renews automatically", default=False)
    annual_cost = models.DecimalField(
        "annual cost (£)", max_digits=12, decimal_places=2, null=True, blank=True, validators=[POUNDS]
    )
    total_cost = models.DecimalField(
        "total cost (£)", max_digits=12, decimal_places=2, null=True, blank=True, validators=[POUNDS]
    )
    buying_route = models.CharField("buying route or framework", max_length=200, blank=True)
    owner = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["end_date", "supplier"]
        indexes = [models.Index(fields=["establishment", "end_date"])]

    def __str__(self) -> str:
        return f"{self.supplier}: {self.title}"

    @property
    def notice_deadline(self):
        return safe_days_before(self.end_date, self.notice_days)


class Asset(models.Model):
    establishment = models.ForeignKey(Establishment, on_delete=models.CASCADE, related_name="estate_assets")
    category = models.CharField(max_length=30, choices=AssetCategory.choices)
    asset_tag = models.CharField(max_length=100, blank=True)
    serial_number = models.CharField(max_length=100, blank=True)
    make = models.CharField(max_length=100, blank=True)
    model_name = models.CharField("model", max_length=150, blank=True)
    operating_system = models.CharField(max_length=100, blank=True)
    os_version = models.CharField("operating system version", max_length=100, blank=True)
    location = models.CharField(max_length=150, blank=True)
    assigned_to = models.CharField(max_length=150, blank=True)
    purchase_date = models.DateField(null=True, blank=True, validators=[sane_date])
    purchase_cost = models.DecimalField(
        "purchase cost (£)", max_digits=10, decimal_places=2, null=True, blank=True, validators=[POUNDS]
    )
    warranty_end = models.DateField(null=True, blank=True, validators=[sane_date])
    support_end = models.DateField(
        "manufacturer support end",
        null=True,
        blank=True,
        help_text="When firmware and security updates stop",
        validators=[sane_date],
    )
    status = models.CharField(max_length=20, choices=AssetStatus.choices, default=AssetStatus.IN_USE)
    disposal_date = models.DateField(null=True, blank=True, validators=[sane_date])
    weee_reference = models.CharField("WEEE certificate reference", max_length=100, blank=True)
    # Network switches
    port_speed_mbps = models.PositiveIntegerField("port speed (Mbps)", null=True, blank=True, validators=[PORT_MBPS])
    uplink_speed_mbps = models.PositiveIntegerField(
        "uplink speed (Mbps)", null=True, blank=True, validators=[PORT_MBPS]
    )
    # Access points and user devices
    wifi_standard = models.CharField(max_length=20, choices=WifiStandard.choices, blank=True)
    centrally_managed = models.BooleanField(null=True, blank=True)
    # Servers
    server_role = models.CharField(max_length=30, choices=ServerRole.choices, blank=True)
    could_move_to_cloud = models.BooleanField(null=True, blank=True)
    contract = models.ForeignKey(Contract, null=True, blank=True, on_delete=models.SET_NULL, related_name="assets")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["category", "asset_tag", "pk"]
        indexes = [
            models.Index(fields=["establishment", "category", "status"]),
            models.Index(fields=["establishment", "serial_number"]),
            models.Index(fields=["establishment", "asset_tag"]),
        ]

    def __str__(self) -> str:
        label = " ".join(part for part in (self.make, self.model_name) if part) or self.get_category_display()
        return f"{label} ({self.asset_tag or self.serial_number or 'no tag'})"


class ConnectionTechnology(models.TextChoices):
    FTTP = "fttp", "Full fibre (FTTP)"
    LEASED_LINE = "leased_line", "Leased line"
    FTTC = "fttc", "Fibre to the cabinet (FTTC)"
    ADSL = "adsl", "ADSL"
    SATELLITE = "satellite", "Satellite"
    MOBILE = "mobile", "4G or 5G"


class Connection(models.Model):
    class Role(models.TextChoices):
        PRIMARY = "primary", "Primary"
        BACKUP = "backup", "Backup"

    establishment = models.ForeignKey(Establishment, on_delete=models.CASCADE, related_name="estate_connections")
    provider = models.CharField(max_length=150)
    technology = models.CharField(max_length=20, choices=ConnectionTechnology.choices)
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.PRIMARY)
    download_mbps_contracted = models.FloatField(
        "contracted download (Mbps)", null=True, blank=True, validators=[LINE_MBPS]
    )
    upload_mbps_contracted = models.FloatField(
        "contracted upload (Mbps)", null=True, blank=True, validators=[LINE_MBPS]
    )
    download_mbps_measured = models.FloatField(
        "measured download (Mbps)", null=True, blank=True, validators=[LINE_MBPS]
    )
    upload_mbps_measured = models.FloatField("measured upload (Mbps)", null=True, blank=True, validators=[LINE_MBPS])
    measured_on = models.DateField("date measured", null=True, blank=True, validators=[sane_date])
    automatic_failover = models.BooleanField(default=False)
    contract = models.ForeignKey(Contract, null=True, blank=True, on_delete=models.SET_NULL, related_name="connections")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["role", "provider"]

    def __str__(self) -> str:
        return f"{self.provider} {self.get_technology_display()} ({self.get_role_display().lower()})"


class ServiceCategory(models.TextChoices):
    MIS = "mis", "MIS"
    EMAIL = "email", "Email and collaboration"
    LEARNING_PLATFORM = "learning_platform", "Learning platform"
    SAFEGUARDING = "safeguarding", "Safeguarding"
    FILTERING = "filtering", "Filtering"
    MONITORING = "monitoring", "Monitoring"
    BACKUP = "backup", "Backup"
    FINANCE = "finance", "Finance"
    HR = "hr", "HR"
    CURRICULUM = "curriculum", "Curriculum"
    OTHER = "other", "Other"


class Service(models.Model):
    class Hosting(models.TextChoices):
        CLOUD = "cloud", "Cloud"
        ON_PREMISES = "on_premises", "On premises"

    class DataLocation(models.TextChoices):
        UK = "uk", "UK"
        EU = "eu", "EU"
        ELSEWHERE = "elsewhere", "Elsewhere"
        UNKNOWN = "unknown", "Not known"

    establishment = models.ForeignKey(Establishment, on_delete=models.CASCADE, related_name="estate_services")
    name = models.CharField(max_length=150)
    supplier = models.CharField(max_length=150, blank=True)
    category = models.CharField(max_length=30, choices=ServiceCategory.choices)
    hosting = models.CharField(max_length=20, choices=Hosting.choices, default=Hosting.CLOUD)
    data_location = models.CharField(max_length=20, choices=DataLocation.choices, default=DataLocation.UNKNOWN)
    single_sign_on = models.BooleanField(default=False)
    mfa_enforced = models.BooleanField("MFA enforced", default=False)
    licences_bought = models.PositiveIntegerField(null=True, blank=True, validators=[LICENCES])
    licences_used = models.PositiveIntegerField(null=True, blank=True, validators=[LICENCES])
    renewal_date = models.DateField(null=True, blank=True, validators=[sane_date])
    contract = models.ForeignKey(Contract, null=True, blank=True, on_delete=models.SET_NULL, related_name="services")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = "software or cloud service"

    def __str__(self) -> str:
        return self.name


class InformationAsset(models.Model):
    establishment = models.ForeignKey(Establishment, on_delete=models.CASCADE, related_name="estate_information_assets")
    name = models.CharField(max_length=150)
    owner = models.CharField(max_length=150, blank=True)
    holds_personal_data = models.BooleanField(default=False)
    held_in = models.CharField("where it is held", max_length=150, blank=True)
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.SET_NULL, related_name="information_assets"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


HISTORY_TRACKED = (Asset, Connection, Service, Contract, InformationAsset)


class ImportBatch(models.Model):
    """A checked file waiting to be committed: the parsed rows live here so commit needs no file."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", "Previewed"
        COMMITTED = "committed", "Committed"

    establishment = models.ForeignKey(Establishment, on_delete=models.CASCADE, related_name="estate_imports")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    register = models.CharField(max_length=30)
    filename = models.CharField(max_length=255)
    source_format = models.CharField(max_length=30, blank=True)
    rows = models.JSONField(default=list)
    errors = models.JSONField(default=list)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PREVIEWED)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    committed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display().lower()})"
