from django.urls import path

from schooltech.accounts import views

app_name = "accounts"

urlpatterns = [
    path("account", views.account, name="account"),
    path("account/signed-in", views.signed_in, name="signed_in"),
    path("account/sign-in-failed", views.sign_in_failed, name="sign_in_failed"),
    path("account/sign-out", views.sign_out, name="sign_out"),
    path("account/signed-out", views.signed_out, name="signed_out"),
    path("account/organisation", views.switch_organisation, name="switch_organisation"),
    path("account/request-access", views.request_access_search, name="request_access_search"),
    path("account/request-access/<organisation:organisation>", views.request_access, name="request_access"),
    path("account/requests", views.my_requests, name="my_requests"),
    path("manage/<organisation:organisation>/users", views.members, name="members"),
    path("manage/<organisation:organisation>/users/<int:membership_id>/role", views.change_role, name="change_role"),
    path(
        "manage/<organisation:organisation>/users/<int:membership_id>/remove", views.remove_member, name="remove_member"
    ),
    path("manage/<organisation:organisation>/invite", views.invite, name="invite"),
    path(
        "manage/<organisation:organisation>/invitations/<int:invitation_id>/cancel",
        views.cancel_invitation,
        name="cancel_invitation",
    ),
    path("manage/<organisation:organisation>/requests", views.requests, name="requests"),
    path(
        "manage/<organisation:organisation>/requests/<int:access_request_id>",
        views.review_request,
        name="request_review",
    ),
    path("manage/<organisation:organisation>/audit", views.audit_trail, name="audit"),
    path("manage/<organisation:organisation>/api-keys", views.api_keys, name="api_keys"),
    path("manage/<organisation:organisation>/api-keys/new", views.api_key_new, name="api_key_new"),
    path("manage/<organisation:organisation>/api-keys/check", views.api_key_check, name="api_key_check"),
    path(
        "manage/<organisation:organisation>/api-keys/<int:api_key_id>/created",
        views.api_key_created,
        name="api_key_created",
    ),
    path(
        "manage/<organisation:organisation>/api-keys/<int:api_key_id>/revoke",
        views.api_key_revoke,
        name="api_key_revoke",
    ),
    path("support", views.support_home, name="support"),
    path("support/access-requests", views.support_requests, name="support_requests"),
    path("support/access-requests/<int:access_request_id>", views.support_review_request, name="support_review"),
    path("support/audit", views.support_audit, name="support_audit"),
]
