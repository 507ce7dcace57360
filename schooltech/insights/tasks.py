"""Background tasks for the national picture: thin wrappers around services."""

from django.tasks import task

from schooltech.insights import services


@task()
def take_national_snapshot() -> str:
    """Snapshot and aggregate this term's figures; run by a scheduler (daily or weekly)."""
    return str(services.snapshots_take())
