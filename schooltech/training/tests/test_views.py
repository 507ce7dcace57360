"""The training pages: the catalogue, a course, support's correction and a school's records, with
who may see and change what, and hostile input on every field (never a 500)."""

import datetime

import pytest
from django.urls import reverse

from schooltech.accounts.models import Role
from schooltech.standards import services as standards_services
from schooltech.standards.models import DutyRecord
from schooltech.training.models import Course, TrainingRecord
from tests.factories import UserFactory, make_membership

pytestmark = pytest.mark.django_db

NCSC = "ncsc-staff-cyber-training"
HOSTILE = ["", " ", "x" * 5000, "\x00", "<script>alert(1)</script>", "'; DROP TABLE x; --", "-1", "1e9", "٣", "NaN"]


def _school_url(school, name="school", **kwargs):
    return reverse(f"training:{name}", kwargs={"urn": school.urn, **kwargs})


def _post_record(client, school, **overrides):
    data = {
        "course": NCSC,
        "audience": "governors",
        "people": "2",
        "completed_on-day": "14",
        "completed_on-month": "10",
        "completed_on-year": "2026",
        "notes": "Autumn governors' meeting",
    } | overrides
    return client.post(_school_url(school, "record"), data)


def test_the_catalogue_is_public_and_filters(client, catalogues):
    page = client.get(reverse("training:catalogue"))
    assert page.status_code == 200
    assert "Cyber security training for school staff" in page.content.decode()
    paid = client.get(reverse("training:catalogue"), {"cost": "paid"}).content.decode()
    assert "Cyber Essentials certification" in paid and "Keeping children safe" not in paid


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_filters_never_fail(client, catalogues, value):
    page = client.get(reverse("training:catalogue"), {"audience": value, "cost": value, "standard": value})
    assert page.status_code == 200


def test_a_course_page_names_what_it_serves(client, catalogues):
    page = client.get(reverse("training:course", kwargs={"course_key": NCSC})).content.decode()
    assert "Cyber security: Train everyone and agree how systems may be used" in page
    assert "Cyber security training for all staff and at least one governor or trustee" in page
    assert "For support" not in page
    assert client.get(reverse("training:course", kwargs={"course_key": "nope"})).status_code == 404


def test_a_school_records_training_and_its_results_show_it(editor_client, school, catalogues):
    assert _post_record(editor_client, school, audience="all_staff", people="40").status_code == 302
    response = _post_record(editor_client, school)
    assert response.status_code == 302 and response["Location"] == _school_url(school)
    page = editor_client.get(_school_url(school)).content.decode()
    assert "Autumn governors&#39; meeting" in page and "By 14 October 2027" in page
    assert DutyRecord.objects.filter(establishment=school, source="training").exists()
    overview = editor_client.get(reverse("standards:overview", kwargs={"urn": school.urn})).content.decode()
    assert "14 October 2026" in overview and "from training records" in overview


