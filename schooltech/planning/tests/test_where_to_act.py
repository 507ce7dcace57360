"""Every plan action links to where to act, and an action with no cost says why and how to get one."""

import datetime

import pytest

from schooltech.estate.models import AssetCategory, ConnectionTechnology
from schooltech.planning import services, where_to_act
from schooltech.planning.models import Category, PlanAction
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(reference_data, school, editor):
    contract = factories.ContractFactory(
        establishment=school, supplier="Copper Ltd", title="Broadband", end_date=datetime.date(2027, 7, 11)
    )
    factories.ContractFactory(establishment=school, supplier="Unknown Ltd", title="Printers", end_date=None)
    factories.ConnectionFactory(establishment=school, technology=ConnectionTechnology.FTTC, contract=contract)
    factories.AssetFactory.create_batch(
        2, establishment=school, operating_system="Windows 10 Education", os_version="22H2", support_end=None
    )
    factories.AssetFactory(
        establishment=school, category=AssetCategory.SERVER, operating_system="", os_version="",
        server_role="file", could_move_to_cloud=True, support_end=datetime.date(2028, 1, 31),
    )  # fmt: skip
    factories.ServiceFactory(establishment=school, hosting="cloud", mfa_enforced=False, data_location="")
    plan, _ = services.plan_generate(establishment=school, user=editor)
    return plan


def test_every_generated_action_links_to_a_page_that_opens(plan, school, editor_client):
    actions = list(plan.actions.filter(is_active=True))
    assert len({a.key.partition(":")[0] for a in actions}) >= 8  # contracts, kit, cloud, duties, standards...
    for action in actions:
        found = where_to_act.places(action, school.urn)
        assert len(found) >= 2, action.key  # the page to act on, and the status page
        for place in found:
            assert editor_client.get(place.href).status_code == 200, (action.key, place.href)


def test_the_action_page_shows_where_to_act_and_why_there_is_no_cost(plan, school, editor_client):
    action = plan.actions.get(key__startswith="assess:filtering")
    page = editor_client.get(f"/schools/{school.urn}/plan/actions/{action.pk}").content.decode()
    assert "Where to do this" in page
    assert f'href="/schools/{school.urn}/standards/filtering' in page
    assert "Why there is no cost yet" in page and "takes staff time, not money" in page


def test_an_unmet_requirement_links_to_schools_like_yours_that_meet_it(school):
    action = PlanAction(pk=5, key="requirement:wireless:coverage", is_active=True)
    found = {place.text: place.href for place in where_to_act.places(action, school.urn)}
    assert found["Find schools like yours that meet this and offer help"] == (
        f"/schools/{school.urn}/peer-support/find/wireless/coverage"
    )


def test_a_viewer_sees_where_to_act_but_not_the_status_link(plan, school, client, viewer):
    client.force_login(viewer)
    action = plan.actions.filter(key__startswith="contract-notice:").first()
    page = client.get(f"/schools/{school.urn}/plan/actions/{action.pk}").content.decode()
    assert "Open the contract in the contracts register" in page
    assert "Change its status when you have done it" not in page


@pytest.mark.parametrize(
    ("key", "is_find_out", "source", "buying_helps"),
    [
        ("register-missing:assets", True, "generated", False),
        ("duty:cyber_risk_review:2027-03-31", False, "generated", False),
        ("requirement:cyber:mfa", False, "generated", True),
        ("manual:1:x", False, "manual", True),
        ("contract-notice:7", False, "generated", True),
    ],
)
def test_each_kind_of_uncosted_action_says_why_and_how(key, is_find_out, source, buying_helps):
    action = PlanAction(key=key, is_find_out=is_find_out, source=source, category=Category.CYBER)
    reason = where_to_act.no_cost(action)
    assert reason.why and reason.how and reason.buying_helps is buying_helps


def test_a_costed_action_needs_no_reason():
    assert where_to_act.no_cost(PlanAction(key="x", estimated_cost=10)) is None


def test_a_key_nobody_knows_still_gets_the_status_page(school):
    action = PlanAction(pk=5, key="something-new:1", is_active=True)
    [place] = where_to_act.places(action, school.urn)
    assert place.href.endswith("/plan/actions/5/status")
    assert where_to_act.places(action, school.urn, can_edit=False) == []
