import shutil
from decimal import Decimal

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from schooltech.planning import reference_data
from schooltech.planning.models import BuyingRoute, UnitPrice

pytestmark = pytest.mark.django_db


@pytest.fixture
def data_dir(tmp_path):
    for name in ("buying_routes.yaml", "unit_prices.yaml"):
        shutil.copy(reference_data.DATA_DIR / name, tmp_path / name)
    return tmp_path


def _edit(path, change):
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data))


def test_loading_the_shipped_files_twice_writes_once():
    first = reference_data.reference_data_load()
    assert first.routes_written >= 10 and first.prices_added >= 15
    second = reference_data.reference_data_load()
    assert (second.routes_written, second.prices_added) == (0, 0)
    assert second.routes_unchanged == first.routes_written
    g_cloud = BuyingRoute.objects.get(key="g-cloud")
    assert g_cloud.provider == "Crown Commercial Service" and "cloud" in g_cloud.categories
    assert len(g_cloud.steps) == 5


def test_admin_edits_to_routes_survive_the_same_version_but_not_a_new_one(data_dir):
    reference_data.reference_data_load(data_dir=data_dir)
    BuyingRoute.objects.filter(key="g-cloud").update(name="Edited in the admin")
    reference_data.reference_data_load(data_dir=data_dir)
    assert BuyingRoute.objects.get(key="g-cloud").name == "Edited in the admin"
    _edit(data_dir / "buying_routes.yaml", lambda d: d.update(version="2099.1"))
    reference_data.reference_data_load(data_dir=data_dir)
    assert BuyingRoute.objects.get(key="g-cloud").name == "G-Cloud 15 (RM1557.15)"


def test_a_route_dropped_from_the_file_stops_being_suggested(data_dir):
    reference_data.reference_data_load(data_dir=data_dir)

    def drop(data):
        data["version"] = "2099.1"
        data["routes"] = [r for r in data["routes"] if r["key"] != "outsourced-ict"]

    _edit(data_dir / "buying_routes.yaml", drop)
    reference_data.reference_data_load(data_dir=data_dir)
    assert BuyingRoute.objects.get(key="outsourced-ict").is_active is False


def test_unit_prices_edited_in_the_admin_are_never_overwritten(data_dir):
    reference_data.reference_data_load(data_dir=data_dir)
    UnitPrice.objects.filter(key="laptop").update(price=Decimal("123.00"))
    _edit(data_dir / "unit_prices.yaml", lambda d: d.update(version="2099.1"))
    reference_data.reference_data_load(data_dir=data_dir)
    assert UnitPrice.objects.get(key="laptop").price == Decimal("123.00")


def test_a_bad_file_writes_nothing_and_says_what_is_wrong(data_dir):
    def break_route(data):
        data["routes"][-1]["categories"] = ["not-a-category"]

    _edit(data_dir / "buying_routes.yaml", break_route)
    with pytest.raises(reference_data.ReferenceDataError, match="unknown categories"):
        reference_data.reference_data_load(data_dir=data_dir)
    assert not BuyingRoute.objects.exists()
    assert not UnitPrice.objects.exists()


def test_a_negative_price_is_refused(data_dir):
    _edit(data_dir / "unit_prices.yaml", lambda d: d["prices"][0].update(price="-1"))
    with pytest.raises(reference_data.ReferenceDataError, match="price"):
        reference_data.reference_data_load(data_dir=data_dir)


def test_the_command_reports_what_it_did(capsys, monkeypatch, data_dir):
    call_command("load_planning_data")
    assert "Buying routes:" in capsys.readouterr().out
    monkeypatch.setattr(reference_data, "DATA_DIR", data_dir)
    (data_dir / "buying_routes.yaml").write_text("routes: []\n")
    monkeypatch.setattr(
        "schooltech.planning.management.commands.load_planning_data.reference_data_load",
        lambda: reference_data.reference_data_load(data_dir=data_dir),
    )
    with pytest.raises(CommandError, match="needs a version"):
        call_command("load_planning_data")


def test_a_route_knows_when_it_ends_before_a_purchase():
    import datetime

    route = BuyingRoute(end_date=datetime.date(2027, 3, 31))
    assert route.ends_before(datetime.date(2027, 4, 1))
    assert not route.ends_before(datetime.date(2027, 3, 31))
    assert not BuyingRoute(end_date=None).ends_before(datetime.date(2030, 1, 1))
