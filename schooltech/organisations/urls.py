from django.urls import path

from schooltech.organisations import views

app_name = "organisations"

urlpatterns = [
    path("schools", views.search, name="search"),
    path("schools/<str:urn>", views.establishment_detail, name="establishment"),
    path("trusts/<str:uid>", views.trust_detail, name="trust"),
    path("local-authorities/<str:code>", views.local_authority_detail, name="local_authority"),
]
