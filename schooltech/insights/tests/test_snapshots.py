"""Snapshots read only what each school shares; aggregates keep department-only metrics apart."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from schooltech.estate.models import ConnectionTechnology
from schooltech.insights import metrics, scheduled, services
from schooltech.insights.models import Aggregate, MetricSnapshot
from schooltech.notifications import registry
from schooltech.planning.models import Category, Plan, PlanAction, Priority
from tests import worker
from tests.factories import ConnectionFactory, EstablishmentFactory, LocalAuthorityFactory, ServiceFactory

pytestmark = pytest.mark.django_db
ON = datetime.date(2026, 11, 30)
TERM = "2026-3-autumn"


@pytest.fixture
def schools():
    camden = LocalAuthorityFactory(code="202", name="Camden", region="London")
    made = []
    for number in range(7):
        school = EstablishmentFactory(
            urn=f"70000{number}", local_authority=camden, region="London", ofsted_phase="Primary", number_of_pupils=200
        )
        ConnectionFactory(establishment=school, technology=ConnectionTechnology.FTTP)
        ServiceFactory(establishment=school, mfa_enforced=True)
        made.append(school)
    return made


def _share(school, **categories):
    choice = {"standards": False, "estate": False, "plans": False, **categories}
    services.sharing_choose(establishment=school, user=None, **choice)


def test_only_sharing_schools_are_snapshotted_and_only_what_they_share(schools):
    for school in schools[:5]:
        _share(school, estate=True)
    _share(schools[5], standards=True)  # shares standards only: its registers stay private

    result = services.snapshots_take(on=ON)

    estate_schools = set(MetricSnapshot.objects.filter(category="estate").values_list("establishment_id", flat=True))
    assert estate_schools == {school.pk for school in schools[:5]}
    assert not MetricSnapshot.objects.filter(establishment__in=schools[5:]).exists()
    assert result.term == TERM and result.schools == 5
    england = Aggregate.objects.get(term=TERM, metric_key="estate.full_fibre", area_kind="england", phase="")
    assert (england.schools, england.value, england.suppression) == (5, 100.0, "")


def test_stopping_removes_the_schools_figures_at_once_and_from_the_next_totals(schools):
    for school in schools[:6]:
        _share(school, estate=True)
    services.snapshots_take(on=ON)
    _share(schools[0])  # stops sharing everything

    assert not MetricSnapshot.objects.filter(establishment=schools[0]).exists()
    services.snapshots_take(on=ON)
    england = Aggregate.objects.get(term=TERM, metric_key="estate.full_fibre", area_kind="england", phase="")
    assert england.schools == 5


def test_cyber_figures_are_department_only_and_a_small_area_is_suppressed(schools):
    for school in schools[:5]:
        _share(school, estate=True)
    other_la = LocalAuthorityFactory(code="204", name="Hackney", region="London")
    lone = EstablishmentFactory(urn="700099", local_authority=other_la, region="London", ofsted_phase="Primary")
    ConnectionFactory(establishment=lone, technology=ConnectionTechnology.FTTC)
    _share(lone, estate=True)

    services.snapshots_take(on=ON)

    mfa = Aggregate.objects.filter(metric_key="estate.mfa_on_cloud_services")
    assert mfa.exists() and not mfa.filter(public=True).exists()
    las = Aggregate.objects.filter(metric_key="estate.full_fibre", area_kind="local_authority", phase="")
    hackney, camden = las.get(area_key="204"), las.get(area_key="202")
    assert hackney.suppression == "primary"
    assert camden.suppression == "secondary"  # else London minus Camden would reveal Hackney's one school
    camden_primaries = las.model.objects.get(
        metric_key="estate.full_fibre", area_kind="local_authority", area_key="202", phase="Primary"
    )
    assert camden_primaries.suppression == "secondary"  # else it would add up to Camden


def test_the_command_takes_the_snapshot_and_is_safe_to_run_again(schools):
    for school in schools[:5]:
        _share(school, estate=True)
    call_command("snapshot_insights", today="2026-11-30", verbosity=0)
    first = sorted(Aggregate.objects.values_list("metric_key", "area_kind", "area_key", "phase", "value"))
    call_command("snapshot_insights", today="2026-11-30", verbosity=0)
    assert sorted(Aggregate.objects.values_list("metric_key", "area_kind", "area_key", "phase", "value")) == first


def test_the_command_refuses_a_bad_date():
    with pytest.raises(Exception, match="--today must be a date"):
        call_command("snapshot_insights", today="yesterday", verbosity=0)


def test_the_scheduled_run_queues_the_snapshot_once_a_day(schools, monkeypatch, django_capture_on_commit_callbacks):
    for school in schools[:5]:
        _share(school, estate=True)
    today = timezone.now()

    def hourly_run(now) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            queued = scheduled.snapshot_due(now=now)
        worker.run_the_worker(monkeypatch)
        return queued

    assert hourly_run(today) == 1  # no figures for this term yet
    assert MetricSnapshot.objects.filter(category="estate").count() > 0
    assert hourly_run(today + datetime.timedelta(hours=23)) == 0
    assert hourly_run(today + datetime.timedelta(hours=25)) == 1
    assert scheduled.JOB in [job.name for job in registry.scheduled_jobs()]


def test_plan_figures_are_spend_by_financial_year_and_by_category(schools):
    # ON is 30 November 2026: the financial years 2026-27, 2027-28 and 2028-29 (April to March).
    school = schools[0]
    _share(school, plans=True)
    plan = Plan.objects.create(establishment=school, generated_on=ON, horizon_years=5)

    def add(key, due, cost, category):
        PlanAction.objects.create(
            plan=plan, establishment=school, key=key, title=key, why="", due_date=due, estimated_cost=Decimal(cost),
            priority=Priority.OTHER, category=category,
        )  # fmt: skip

    add("laptops-now", datetime.date(2027, 1, 15), "1200", Category.DEVICES)
    add("laptops-later", datetime.date(2028, 6, 1), "800", Category.DEVICES)
    add("switch", datetime.date(2027, 5, 1), "3000", Category.NETWORK)
    add("beyond-three-years", datetime.date(2030, 5, 1), "9999", Category.DEVICES)

    services.snapshots_take(on=ON)

    figures = dict(
        MetricSnapshot.objects.filter(establishment=school, category="plans").values_list("metric_key", "numerator")
    )
    assert (figures["plans.spend.2026"], figures["plans.spend.2027"], figures["plans.spend.2028"]) == (1200, 3000, 800)
    assert figures["plans.spend_on.devices"] == 2000  # the 2030 laptops are beyond the three years
    assert figures["plans.spend_on.network"] == 3000
    assert figures["plans.spend_on.cyber"] == 0
    names = {metric.key: metric.name for metric in metrics.plan_metrics(ON)}
    assert names["plans.spend_on.devices"] == "Planned spend: Laptops, desktops and tablets, 2026-27 to 2028-29"


@pytest.mark.parametrize(
    ("phase", "contracted", "measured", "expected"),
    [
        ("Primary", (100, 30), (None, None), 1.0),  # contracted at the speed
        ("Primary", (80, 20), (70, 18), 0.0),  # contracted and measured below it
        ("Primary", (80, 20), (120, 35), 1.0),  # a faster speed test proves the line reaches it
        ("Primary", (None, None), (150, 40), 1.0),
        ("Primary", (None, None), (50, 10), None),  # a slow test cannot show a line fails: no figure
        ("Secondary", (1000, 1000), (940, 900), 1.0),  # 940 Mbps measured on a 1 Gbps line meets it
        ("Secondary", (500, 500), (None, None), 0.0),
    ],
)
def test_the_speed_figures_judge_the_contracted_speed_as_the_standard_does(phase, contracted, measured, expected):
    school = EstablishmentFactory(urn="700900", ofsted_phase=phase, number_of_pupils=300)
    ConnectionFactory(
        establishment=school,
        download_mbps_contracted=contracted[0],
        upload_mbps_contracted=contracted[1],
        download_mbps_measured=measured[0],
        upload_mbps_measured=measured[1],
        measured_on=ON if measured[0] else None,
    )
    key = "estate.primary_100_30" if phase == "Primary" else "estate.secondary_1gbps"
    value = metrics.estate_school_values(school, ON).get(key)
    assert (value.numerator if value else None) == expected
