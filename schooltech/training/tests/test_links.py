"""The catalogue's links are checked by a scheduled job through the one gateway; tests use its fake."""

import datetime
import urllib.error

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.utils import timezone

from schooltech.training import links, reminders, services, tasks
from schooltech.training.models import Course, LinkStatus
from tests import worker
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

KCSIE = "https://www.gov.uk/government/publications/keeping-children-safe-in-education--2"


def test_broken_links_are_recorded_and_working_ones_cleared(catalogues):
    checker = links.FakeLinkChecker({KCSIE: links.LinkResult(False, "The page answered 404")})
    result = services.course_links_check(checker=checker)
    assert result.broken == 1 and result.checked == Course.objects.filter(is_active=True).count()
    kcsie = Course.objects.get(key="kcsie")
    assert (kcsie.link_status, kcsie.link_problem) == (LinkStatus.BROKEN, "The page answered 404")
    assert Course.objects.get(key="police-cyberalarm").link_status == LinkStatus.OK
    services.course_links_check(checker=links.FakeLinkChecker())
    assert Course.objects.get(key="kcsie").link_status == LinkStatus.OK


def test_one_link_that_cannot_be_checked_is_skipped_not_the_run(catalogues):
    checker = links.FakeLinkChecker({KCSIE: RuntimeError("gateway blew up")})
    result = services.course_links_check(checker=checker)
    assert result.checked == Course.objects.filter(is_active=True).count() - 1
    assert Course.objects.get(key="kcsie").link_status == LinkStatus.UNCHECKED
    assert Course.objects.get(key="police-cyberalarm").link_status == LinkStatus.OK


def test_retired_courses_are_not_checked(catalogues):
    Course.objects.filter(key="kcsie").update(is_active=False)
    checker = links.FakeLinkChecker()
    services.course_links_check(checker=checker)
    assert KCSIE not in checker.asked


def test_the_command_and_the_task_use_the_gateway(catalogues, monkeypatch, capsys):
    fake = links.FakeLinkChecker({KCSIE: links.LinkResult(False, "The page answered 410")})
    monkeypatch.setattr(links, "default_checker", lambda: fake)
    call_command("check_training_links")
    assert "1 not working" in capsys.readouterr().out
    assert tasks.check_course_links.call() == 1


def test_the_daily_run_queues_the_check_once_a_link_is_a_week_unchecked(
    catalogues, monkeypatch, django_capture_on_commit_callbacks
):
    fake = links.FakeLinkChecker({KCSIE: links.LinkResult(False, "The page answered 404")})
    monkeypatch.setattr(links, "default_checker", lambda: fake)

    def daily_run(now) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            queued = reminders.course_links_check_due(now=now)
        worker.run_the_worker(monkeypatch)
        return queued

    now = timezone.now()
    assert daily_run(now) == 1  # never checked
    assert Course.objects.get(key="kcsie").link_status == LinkStatus.BROKEN
    asked = len(fake.asked)
    assert daily_run(now + datetime.timedelta(days=6)) == 0
    assert len(fake.asked) == asked
    assert daily_run(now + datetime.timedelta(days=7, minutes=1)) == 1
    assert len(fake.asked) == 2 * asked


def test_local_runs_check_links_with_the_fake_and_production_with_http(settings):
    assert isinstance(links.default_checker(), links.FakeLinkChecker)  # the tests' (local) default
    settings.TRAINING_LINK_CHECKER = "http"
    assert isinstance(links.default_checker(), links.HttpLinkChecker)
    settings.TRAINING_LINK_CHECKER = "ftp"
    with pytest.raises(ImproperlyConfigured, match="TRAINING_LINK_CHECKER"):
        links.default_checker()


def test_support_sees_a_broken_link_on_the_course_page(client, catalogues):
    services.course_links_check(
        checker=links.FakeLinkChecker({KCSIE: links.LinkResult(False, "The page answered 404")})
    )
    client.force_login(UserFactory(email="support@dfe.example", is_staff=True))
    assert "The page answered 404" in client.get("/training/kcsie").content.decode()


class _Response:
    def __init__(self, status):
        self.status = status

    def __enter__(self):
        return self

    def __exit__(self, *args):
        return False


def test_the_http_checker_falls_back_to_get_and_reports_problems(monkeypatch):
    asked = []

    def fake_urlopen(request, timeout):
        asked.append((request.get_method(), request.full_url))
        if request.full_url.endswith("/refuses-head") and request.get_method() == "HEAD":
            raise urllib.error.HTTPError(request.full_url, 405, "no", {}, None)
        if request.full_url.endswith("/gone"):
            raise urllib.error.HTTPError(request.full_url, 404, "gone", {}, None)
        if request.full_url.endswith("/down"):
            raise urllib.error.URLError("Name or service not known")
        return _Response(200)

    monkeypatch.setattr(links.urllib.request, "urlopen", fake_urlopen)
    checker = links.HttpLinkChecker()
    assert checker.check("https://example.org/fine") == links.LinkResult(True)
    assert checker.check("https://example.org/refuses-head") == links.LinkResult(True)
    assert checker.check("https://example.org/gone") == links.LinkResult(False, "The page answered 404")
    assert not checker.check("https://example.org/down").ok
    assert not checker.check("http://example.org/plain").ok
    assert ("GET", "https://example.org/refuses-head") in asked
