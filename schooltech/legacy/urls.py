from django.urls import path

from schooltech.legacy import views

app_name = "legacy"

BASE = "department/legacy-technology"

urlpatterns = [
    path(BASE, views.register, name="register"),
    path(f"{BASE}/services/<int:service_id>", views.service, name="service"),
]
urlpatterns += [path(f"{BASE}/services/<int:service_id>/score", views.score, name="score")]
urlpatterns += [path(f"{BASE}/risk-against-value", views.matrix, name="matrix")]
urlpatterns += [
    path(f"{BASE}/services/<int:service_id>/decisions/new", views.decision_new, name="decision_new"),
    path(f"{BASE}/services/<int:service_id>/milestones/new", views.milestone_new, name="milestone_new"),
    path(
        f"{BASE}/services/<int:service_id>/milestones/<int:milestone_id>/done",
        views.milestone_done,
        name="milestone_done",
    ),
]
