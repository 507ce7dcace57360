import datetime

import pytest

from schooltech.estate.models import Asset, AssetStatus, Contract
from tests.factories import (
    AssetFactory,
    ConnectionFactory,
    ContractFactory,
    InformationAssetFactory,
    ServiceFactory,
)

pytestmark = pytest.mark.django_db


def _base(school) -> str:
    return f"/schools/{school.urn}/estate"


def test_every_register_page_renders_for_a_viewer(client, viewer, school):
    client.force_login(viewer)
    AssetFactory(establishment=school)
    ContractFactory(establishment=school)
    ConnectionFactory(establishment=school)
    ServiceFactory(establishment=school)
    InformationAssetFactory(establishment=school)
    paths = ["/", "/ending-soon"] + [
        f"/{slug}/" for slug in ("assets", "connections", "services", "contracts", "information-assets")
    ]
    for path in paths:
        response = client.get(_base(school) + path)
        assert response.status_code == 200, path
        assert "Add an asset" not in response.content.decode()


def test_summary_shows_a_chart_and_the_same_numbers_in_a_table(editor_client, school):
    AssetFactory.create_batch(3, establishment=school, support_end=None)
    body = editor_client.get(_base(school) + "/").content.decode()
    assert '<figure class="app-chart"' in body and 'class="app-chart__bar"' in body
    assert "Support end not known" in body
    assert "style=" not in body
    assert f'href="/schools/{school.urn}/estate/information-assets/"' in body  # every register is linked


def test_another_schools_register_is_refused(editor_client, other_school):
    asset = AssetFactory(establishment=other_school)
    assert editor_client.get(_base(other_school) + "/assets/").status_code == 403
    assert editor_client.get(_base(other_school) + f"/assets/{asset.pk}/").status_code == 403


def test_an_asset_of_another_school_is_not_found_under_your_own_school(editor_client, school, other_school):
    asset = AssetFactory(establishment=other_school)
    assert editor_client.get(_base(school) + f"/assets/{asset.pk}/").status_code == 404
    assert editor_client.post(_base(school) + f"/assets/{asset.pk}/remove").status_code == 404
    assert Asset.objects.filter(pk=asset.pk).exists()


def test_a_viewer_cannot_add(client, viewer, school):
    client.force_login(viewer)
    assert client.get(_base(school) + "/assets/add").status_code == 403


def _asset_form(**overrides):
    data = {
        "category": "laptop",
        "asset_tag": "HT-0001",
        "serial_number": "PF1ABCDE",
        "make": "Lenovo",
        "model_name": "ThinkPad L13",
        "status": "in_use",
        "purchase_date-day": "1",
        "purchase_date-month": "9",
        "purchase_date-year": "2024",
    }
    data.update(overrides)
    return data


def test_adding_an_asset_saves_it_with_history(editor_client, editor, school):
    response = editor_client.post(_base(school) + "/assets/add", _asset_form())
    assert response.status_code == 302
    asset = Asset.objects.get(establishment=school)
    assert asset.purchase_date == datetime.date(2024, 9, 1)
    assert asset.history.first().history_user == editor


