"""The catalogue is read once per change and kept in each process (standards/kept.py): pages stop
reading it on every request, and a change made anywhere (the admin, a new version, another process)
shows from the next request on."""

import shutil

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from schooltech.accounts.models import Role
from schooltech.standards import kept, selectors, services
from schooltech.standards.catalogue import CATALOGUE_DIR
from schooltech.standards.models import CatalogueStamp, Duty, Requirement, Standard
from tests.factories import UserFactory, make_membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def overview_url(primary):
    return reverse("standards:overview", kwargs={"urn": primary.urn})


@pytest.fixture
def editor_client(client, primary):
    user = UserFactory(email="editor@oak.example")
    make_membership(user, primary, Role.EDITOR)
    client.force_login(user)
    return client


def _catalogue_queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    catalogue_tables = ('"standards_standard"', '"standards_requirement"', '"standards_duty"', "catalogueversion")
    return [q["sql"] for q in captured.captured_queries if any(table in q["sql"] for table in catalogue_tables)]


def _stamp_reads(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return sum('"standards_cataloguestamp"' in q["sql"] for q in captured.captured_queries)


def test_a_page_reads_the_catalogue_once_then_only_its_token_once_a_request(editor_client, overview_url, catalogue):
    assert _catalogue_queries(editor_client, overview_url)
    assert _catalogue_queries(editor_client, overview_url) == []
    assert _stamp_reads(editor_client, overview_url) == 1


def test_a_requirement_corrected_in_the_admin_shows_on_the_next_request(editor_client, overview_url, catalogue):
    editor_client.get(overview_url)
    requirement = Requirement.objects.get(standard__version=catalogue, standard__key="broadband", key="speed")
    requirement.title = "Corrected in the admin"
    requirement.save()
    assert selectors.current_requirements()[("broadband", "speed")].title == "Corrected in the admin"


def test_a_duty_deleted_in_the_admin_is_gone_from_the_next_request(editor_client, overview_url, catalogue):
    editor_client.get(overview_url)
    duty = selectors.current_duties()[0]
    Duty.objects.get(pk=duty.pk).delete()
    assert duty.key not in {d.key for d in selectors.current_duties()}


def test_a_change_made_by_another_process_shows_here_from_the_next_request(editor_client, overview_url, catalogue):
    """Another process changes a row and the token; this process's kept catalogue is not told."""
    assert "Broadband internet" in editor_client.get(overview_url).content.decode()
    Standard.objects.filter(version=catalogue, key="broadband").update(title="Internet connection (renamed)")
    assert "Internet connection (renamed)" not in editor_client.get(overview_url).content.decode()  # still kept

    CatalogueStamp.objects.filter(pk=1).update(token="changed-elsewhere")
    assert "Internet connection (renamed)" in editor_client.get(overview_url).content.decode()


def test_a_new_catalogue_version_replaces_the_kept_one(catalogue, tmp_path):
    before = selectors.current_standards()
    directory = tmp_path / "catalogue"
    shutil.copytree(CATALOGUE_DIR, directory)
    index = directory / "catalogue.yaml"
    index.write_text(index.read_text(encoding="utf-8").replace('label: "2026.2"', 'label: "2026.3"'), encoding="utf-8")
    version, created = services.catalogue_load(directory=directory)
    assert created
    assert selectors.current_version() == version
    assert {s.version_id for s in selectors.current_standards()} == {version.pk}
    assert {s.version_id for s in before} == {catalogue.pk}


def test_outside_a_request_every_call_reads_the_token(catalogue):
    selectors.current_standards()
    with CaptureQueriesContext(connection) as captured:
        selectors.current_standards()
        selectors.current_duties()
    assert [q["sql"] for q in captured.captured_queries if "cataloguestamp" in q["sql"]] != []
    assert len(captured.captured_queries) == 2  # the token, twice; no catalogue rows


def test_a_rolled_back_change_never_shares_a_token_with_another_catalogue(catalogue):
    first = kept.current_catalogue()
    kept.catalogue_changed()
    second = kept.current_catalogue()
    assert CatalogueStamp.objects.count() == 1
    assert first is not second
