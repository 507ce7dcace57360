from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("schooltech.core.urls")),
    path("", include("schooltech.organisations.urls")),
    path("", include("schooltech.accounts.urls")),
    path("", include("schooltech.notifications.urls")),
    path("oidc/", include("mozilla_django_oidc.urls")),
    path("support/admin/", admin.site.urls),
]

handler400 = "schooltech.core.views.bad_request"
handler403 = "schooltech.core.views.permission_denied"
handler404 = "schooltech.core.views.page_not_found"
handler500 = "schooltech.core.views.server_error"

if settings.DEBUG:
    from schooltech.core import views as core_views

    urlpatterns += [
        path("_errors/404", core_views.page_not_found),
        path("_errors/500", core_views.server_error),
    ]
