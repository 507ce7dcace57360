"""The send budget shared by every worker: a token bucket under Notify's per-minute limit, and a daily cap."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from schooltech.notifications import services
from schooltech.notifications.models import SendBudget


@pytest.fixture
def small_bucket(settings):
    settings.NOTIFY_SEND_RATE_PER_MINUTE = 60  # one a second
    settings.NOTIFY_SEND_BURST = 2
    settings.NOTIFY_DAILY_CAP = 1000


@pytest.mark.django_db
def test_the_bucket_allows_a_burst_then_asks_the_worker_to_wait(small_bucket):
    now = timezone.now()
    assert services.send_token_take(now=now) == 0
    assert services.send_token_take(now=now) == 0
    wait = services.send_token_take(now=now)
    assert wait == pytest.approx(1.0)


@pytest.mark.django_db
def test_the_bucket_refills_at_the_configured_rate_and_never_beyond_the_burst(small_bucket):
    now = timezone.now()
    for _ in range(2):
        services.send_token_take(now=now)
    assert services.send_token_take(now=now + timedelta(seconds=0.5)) == pytest.approx(0.5)
    assert services.send_token_take(now=now + timedelta(seconds=1)) == 0
    later = now + timedelta(hours=1)
    granted = sum(services.send_token_take(now=later) == 0 for _ in range(5))
    assert granted == 2


@pytest.mark.django_db
def test_the_daily_cap_is_counted_per_day_and_resets_at_midnight(small_bucket, settings):
    settings.NOTIFY_DAILY_CAP = 2
    settings.NOTIFY_SEND_BURST = 10
    morning = timezone.make_aware(timezone.datetime(2026, 3, 2, 9, 0))
    services.send_token_take(now=morning)
    services.send_token_take(now=morning)
    with pytest.raises(services.DailyCapReached) as cap:
        services.send_token_take(now=morning)
    assert timezone.localtime(cap.value.resume_at) == timezone.make_aware(timezone.datetime(2026, 3, 3, 0, 0))
    assert services.send_token_take(now=morning + timedelta(days=1)) == 0
    assert SendBudget.objects.get().sent_today == 1


@pytest.mark.django_db(transaction=True)
def test_workers_share_one_budget(settings):
    """Threads with their own database connections stand in for separate worker processes."""
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith("file:memorydb"):
        # In-memory SQLite uses shared-cache table locks that fail at once instead of waiting.
        pytest.skip("needs a database file or PostgreSQL; the benchmark covers SQLite with real processes")
    settings.NOTIFY_SEND_RATE_PER_MINUTE = 6  # one every 10 seconds: no refill during the test
    settings.NOTIFY_SEND_BURST = 20
    settings.NOTIFY_DAILY_CAP = 1000
    now = timezone.now()
    granted = []

    def worker():
        try:
            granted.extend(services.send_token_take(now=now) == 0 for _ in range(10))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(granted) == 40
    assert sum(granted) == 20
