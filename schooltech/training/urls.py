from django.urls import path

from schooltech.training import views

app_name = "training"

school = "schools/<str:urn>/training"

urlpatterns = [
    path("training/", views.catalogue, name="catalogue"),
    path("training/<slug:course_key>", views.course_detail, name="course"),
    path("training/<slug:course_key>/change", views.course_change, name="course_change"),
    path(school, views.school, name="school"),
    path(school + "/record", views.record, name="record"),
    path(school + "/records/<int:record_id>/remove", views.remove, name="remove"),
]
