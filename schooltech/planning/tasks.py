"""Background tasks for plans: thin wrappers around services."""

from django.tasks import task

from schooltech.planning import services


@task(queue_name="default")
def refresh_plan(*, establishment_id: int) -> str:
    """Bring one school's plan up to date after the facts behind it changed (queued by services)."""
    return services.plan_refresh(establishment_id=establishment_id)
