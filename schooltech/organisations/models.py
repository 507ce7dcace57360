"""Organisations from Get Information About Schools (GIAS): establishments, groups and local authorities.

Identifiers (URN, UKPRN, group UID, LA code) are strings: they are labels, not numbers, and some
carry leading zeros. Coded GIAS fields keep both the code and the name GIAS publishes.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from schooltech.organisations.search_text import TOKEN_MAX_LENGTH


class LocalAuthority(models.Model):
    code = models.CharField("LA code", max_length=3, unique=True, help_text="DfE 3-digit LA code, e.g. 202")
    name = models.CharField(max_length=200)
    gss_code = models.CharField("ONS code", max_length=9, blank=True, help_text="e.g. E09000007")
    region = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "local authorities"

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Group(models.Model):
    """A GIAS group: multi-academy or single-academy trust, federation, umbrella trust."""

    class GroupType(models.TextChoices):
        FEDERATION = "1", "Federation"
        TRUST = "2", "Trust"
        SCHOOL_SPONSOR = "5", "School sponsor"
        MULTI_ACADEMY_TRUST = "6", "Multi-academy trust"
        UMBRELLA_TRUST = "7", "Umbrella trust"
        SINGLE_ACADEMY_TRUST = "10", "Single-academy trust"

    uid = models.CharField("Group UID", max_length=10, unique=True)
    group_id = models.CharField("Group ID", max_length=20, blank=True, help_text="e.g. TR00261")
    name = models.CharField(max_length=255)
    companies_house_number = models.CharField(max_length=10, blank=True)
    ukprn = models.CharField("UKPRN", max_length=8, blank=True)
    group_type = models.CharField(max_length=2, choices=GroupType.choices)
    status = models.CharField(max_length=50, blank=True, default="Open")
    open_date = models.DateField(null=True, blank=True)
    closed_date = models.DateField(null=True, blank=True)
    gias_imported = models.BooleanField(
        "from an official GIAS import",
        default=False,
        help_text="Written by import_gias; the shipped data never changes it",
    )

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["group_type"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_trust(self) -> bool:
        return self.group_type in {self.GroupType.MULTI_ACADEMY_TRUST, self.GroupType.SINGLE_ACADEMY_TRUST}


class Establishment(models.Model):
    """A school, college or other establishment, keyed by its URN."""

    class Status(models.TextChoices):
        OPEN = "1", "Open"
        CLOSED = "2", "Closed"
        OPEN_PROPOSED_TO_CLOSE = "3", "Open, but proposed to close"
        PROPOSED_TO_OPEN = "4", "Proposed to open"

    class OfstedPhase(models.TextChoices):
        """The phase Ofsted reports a school under: the groups schools are compared within."""

        NURSERY = "Nursery"
        PRIMARY = "Primary"
        SECONDARY = "Secondary"
        SPECIAL = "Special"
        PUPIL_REFERRAL_UNIT = "PRU", "Pupil referral unit"

    OPEN_STATUSES = (Status.OPEN, Status.OPEN_PROPOSED_TO_CLOSE)

    class TypeGroup(models.TextChoices):
        """GIAS establishment type groups (EstablishmentTypeGroup), as type_group_code holds them."""

        COLLEGES = "1", "Colleges"
        UNIVERSITIES = "2", "Universities"
        INDEPENDENT_SCHOOLS = "3", "Independent schools"
        LOCAL_AUTHORITY_MAINTAINED = "4", "Local authority maintained schools"
        SPECIAL_SCHOOLS = "5", "Special schools"
        WELSH_SCHOOLS = "6", "Welsh schools"
        OTHER_TYPES = "9", "Other types"
        ACADEMIES = "10", "Academies"
        FREE_SCHOOLS = "11", "Free Schools"
        ONLINE_PROVIDER = "13", "Online provider"

    ACADEMY_TYPE_GROUPS = (TypeGroup.ACADEMIES, TypeGroup.FREE_SCHOOLS)
    # GIAS puts these two types in "Special schools", not "Local authority maintained schools", but the
    # local authority maintains them (unlike non-maintained and independent special schools in that group).
    MAINTAINED_SPECIAL_SCHOOL_TYPES = ("7", "12")  # community special school, foundation special school

    class Phase(models.TextChoices):
        """GIAS phases of education (PhaseOfEducation), as phase_code holds them."""

        NOT_APPLICABLE = "0", "Not applicable"
        NURSERY = "1", "Nursery"
        PRIMARY = "2", "Primary"
        MIDDLE_DEEMED_PRIMARY = "3", "Middle deemed primary"
        SECONDARY = "4", "Secondary"
        MIDDLE_DEEMED_SECONDARY = "5", "Middle deemed secondary"
        SIXTEEN_PLUS = "6", "16 plus"
        ALL_THROUGH = "7", "All-through"

    urn = models.CharField("URN", max_length=8, unique=True)
    ukprn = models.CharField("UKPRN", max_length=8, blank=True, db_index=True)
    name = models.CharField(max_length=255)
    la_establishment_number = models.CharField("establishment number", max_length=4, blank=True)

    type_code = models.CharField(max_length=4, blank=True)
    type_name = models.CharField("type of establishment", max_length=100, blank=True)
    type_group_code = models.CharField(max_length=4, blank=True)
    type_group_name = models.CharField("type group", max_length=100, blank=True)
    phase_code = models.CharField(max_length=2, blank=True)
    phase_name = models.CharField("phase of education", max_length=50, blank=True)
    status = models.CharField(max_length=1, choices=Status.choices, default=Status.OPEN)
    open_date = models.DateField(null=True, blank=True)
    close_date = models.DateField(null=True, blank=True)

    local_authority = models.ForeignKey(
        LocalAuthority, null=True, blank=True, on_delete=models.SET_NULL, related_name="establishments"
    )
    trust = models.ForeignKey(Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="establishments")
    trust_from_gias_import = models.BooleanField(
        default=False, help_text="The trust (or no trust) was set by an official GIAS import; shipped data keeps it"
    )
    region = models.CharField(max_length=100, blank=True)
    district_code = models.CharField("ONS local authority district", max_length=9, blank=True)

    street = models.CharField(max_length=255, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    easting = models.IntegerField(null=True, blank=True)
    northing = models.IntegerField(null=True, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)

    number_of_pupils = models.PositiveIntegerField(null=True, blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True)
    statutory_low_age = models.PositiveSmallIntegerField(null=True, blank=True)
    statutory_high_age = models.PositiveSmallIntegerField(null=True, blank=True)
    # From Ofsted's management information (data/ofsted); GIAS has neither.
    ofsted_phase = models.CharField(max_length=10, choices=OfstedPhase.choices, blank=True)
    idaci_quintile = models.PositiveSmallIntegerField(
        "deprivation quintile",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="Income deprivation affecting children index quintile of the school's area: 1 least, 5 most deprived",
    )
    website = models.CharField(max_length=255, blank=True)

    # Lower-cased name, town and postcode. No longer used by search (see EstablishmentSearchToken);
    # kept because other apps' test factories still set it. Written by the importer.
    search_text = models.TextField(blank=True, editable=False)
    gias_last_changed = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["status"]),
            models.Index(fields=["postcode"]),
            models.Index(fields=["phase_code"]),
            models.Index(fields=["ofsted_phase", "region"]),  # similar schools: same phase and region
            models.Index(fields=["name", "urn"], name="organisations_name_urn_idx"),  # search's name order
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.urn})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_academy(self) -> bool:
        """An academy or free school (both GIAS groups are academies in law, run by a trust)."""
        return self.type_group_code in self.ACADEMY_TYPE_GROUPS

    @property
    def is_maintained_by_local_authority(self) -> bool:
        return (
            self.type_group_code == self.TypeGroup.LOCAL_AUTHORITY_MAINTAINED
            or self.type_code in self.MAINTAINED_SPECIAL_SCHOOL_TYPES
        )

    @classmethod
    def maintained_by_local_authority(cls) -> models.Q:
        """The database form of is_maintained_by_local_authority."""
        return models.Q(type_group_code=cls.TypeGroup.LOCAL_AUTHORITY_MAINTAINED) | models.Q(
            type_code__in=cls.MAINTAINED_SPECIAL_SCHOOL_TYPES
        )


class EstablishmentSearchToken(models.Model):
    """One word an establishment can be found by: a word of its name or town, part of its postcode, its URN
    or UKPRN (see search_text.establishment_tokens). Derived data, kept in step by
    services.establishment_search_tokens_refresh; never edited by hand.

    is_open copies the establishment's status so the usual open-only search never leaves the index.
    The (token, is_open, establishment) index answers a prefix search as a B-tree range scan that never
    reads the table; the unique (establishment, token) index checks one establishment's words and serves
    the refresh's delete.
    """

    # No database constraint: the rows are derived, written only by the token services, and deleted with
    # their establishment by Django's CASCADE. A constraint would cost a check per row on every rebuild
    # (about a third of the time of a full COPY on PostgreSQL).
    establishment = models.ForeignKey(
        Establishment, on_delete=models.CASCADE, related_name="search_tokens", db_index=False, db_constraint=False
    )
    token = models.CharField(max_length=TOKEN_MAX_LENGTH)
    is_open = models.BooleanField()

    class Meta:
        indexes = [models.Index(fields=["token", "is_open", "establishment"], name="organisations_token_open_idx")]
        constraints = [
            models.UniqueConstraint(fields=["establishment", "token"], name="unique_establishment_search_token")
        ]

    def __str__(self) -> str:
        return f"{self.establishment_id}: {self.token}"


class EstablishmentLink(models.Model):
    """A GIAS link between establishments: predecessor, successor, merged, amalgamated and so on."""

    establishment = models.ForeignKey(Establishment, on_delete=models.CASCADE, related_name="links")
    linked_urn = models.CharField("linked URN", max_length=8)
    linked_name = models.CharField(max_length=255, blank=True)
    link_type = models.CharField(max_length=100)
    established_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["established_date", "linked_urn"]
        constraints = [
            models.UniqueConstraint(
                fields=["establishment", "linked_urn", "link_type"], name="unique_establishment_link"
            )
        ]

    def __str__(self) -> str:
        return f"{self.establishment.urn} {self.link_type} {self.linked_urn}"

    @property
    def is_predecessor(self) -> bool:
        return self.link_type.lower().startswith("predecessor")
