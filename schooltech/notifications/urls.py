from django.urls import path

from schooltech.notifications import views

app_name = "notifications"

urlpatterns = [
    path("notifications/notify-callback", views.notify_callback, name="notify_callback"),
    path("support/emails", views.outbox, name="outbox"),
    path("support/emails/<int:message_id>", views.outbox_message, name="message"),
    path("support/emails/<int:message_id>/retry", views.outbox_message_retry, name="retry"),
    path("account/email-preferences", views.preferences, name="preferences"),
]
