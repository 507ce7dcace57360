"""Duties that know when they were last done: "when did you last…" asked as a date (and who did it),
judged in time or overdue against the duty's cadence on the day it is submitted, and recorded."""

import datetime
import shutil

import pytest
import time_machine
from django.urls import reverse

from schooltech.standards import duties, selectors, services
from schooltech.standards.catalogue import CATALOGUE_DIR, CatalogueError, read_catalogue
from schooltech.standards.models import Assessment, DutyRecord, Status
from tests.answers import BEST

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.mark.parametrize(
    ("done_on", "cadence", "due"),
    [
        (D(2026, 10, 5), "termly", D(2027, 3, 31)),  # autumn: due by the end of spring
        (D(2027, 2, 1), "termly", D(2027, 8, 31)),  # spring: by the end of summer
        (D(2027, 6, 1), "termly", D(2027, 12, 31)),  # summer: by the end of autumn
        (D(2026, 3, 14), "annual", D(2027, 3, 14)),
    ],
)
def test_a_duty_is_next_due_a_term_or_a_year_after_it_was_done(done_on, cadence, due):
    assert duties.next_due(done_on, cadence) == due


def test_a_date_is_in_time_until_the_next_one_is_due_then_overdue():
    assert duties.answer_for(D(2026, 3, 14), "annual", D(2027, 3, 14)) == duties.IN_TIME
    assert duties.answer_for(D(2026, 3, 14), "annual", D(2027, 3, 15)) == duties.OVERDUE
    assert duties.answer_for(None, "annual", D(2027, 3, 15)) == duties.NEVER


def start(school, standard_key="filtering_monitoring"):
    return services.assessment_start(establishment=school, standard_key=standard_key, user=None)


@time_machine.travel(D(2026, 12, 1))
def test_answering_with_a_date_keeps_it_and_who_did_it(secondary, catalogue):
    assessment = start(secondary)
    services.assessment_answer(assessment=assessment, question_key="roles", answer_key="both", user=None)
    services.assessment_answer(
        assessment=assessment,
        question_key="review",
        answer_key=services.ON_A_DATE,
        done_on=D(2026, 3, 14),
        done_by="Dee Lead ",
        user=None,
    )
    assessment.refresh_from_db()
    assert assessment.answers["review"] == duties.IN_TIME
    assert assessment.dates == {"review": {"on": "2026-03-14", "by": "Dee Lead"}}
    services.assessment_answer(assessment=assessment, question_key="review", answer_key="never", user=None)
    assessment.refresh_from_db()
    assert (assessment.answers["review"], assessment.dates) == ("never", {})


def test_a_date_in_the_future_or_missing_is_refused(secondary, catalogue):
    assessment = start(secondary)
    services.assessment_answer(assessment=assessment, question_key="roles", answer_key="both", user=None)
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    for done_on in (tomorrow, None):
        with pytest.raises(services.AssessmentError, match="Enter the date it was last done"):
            services.assessment_answer(
                assessment=assessment, question_key="review", answer_key=services.ON_A_DATE, done_on=done_on, user=None
            )
    with pytest.raises(services.AssessmentError, match="Enter the date"):
        services.assessment_answer(assessment=assessment, question_key="review", answer_key="in_time", user=None)


def test_submitting_judges_the_date_on_the_day_and_records_the_duty(secondary, catalogue):
    with time_machine.travel(D(2026, 12, 1)):
        assessment = start(secondary)
        assessment.answers = {**BEST["filtering_monitoring"]}
        assessment.dates = {"review": {"on": "2026-03-14", "by": "Dee Lead"}}
        assessment.save()
    with time_machine.travel(D(2027, 4, 1)):  # answered in time, but a year has passed when it is submitted
        services.assessment_submit(assessment=assessment, user=None)
    assessment.refresh_from_db()
    assert assessment.answers["review"] == duties.OVERDUE
    annual_review = next(r for r in assessment.results if r["requirement"] == "annual_review")
    assert annual_review["status"] == Status.DOES_NOT_MEET
    record = DutyRecord.objects.get()
    assert (record.duty_key, record.done_on, record.done_by, record.source) == (
        "filtering_monitoring_review",
        D(2026, 3, 14),
        "Dee Lead",
        DutyRecord.Source.SELF_ASSESSMENT,
    )
    last = selectors.duties_last_done(establishment_ids=[secondary.pk])
    assert last[(secondary.pk, "filtering_monitoring_review")] == record


def test_the_latest_record_of_each_duty_is_the_last_done(secondary, catalogue):
    for day in (D(2026, 1, 5), D(2026, 9, 20), D(2026, 4, 1)):
        services.duty_done_record(
            establishment=secondary, duty_key="cyber_training", done_on=day, done_by="", source="plan", user=None
        )
    services.duty_done_record(
        establishment=secondary, duty_key="cyber_training", done_on=D(2026, 9, 20), done_by="", source="plan", user=None
    )
    assert DutyRecord.objects.count() == 3  # the same duty on the same day is one record
    last = selectors.duties_last_done(establishment_ids=[secondary.pk])
    assert last[(secondary.pk, "cyber_training")].done_on == D(2026, 9, 20)


def test_the_date_page_asks_for_a_real_past_date(editor_client, primary, catalogue):
    base = f"/schools/{primary.urn}/standards/filtering_monitoring"
    editor_client.post(reverse("standards:start", kwargs={"urn": primary.urn, "standard_key": "filtering_monitoring"}))
    editor_client.post(f"{base}/questions/roles", {"answer": "both"})
    page = editor_client.get(f"{base}/questions/review").content.decode()
    assert "When did you last review your filtering and monitoring?" in page and "done_on-day" in page
    missing = editor_client.post(f"{base}/questions/review", {"answer": "on_date"})
    assert missing.status_code == 200 and "Enter the date it was last done" in missing.content.decode()
    future = {"answer": "on_date", "done_on-day": "1", "done_on-month": "1", "done_on-year": "2999"}
    response = editor_client.post(f"{base}/questions/review", future)
    assert "The date it was last done must be today or in the past" in response.content.decode()
    not_a_date = {"answer": "on_date", "done_on-day": "31", "done_on-month": "2", "done_on-year": "2026"}
    response = editor_client.post(f"{base}/questions/review", not_a_date)
    assert "must be a real date" in response.content.decode()
    today = datetime.date.today()
    done = {"answer": "on_date", "done_on-day": today.day, "done_on-month": today.month, "done_on-year": today.year}
    response = editor_client.post(f"{base}/questions/review", {**done, "done_by": "Dee Lead"})
    assert response["Location"].endswith("/questions/review_recorded")
    assert Assessment.objects.get().dates["review"] == {"on": today.isoformat(), "by": "Dee Lead"}
    again = editor_client.get(f"{base}/questions/review").content.decode()
    assert f'value="{today.day}"' in again and 'value="Dee Lead"' in again


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("duty: filtering_monitoring_review\n", "duty: cyber_training\n", "no duty cyber_training in this standard"),
        ("      - key: overdue\n", "      - key: late\n", "a date question's answers are in_time, overdue, never"),
    ],
)
def test_a_date_question_must_name_its_standards_duty_and_have_the_date_answers(tmp_path, old, new, message):
    directory = tmp_path / "catalogue"
    shutil.copytree(CATALOGUE_DIR, directory)
    path = directory / "standards" / "filtering_monitoring.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(CatalogueError, match=message):
        read_catalogue(directory)
