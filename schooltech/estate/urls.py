from django.urls import path

from schooltech.estate import views

app_name = "estate"

urlpatterns = [
    path("estate/", views.start, name="start"),
    path("schools/<str:urn>/estate/", views.summary, name="summary"),
    path("schools/<str:urn>/estate/ending-soon", views.ending_soon, name="ending_soon"),
    path("schools/<str:urn>/estate/assets/dispose", views.assets_dispose, name="assets_dispose"),
    path("estate/<organisation:organisation>/schools", views.organisation_overview, name="overview"),
    path("estate/<organisation:organisation>/schools.csv", views.organisation_overview_csv, name="overview_csv"),
    path("estate/<organisation:organisation>/schools.xlsx", views.organisation_overview_xlsx, name="overview_xlsx"),
    *views.register_urlpatterns(),
]
