from django.urls import path

from schooltech.insights import views

app_name = "insights"

urlpatterns = [
    path("schools/<str:urn>/sharing", views.sharing, name="sharing"),
]
