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
