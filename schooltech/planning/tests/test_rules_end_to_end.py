"""The plan's newer rules from real registers: each action they make opens where to act, and a school's
plan has one action per need and no per-device duplicates (database, through plan_generate)."""

import datetime
from collections import Counter

import pytest

from schooltech.estate.models import AssetCategory, ConnectionTechnology
from schooltech.planning import services, where_to_act
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 5, 11)


@pytest.fixture
def plan(reference_data, school, editor):
    line = factories.ContractFactory(
        establishment=school, supplier="Fibre Ltd", title="Internet", end_date=datetime.date(2028, 8, 31),
        start_date=datetime.date(2025, 9, 1), notice_days=90, auto_renews=True,
    )  # fmt: skip
    factories.ConnectionFactory(
        establishment=school, technology=ConnectionTechnology.FTTP, contract=line,
        download_mbps_contracted=80, upload_mbps_contracted=20,
    )  # fmt: skip
    factories.ContractFactory(establishment=school, supplier="Safe Ltd", title="Web filtering", end_date=None)
    factories.AssetFactory.create_batch(
        30, establishment=school, category=AssetCategory.TABLET, operating_system="iPadOS", os_version="16",
        make="Apple", model_name="iPad 9", purchase_date=datetime.date(2022, 9, 1),
        warranty_end=datetime.date(2023, 9, 1), support_end=None,
    )  # fmt: skip
    factories.AssetFactory(
        establishment=school, category=AssetCategory.UPS, operating_system="", os_version="", make="APC",
        model_name="Smart-UPS", support_end=None, warranty_end=datetime.date(2027, 1, 15),
    )  # fmt: skip
    factories.AssetFactory(
        establishment=school, category=AssetCategory.SERVER, operating_system="", os_version="",
        could_move_to_cloud=False, support_end=None,
    )  # fmt: skip
    factories.ServiceFactory(establishment=school, name="Maths app", renewal_date=datetime.date(2026, 9, 1),
                             licences_bought=10, licences_used=12)  # fmt: skip
    factories.ServiceFactory(establishment=school, name="Quiz app")
    plan, _ = services.plan_generate(establishment=school, user=editor, today=TODAY)
    return plan


def test_the_newer_rules_act_on_every_register_fact_and_link_to_where_to_act(plan, school, editor_client):
    actions = {a.key: a for a in plan.actions.filter(is_active=True)}
    line = next(a for a in actions.values() if a.key.startswith("contract-notice:"))
    facts = {f["label"]: f["value"] for f in line.facts}
    assert facts["Contracted speed"] == "80 Mbps download, 20 Mbps upload"  # the speed is planned with the line
    assert facts["Renewal term"] == "3 years" and "Next decision point" in facts
    assert "broadband-speed" not in actions
    for key in (
        "warranty:ups:2026",
        "server-support-unknown",
        "device-minimums:tablet",
        "software-renewal-unknown",
    ):
        assert key in actions, sorted(actions)
    assert any(k.startswith("licences-short:") for k in actions)
    assert any(k.startswith("software-renewal:") for k in actions)
    filtering = next(a for a in actions.values() if a.key.startswith("contract-end-unknown:"))
    assert filtering.priority == 1  # statutory and safeguarding, though linked to nothing
    for action in actions.values():
        found = where_to_act.places(action, school.urn)
        assert len(found) >= 2, action.key
    for key in ("warranty:ups:2026", "device-minimums:tablet", "software-renewal-unknown"):
        for place in where_to_act.places(actions[key], school.urn):
            assert editor_client.get(place.href).status_code == 200, (key, place.href)


def test_one_action_per_need_and_thirty_tablets_are_one_action(plan):
    actions = list(plan.actions.filter(is_active=True))
    needs = Counter(a.key for a in actions if a.key.startswith("requirement:"))
    assert all(n == 1 for n in needs.values())
    tablets = [a for a in actions if a.rule_key == "device_support" or a.key.startswith("device-support-unknown")]
    assert len(tablets) == 1  # 30 tablets of one model and date: one action, not thirty
    assert "30" in tablets[0].title


def test_the_overview_lists_what_the_plan_does_not_use_and_why(plan, school, editor, editor_client, monkeypatch):
    factories.ContractFactory(
        establishment=school, supplier="Lease Co", title="Long lease", end_date=datetime.date(2040, 1, 1),
        auto_renews=False,
    )  # fmt: skip
    services.plan_generate(establishment=school, user=editor, today=TODAY)  # as the background update does

    def rebuilt(*args, **kwargs):
        raise AssertionError("the overview rebuilt the plan to list what it does not use")

    monkeypatch.setattr("schooltech.planning.engine.build_plan", rebuilt)
    page = editor_client.get(f"/schools/{school.urn}/plan/").content.decode()
    assert "Recorded but not used by this plan: 1 item" in page
    assert "Lease Co: Long lease" in page and "Its next decision falls after the plan ends" in page


def test_a_plan_updated_before_its_unused_facts_were_kept_still_lists_them(plan, school, editor_client):
    plan.unused_facts = None
    plan.save(update_fields=["unused_facts"])
    factories.ContractFactory(
        establishment=school, supplier="Lease Co", title="Long lease", end_date=datetime.date(2040, 1, 1),
        auto_renews=False,
    )  # fmt: skip
    page = editor_client.get(f"/schools/{school.urn}/plan/").content.decode()
    assert "Lease Co: Long lease" in page
