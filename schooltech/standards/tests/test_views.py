"""Overview, recommendations with history, governor summary, the trust matrix and its exports."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from schooltech.accounts.models import Role
from schooltech.core.tests.spreadsheet_checks import (
    assert_csv_has_no_live_formula,
    assert_xlsx_has_no_live_formula,
    typed_formula,
    xlsx_texts,
)
from schooltech.organisations.reference import OrganisationRef
from schooltech.standards import services
from schooltech.standards.models import Recommendation
from schooltech.standards.tests.test_flow import complete, school_url
from tests.answers import BEST, WORST
from tests.factories import UserFactory, make_membership

pytestmark = pytest.mark.django_db


def submit(establishment, standard_key, answers, user=None):
    assessment = services.assessment_start(establishment=establishment, standard_key=standard_key, user=user)
    assessment.answers = answers
    assessment.save()
    return services.assessment_submit(assessment=assessment, user=user)


@pytest.fixture
def trust_client(client, trust_with_schools):
    trust, _ = trust_with_schools
    user = UserFactory(email="director@trust.example")
    make_membership(user, trust, Role.VIEWER)
    client.force_login(user)
    return client


def matrix_url(organisation, name="matrix"):
    return reverse(f"standards:{name}", kwargs={"organisation": OrganisationRef.for_organisation(organisation)})


def test_overview_highlights_the_core_standards_and_what_to_do_next(editor_client, primary, catalogue):
    complete(editor_client, primary, "filtering_monitoring", WORST["filtering_monitoring"])
    complete(editor_client, primary, "cabling", WORST["cabling"])
    body = editor_client.get(school_url("overview", primary)).content.decode()
    assert (
        body.index("Core standards for 2030") < body.index("Filtering and monitoring") < body.index("Other standards")
    )
    assert "You have assessed 2 of 12 standards and meet 0" in body
    what_next = body[body.index("What to do next") :]
    # Statutory (now) filtering duties come before cabling, which is due only when upgrading.
    assert what_next.index("Name who is responsible") < what_next.index("Use Category 6A copper cabling")
    assert "Review filtering and monitoring and record the results" in body  # the regular checks
    assert "Every year" in body and "Every term" in body


def test_recommendation_progress_and_notes_are_saved_with_history(editor_client, editor, primary, catalogue):
    complete(editor_client, primary, "devices", WORST["devices"])
    recommendation = Recommendation.objects.get(requirement_key="disposal")
    update_url = school_url("recommendation_update", primary, recommendation_id=recommendation.pk)
    error = editor_client.post(update_url, {"notes": "x"})
    assert "Select the progress" in error.content.decode()
    response = editor_client.post(update_url, {"progress": "complete", "notes": "Certificates filed"})
    assert response["Location"] == school_url("recommendation", primary, recommendation_id=recommendation.pk)
    recommendation.refresh_from_db()
    assert (recommendation.progress, recommendation.notes) == ("complete", "Certificates filed")
    latest = recommendation.history.first()
    assert latest.history_user == editor
    assert latest.history_change_reason == "Updated: progress set to complete, notes changed"
    page = editor_client.get(response["Location"]).content.decode()
    assert "Updated: progress set to complete, notes changed" in page and "Recommended by a self-assessment" in page
    assert "Erin Editor" in page


def test_recommendations_appear_in_the_audit_trail(client, primary, catalogue):
    approver = UserFactory(email="head@oak.example")
    make_membership(approver, primary, Role.APPROVER)
    client.force_login(approver)
    complete(client, primary, "devices", WORST["devices"])
    audit = client.get(reverse("accounts:audit", kwargs={"organisation": OrganisationRef.for_organisation(primary)}))
    assert "Recommended by a self-assessment" in audit.content.decode()


def test_viewers_cannot_update_recommendations(client, viewer, primary, catalogue):
    submit(primary, "devices", WORST["devices"])
    recommendation = Recommendation.objects.first()
    client.force_login(viewer)
    assert client.get(school_url("recommendation", primary, recommendation_id=recommendation.pk)).status_code == 200
    url = school_url("recommendation_update", primary, recommendation_id=recommendation.pk)
    assert client.post(url, {"progress": "complete"}).status_code == 403
    recommendation.refresh_from_db()
    assert recommendation.progress == "not_started"


def test_governor_summary_is_print_ready(editor_client, primary, catalogue):
    submit(primary, "broadband", BEST["broadband"])
    submit(primary, "cyber_security", WORST["cyber_security"])
    body = editor_client.get(school_url("governors", primary)).content.decode()
    assert "summary for governors" in body
    assert "Meets 1 of the 6 core standards" in body
    assert "Assess cyber risks every year and review them every term" in body
    assert body.count("app-no-print") >= 2  # navigation and buttons are left out of the printout


def test_the_trust_sees_every_school_by_standard(trust_client, trust_with_schools, catalogue):
    trust, schools = trust_with_schools
    submit(schools[0], "broadband", BEST["broadband"])
    submit(schools[1], "broadband", WORST["broadband"])
    body = trust_client.get(matrix_url(trust)).content.decode()
    assert "12 of 12 schools" in body
    assert all(school.name in body for school in schools)
    assert "Broadband internet (core)" in body and "Network cabling (core)" not in body


def test_the_matrix_filters_and_sorts_with_links(trust_client, trust_with_schools, catalogue):
    trust, schools = trust_with_schools
    submit(schools[5], "broadband", BEST["broadband"])
    submit(schools[2], "broadband", WORST["broadband"])
    filtered = trust_client.get(matrix_url(trust), {"standard": "broadband", "status": "meets"}).content.decode()
    assert "1 of 12 schools" in filtered and schools[5].name in filtered and schools[2].name not in filtered
    by_broadband = trust_client.get(matrix_url(trust), {"sort": "broadband"}).content.decode()
    assert (
        by_broadband.index(schools[5].name) < by_broadband.index(schools[2].name) < by_broadband.index(schools[0].name)
    )
    assert 'aria-sort="ascending"' in by_broadband
    descending = trust_client.get(matrix_url(trust), {"sort": "name", "order": "desc"}).content.decode()
    assert descending.index(schools[11].name) < descending.index(schools[0].name)
    assert "sort=broadband" in descending  # every column header is a sort link
    nonsense = trust_client.get(matrix_url(trust), {"standard": "nope", "status": "nope", "sort": "nope"})
    assert nonsense.status_code == 200 and "12 of 12 schools" in nonsense.content.decode()


def test_the_matrix_exports_as_csv_and_xlsx(trust_client, trust_with_schools, catalogue):
    trust, schools = trust_with_schools
    submit(schools[0], "broadband", WORST["broadband"])
    response = trust_client.get(matrix_url(trust, "matrix_csv"))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["URN", "School", "Broadband internet"] and len(rows[0]) == 16
    assert len(rows) == 13
    first = next(row for row in rows if row[0] == schools[0].urn)
    assert first[2] == "Does not meet" and first[3] == "Not assessed" and first[-2:] == ["0", "1"]
    filtered = trust_client.get(matrix_url(trust, "matrix_csv"), {"standard": "broadband", "status": "does_not_meet"})
    assert len(list(csv.reader(io.StringIO(filtered.content.decode("utf-8-sig"))))) == 2

    response = trust_client.get(matrix_url(trust, "matrix_xlsx"))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][:2] == ("URN", "School") and len(values) == 13
    xlsx_first = next(row for row in values if row[0] == schools[0].urn)
    assert xlsx_first[2] == "Does not meet" and xlsx_first[-1] == 1


def test_the_matrix_exports_hold_no_live_formula(trust_client, trust_with_schools, catalogue):
    trust, schools = trust_with_schools
    schools[0].name = typed_formula(0)
    schools[0].save()
    _header, *rows = assert_csv_has_no_live_formula(trust_client.get(matrix_url(trust, "matrix_csv")).content)
    assert ["'" + typed_formula(0)] == [row[1] for row in rows if row[0] == schools[0].urn]
    cells = assert_xlsx_has_no_live_formula(trust_client.get(matrix_url(trust, "matrix_xlsx")).content)
    assert typed_formula(0) in xlsx_texts(cells)


def test_the_matrix_is_for_the_trusts_own_people(client, editor, trust_with_schools, primary, catalogue):
    trust, _ = trust_with_schools
    client.force_login(editor)
    assert client.get(matrix_url(trust)).status_code == 403
    assert client.get(matrix_url(trust, "matrix_csv")).status_code == 403
    assert client.get(matrix_url(trust, "matrix_xlsx")).status_code == 403
    assert client.get(matrix_url(primary)).status_code == 404  # a school has no matrix


def test_a_local_authority_sees_its_maintained_schools(client, primary, catalogue):
    officer = UserFactory(email="officer@la.example")
    make_membership(officer, primary.local_authority, Role.VIEWER)
    client.force_login(officer)
    body = client.get(matrix_url(primary.local_authority)).content.decode()
    assert primary.name in body and "1 of 1 schools" in body


def test_the_standards_home_links_to_the_users_organisations(client, editor, trust_with_schools, catalogue):
    trust, _ = trust_with_schools
    make_membership(editor, trust, Role.VIEWER)
    client.force_login(editor)
    body = client.get(reverse("standards:home")).content.decode()
    assert "/schools/700001/standards" in body and "/organisations/trust-TST01/standards" in body
    assert body.count("core standard for 2030") == 6
