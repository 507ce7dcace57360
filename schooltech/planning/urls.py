from django.urls import path

from schooltech.planning import views

app_name = "planning"

PLAN = "schools/<str:urn>/plan"

urlpatterns = [
    path("plan/", views.start, name="start"),
    path(f"{PLAN}/", views.overview, name="overview"),
    path(f"{PLAN}/generate", views.generate, name="generate"),
    path(f"{PLAN}/timeline", views.timeline, name="timeline"),
    path(f"{PLAN}/actions", views.action_list, name="list"),
    path(f"{PLAN}/actions/add", views.action_add, name="add"),
    path(f"{PLAN}/actions/<int:action_id>", views.action_detail, name="action"),
    path(f"{PLAN}/actions/<int:action_id>/status", views.action_status, name="action_status"),
    path(f"{PLAN}/actions/<int:action_id>/defer", views.action_defer, name="action_defer"),
    path(f"{PLAN}/budget", views.budget, name="budget"),
    path(f"{PLAN}/budget/<int:year>", views.budget_edit, name="budget_edit"),
    path(f"{PLAN}/settings", views.plan_settings, name="settings"),
    path(f"{PLAN}/approve", views.approve, name="approve"),
    path(f"{PLAN}/versions", views.versions, name="versions"),
    path(f"{PLAN}/versions/<int:version_id>", views.version_detail, name="version"),
    path(f"{PLAN}/export.csv", views.export_csv, name="export_csv"),
    path(f"{PLAN}/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path(f"{PLAN}/share", views.plan_share, name="share"),
    path(f"{PLAN}/governor-report", views.governor_report, name="governor_report"),
    path(f"{PLAN}/governor-report.pdf", views.governor_report_pdf, name="governor_report_pdf"),
    path("plans/<organisation:organisation>", views.organisation_plan, name="organisation"),
    path("plans/<organisation:organisation>/schools.csv", views.organisation_plan_csv, name="organisation_csv"),
    path(
        "plans/<organisation:organisation>/buy-together.csv",
        views.organisation_buy_together_csv,
        name="organisation_buy_together_csv",
    ),
    path("plans/<organisation:organisation>/plans.xlsx", views.organisation_plan_xlsx, name="organisation_xlsx"),
    path("buying-routes/", views.routes_list, name="routes"),
    path("buying-routes/<slug:route_key>", views.route_detail, name="route"),
]
