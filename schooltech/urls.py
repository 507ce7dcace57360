from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from schooltech.api.site import urls as api_urls

urlpatterns = [
    path("", include("schooltech.core.urls")),
    path("", include("schooltech.organisations.urls")),
    path("", include("schooltech.accounts.urls")),
    path("", include("schooltech.notifications.urls")),
    path("", include("schooltech.standards.urls")),
    path("", include("schooltech.estate.urls")),
    path("", include("schooltech.planning.urls")),
    path("", include("schooltech.training.urls")),
    path("", include("schooltech.insights.urls")),
    path("", include("schooltech.legacy.urls")),
    path("", include("schooltech.peer.urls")),
    path("api/v1/", api_urls),
    path("oidc/", include("mozilla_django_oidc.urls")),
    path("support/admin/", admin.site.urls),
]

handler400 = "schooltech.core.views.bad_request"
handler403 = "schooltech.core.views.permission_denied"
handler404 = "schooltech.core.views.page_not_found"
handler500 = "schooltech.core.views.server_error"

if settings.BENCHMARK_VIEWS:
    # Only for scripts/bench_pages.py: the layout alone, and the floor other pages are compared to.
    from schooltech.core import views as core_views

    urlpatterns += [
        path("_bench/layout", core_views.layout_bare, name="bench_layout_bare"),
        path("_bench/layout-floor", core_views.layout_floor, name="bench_layout_floor"),
    ]
