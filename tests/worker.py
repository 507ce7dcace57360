"""Run the queued background tasks in a test, through the real `db_worker` (what `make dev` and
production run), inside the test's transaction."""

from io import StringIO

from django.core.management import call_command
from django_tasks_db.management.commands import db_worker


def run_the_worker(monkeypatch) -> None:
    """Run every queued task, then stop (`db_worker --batch`).

    The worker closes "old" connections between tasks; inside a test's transaction Django counts the
    connection as unusable (autocommit is off) and would close it, so that one call is made a no-op.
    """
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--queue-name", "*", stdout=StringIO())
