from django.urls import path

from schooltech.insights import views

app_name = "insights"

INSIGHTS = "insights/<organisation:organisation>"
PUBLIC = "national-picture"

urlpatterns = [
    path("schools/<str:urn>/sharing", views.sharing, name="sharing"),
    path(PUBLIC, views.start, name="start"),
    path(f"{PUBLIC}/methodology", views.methodology, name="methodology"),
    path(f"{PUBLIC}/statistics", views.statistics, name="statistics"),
    path(f"{PUBLIC}/statistics/figures.<str:file_format>", views.statistics_download, name="statistics_download"),
    path(INSIGHTS, views.dashboard, name="dashboard"),
    path(f"{INSIGHTS}/figures.<str:file_format>", views.own_schools_export, name="own_schools_export"),
    path(f"{INSIGHTS}/sharing.<str:file_format>", views.own_schools_sharing_export, name="own_schools_sharing_export"),
    path(f"{INSIGHTS}/comparison.<str:file_format>", views.comparison_export, name="comparison_export"),
    path(f"{INSIGHTS}/areas/<str:area>", views.area, name="area"),
    path(f"{INSIGHTS}/areas/<str:area>/figures.<str:file_format>", views.area_export, name="area_export"),
]