def test_the_form_shows_errors_not_500s(editor_client, school, catalogues):
    page = _post_record(editor_client, school, people="0", audience="", **{"completed_on-month": "13"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "There is a problem" in text and "Select who completed it" in text
    assert "must be a real date" in text
    assert not TrainingRecord.objects.exists()


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize(
    "field", ["course", "audience", "people", "completed_on-day", "completed_on-month", "completed_on-year", "notes"]
)
def test_hostile_record_input_never_fails(editor_client, school, catalogues, field, value):
    response = _post_record(editor_client, school, **{field: value})
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert TrainingRecord.objects.get().notes != "\x00"


def test_a_future_or_ancient_date_is_refused(editor_client, school, catalogues):
    future = datetime.date.today() + datetime.timedelta(days=3)
    page = _post_record(
        editor_client,
        school,
        **{
            "completed_on-day": str(future.day),
            "completed_on-month": str(future.month),
            "completed_on-year": str(future.year),
        },
    )
    assert "today or in the past" in page.content.decode()
    page = _post_record(editor_client, school, **{"completed_on-year": "1066"})
    assert "between 1970 and 2099" in page.content.decode()


def test_viewers_see_but_cannot_record_or_remove(client, school, viewer, editor, catalogues):
    client.force_login(editor)
    _post_record(client, school)
    record = TrainingRecord.objects.get()
    client.force_login(viewer)
    page = client.get(_school_url(school)).content.decode()
    assert "Record training" not in page and "Remove" not in page
    assert client.get(_school_url(school, "record")).status_code == 403
    assert _post_record(client, school).status_code == 403
    assert client.post(_school_url(school, "remove", record_id=record.pk)).status_code == 403
    assert TrainingRecord.objects.count() == 1


def test_another_school_can_neither_see_nor_touch_the_records(client, school, other_school, editor, catalogues):
    client.force_login(editor)
    _post_record(client, school)
    record = TrainingRecord.objects.get()
    outsider = UserFactory(email="outsider@other.example")
    make_membership(outsider, other_school, Role.APPROVER)
    client.force_login(outsider)
    assert client.get(_school_url(school)).status_code == 403
    assert _post_record(client, school).status_code == 403
    assert client.post(_school_url(school, "remove", record_id=record.pk)).status_code == 403
    # Through its own school's address, another school's record is not found.
    assert client.post(_school_url(other_school, "remove", record_id=record.pk)).status_code == 404
    assert TrainingRecord.objects.filter(establishment=school).count() == 1
    assert "Autumn governors" not in client.get(_school_url(other_school)).content.decode()


def test_an_editor_removes_a_record_after_confirming(editor_client, school, catalogues):
    _post_record(editor_client, school)
    record = TrainingRecord.objects.get()
    confirm = editor_client.get(_school_url(school, "remove", record_id=record.pk))
    assert "Are you sure" in confirm.content.decode()
    assert editor_client.post(_school_url(school, "remove", record_id=record.pk)).status_code == 302
    assert not TrainingRecord.objects.exists()


# --- support's corrections ---


def _course_form(**overrides):
    return {
        "title": "Cyber security training for school staff (2027)",
        "provider": "NCSC",
        "url": "https://www.ncsc.gov.uk/information/cyber-security-training-schools",
        "format": "online_course",
        "cost": "free",
        "cost_note": "",
        "duration": "40 minutes",
        "summary": "Training.",
        "audiences": ["all_staff", "governors"],
        "is_active": "yes",
    } | overrides


def test_only_support_changes_a_course(client, editor, catalogues):
    url = reverse("training:course_change", kwargs={"course_key": NCSC})
    client.force_login(editor)
    assert client.get(url).status_code == 403
    assert client.post(url, _course_form()).status_code == 403
    support = UserFactory(email="support@dfe.example", is_staff=True)
    client.force_login(support)
    assert client.get(url).status_code == 200
    assert client.post(url, _course_form()).status_code == 302
    course = Course.objects.get(key=NCSC)
    assert course.title.endswith("(2027)") and course.changed_by_support
    assert course.history.first().history_user == support


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("field", ["title", "provider", "url", "format", "cost", "summary", "audiences", "is_active"])
def test_hostile_course_input_never_fails(client, catalogues, field, value):
    client.force_login(UserFactory(email="support@dfe.example", is_staff=True))
    url = reverse("training:course_change", kwargs={"course_key": NCSC})
    assert client.post(url, _course_form(**{field: value})).status_code in (200, 302)


def test_a_link_that_is_not_https_is_refused(client, catalogues):
    client.force_login(UserFactory(email="support@dfe.example", is_staff=True))
    url = reverse("training:course_change", kwargs={"course_key": NCSC})
    page = client.post(url, _course_form(url="javascript:alert(1)"))
    assert page.status_code == 200 and Course.objects.get(key=NCSC).changed_by_support is False


def test_the_self_assessment_starts_from_the_training_date(editor_client, editor, school, catalogues):
    """The cyber questionnaire's "when did staff last do cyber security training?" starts from the records."""
    _post_record(editor_client, school, audience="all_staff", people="40")
    _post_record(editor_client, school)
    assessment = standards_services.assessment_start(establishment=school, standard_key="cyber_security", user=editor)
    standards_services.assessment_answer(
        assessment=assessment, question_key="risk", answer_key="never", user=editor, done_on=None, done_by=""
    )
    url = reverse(
        "standards:question",
        kwargs={"urn": school.urn, "standard_key": "cyber_security", "question_key": "training_date"},
    )
    page = editor_client.get(url).content.decode()
    assert 'value="14"' in page and 'value="10"' in page
    assert 'value="2026"' in page and "governors or trustees (2 people, 14 October 2026)" in page
