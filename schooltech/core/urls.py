from django.urls import path

from schooltech.core import views

app_name = "core"

urlpatterns = [
    path("", views.start, name="start"),
    path("accessibility", views.accessibility_statement, name="accessibility"),
    path("cookies", views.cookies, name="cookies"),
    path("privacy", views.privacy_notice, name="privacy"),
    path("healthcheck", views.healthcheck, name="healthcheck"),
]
