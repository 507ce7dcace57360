"""Background tasks for notifications: thin wrappers around services."""

from django.tasks import task

from schooltech.notifications import services

NOTIFICATIONS_QUEUE = "notifications"


@task(queue_name=NOTIFICATIONS_QUEUE)
def send_outbox_message(*, message_id: int) -> str:
    return services.outbox_message_send(message_id=message_id)