def test_adding_an_asset_with_errors_shows_the_error_summary(editor_client, school):
    response = editor_client.post(
        _base(school) + "/assets/add", _asset_form(category="", asset_tag="", serial_number="", status="disposed")
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in body
    assert 'href="#id_category"' in body
    assert "Enter the date the asset was disposed of" in body
    assert not Asset.objects.exists()


def test_a_duplicate_serial_number_is_refused(editor_client, school):
    AssetFactory(establishment=school, serial_number="PF1ABCDE")
    response = editor_client.post(_base(school) + "/assets/add", _asset_form())
    assert "already has this serial number" in response.content.decode()
    assert Asset.objects.count() == 1


def test_editing_and_removing_an_asset(editor_client, school):
    asset = AssetFactory(establishment=school)
    response = editor_client.post(_base(school) + f"/assets/{asset.pk}/edit", _asset_form(location="Library"))
    assert response.status_code == 302
    asset.refresh_from_db()
    assert asset.location == "Library"
    confirm = editor_client.get(_base(school) + f"/assets/{asset.pk}/remove")
    assert "Are you sure" in confirm.content.decode()
    editor_client.post(_base(school) + f"/assets/{asset.pk}/remove")
    assert not Asset.objects.filter(pk=asset.pk).exists()
    assert Asset.history.filter(id=asset.pk, history_type="-").exists()


def test_filters_and_sorting_narrow_the_list(editor_client, school):
    AssetFactory(establishment=school, category="tablet", asset_tag="TAB-1")
    AssetFactory(establishment=school, category="laptop", asset_tag="LAP-1")
    body = editor_client.get(_base(school) + "/assets/?category=tablet").content.decode()
    assert "TAB-1" in body and "LAP-1" not in body
    body = editor_client.get(_base(school) + "/assets/?sort=-asset_tag").content.decode()
    assert body.index("TAB-1") < body.index("LAP-1")
    assert 'aria-sort="descending"' in body


def test_bulk_dispose_marks_every_selected_asset(editor_client, editor, school, other_school):
    mine = AssetFactory.create_batch(2, establishment=school)
    theirs = AssetFactory(establishment=other_school)
    ids = [a.pk for a in mine] + [theirs.pk]
    page = editor_client.get(_base(school) + "/assets/dispose", {"asset": ids})
    assert page.status_code == 200
    response = editor_client.post(
        _base(school) + "/assets/dispose",
        {
            "asset": ids,
            "disposal_date-day": "3",
            "disposal_date-month": "3",
            "disposal_date-year": "2026",
            "weee_reference": "WEEE-77",
        },
    )
    assert response.status_code == 302
    assert set(Asset.objects.filter(status=AssetStatus.DISPOSED).values_list("pk", flat=True)) == {a.pk for a in mine}
    assert Asset.objects.get(pk=mine[0].pk).weee_reference == "WEEE-77"


def test_bulk_dispose_needs_a_weee_reference(editor_client, school):
    asset = AssetFactory(establishment=school)
    response = editor_client.post(
        _base(school) + "/assets/dispose",
        {"asset": [asset.pk], "disposal_date-day": "3", "disposal_date-month": "3", "disposal_date-year": "2026"},
    )
    assert "Enter the WEEE certificate reference" in response.content.decode()
    asset.refresh_from_db()
    assert asset.status == AssetStatus.IN_USE


def test_contract_add_and_ending_soon(editor_client, school):
    today = datetime.date.today()
    ContractFactory(
        establishment=school, title="Broadband", end_date=today + datetime.timedelta(days=40), notice_days=30
    )
    body = editor_client.get(_base(school) + "/ending-soon").content.decode()
    assert "Notice deadline" in body and "Contract ends" in body
    response = editor_client.post(
        _base(school) + "/contracts/add", {"supplier": "Acme Ltd", "title": "Printers", "annual_cost": "1,200"}
    )
    assert response.status_code in (200, 302)


def test_exports_download_as_csv_and_xlsx(editor_client, school):
    AssetFactory(establishment=school, asset_tag="EXP-1")
    csv_response = editor_client.get(_base(school) + "/assets/export.csv")
    assert csv_response["Content-Type"].startswith("text/csv")
    assert "EXP-1" in csv_response.content.decode("utf-8-sig")
    xlsx_response = editor_client.get(_base(school) + "/assets/export.xlsx")
    assert xlsx_response.content[:2] == b"PK"


def test_a_contract_is_created_from_the_form(editor_client, school):
    editor_client.post(
        _base(school) + "/contracts/add", {"supplier": "Acme Ltd", "title": "Printers", "annual_cost": "1200"}
    )
    assert Contract.objects.get(establishment=school).annual_cost == 1200


def test_the_navigation_link_takes_a_school_member_to_their_school(editor_client, school):
    response = editor_client.get("/estate/")
    assert response.status_code == 302 and response["Location"] == f"/schools/{school.urn}/estate/"


def test_a_trust_member_sees_a_line_per_school(client, school):
    from schooltech.accounts.models import Role
    from tests.factories import TrustFactory, UserFactory, make_membership

    trust = TrustFactory(name="Riverside Trust")
    school.trust = trust
    school.save()
    director = UserFactory()
    make_membership(director, trust, Role.VIEWER)
    client.force_login(director)
    page = client.get(client.get("/estate/")["Location"])
    assert page.status_code == 200
    assert "Hilltop Primary School" in page.content.decode()


def test_someone_without_access_is_told_how_to_get_it(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert "request access" in client.get("/estate/").content.decode()
