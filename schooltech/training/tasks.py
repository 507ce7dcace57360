"""Background tasks for training: thin wrappers around services."""

from django.tasks import task

from schooltech.training import links, services


@task()
def check_course_links() -> int:
    """The weekly link check (also `manage.py check_training_links`); returns how many are broken."""
    return services.course_links_check(checker=links.default_checker()).broken
