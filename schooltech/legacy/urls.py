from django.urls import path

from schooltech.legacy import views

app_name = "legacy"

BASE = "department/legacy-technology"
SERVICE = f"{BASE}/services/<int:service_id>"


def two_step(route: str, view, name: str) -> list:
    """A form's page and its check answers page (`<route>/check`)."""
    return [
        path(route, view, name=name),
        path(f"{route}/check", view, {"check": True}, name=f"{name}_check"),
    ]


urlpatterns = [
    path(BASE, views.register, name="register"),
    path(f"{SERVICE}", views.service, name="service"),
]
urlpatterns += two_step(f"{SERVICE}/score", views.score, "score")
urlpatterns += [path(f"{BASE}/risk-against-value", views.matrix, name="matrix")]
urlpatterns += [
    *two_step(f"{SERVICE}/decisions/new", views.decision_new, "decision_new"),
    *two_step(f"{SERVICE}/milestones/new", views.milestone_new, "milestone_new"),
    path(f"{SERVICE}/milestones/<int:milestone_id>/done", views.milestone_done, name="milestone_done"),
    *two_step(f"{SERVICE}/decisions/<int:decision_id>/edit", views.decision_edit, "decision_edit"),
    path(f"{SERVICE}/decisions/<int:decision_id>/remove", views.decision_delete, name="decision_delete"),
    *two_step(f"{SERVICE}/milestones/<int:milestone_id>/edit", views.milestone_edit, "milestone_edit"),
    path(f"{SERVICE}/milestones/<int:milestone_id>/remove", views.milestone_delete, name="milestone_delete"),
]
# Editing the register
urlpatterns += [
    *two_step(f"{BASE}/services/new", views.service_new, "service_new"),
    *two_step(f"{SERVICE}/edit", views.service_edit, "service_edit"),
    *two_step(f"{SERVICE}/software/new", views.software_new, "software_new"),
    *two_step(f"{SERVICE}/software/<int:software_id>/edit", views.software_edit, "software_edit"),
    *two_step(
        f"{SERVICE}/software/<int:software_id>/vulnerabilities/new", views.vulnerability_new, "vulnerability_new"
    ),
    *two_step(
        f"{SERVICE}/software/<int:software_id>/vulnerabilities/<int:vulnerability_id>/edit",
        views.vulnerability_edit,
        "vulnerability_edit",
    ),
    *two_step(f"{SERVICE}/contracts/new", views.contract_new, "contract_new"),
    *two_step(f"{SERVICE}/contracts/<int:contract_id>/edit", views.contract_edit, "contract_edit"),
]
# Deleting from the register: a confirmation page each; only its POST deletes
urlpatterns += [
    path(f"{SERVICE}/delete", views.service_delete, name="service_delete"),
    path(f"{SERVICE}/software/<int:software_id>/delete", views.software_delete, name="software_delete"),
    path(
        f"{SERVICE}/software/<int:software_id>/vulnerabilities/<int:vulnerability_id>/delete",
        views.vulnerability_delete,
        name="vulnerability_delete",
    ),
    path(f"{SERVICE}/contracts/<int:contract_id>/delete", views.contract_delete, name="contract_delete"),
]
# Export
urlpatterns += [
    path(f"{BASE}/register.<str:file_format>", views.register_download, name="register_download"),
    path(f"{BASE}/board-summary", views.board_summary, name="board_summary"),
    path(f"{BASE}/board-summary.<str:file_format>", views.board_summary_download, name="board_summary_download"),
]
# Import
urlpatterns += [
    path(f"{BASE}/import", views.import_upload, name="import_upload"),
    path(f"{BASE}/import/confirm", views.import_confirm, name="import_confirm"),
]
# Principles and standards
urlpatterns += [
    path(f"{BASE}/principles", views.principles, name="principles"),
    *two_step(f"{SERVICE}/principles/<slug:key>", views.principle_assess, "principle_assess"),
]
