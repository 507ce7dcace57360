from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.urls import reverse_lazy
from simple_history.admin import SimpleHistoryAdmin

from schooltech.accounts.models import AccessRequest, ApiKey, Invitation, Membership, OidcIdentity

ORGANISATION_FIELDS = ("organisation_kind", "establishment", "trust", "local_authority")


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ("user", "organisation_kind", "organisation_name", "role", "source", "updated_at")
    list_filter = ("organisation_kind", "role", "source")
    search_fields = ("user__email", "establishment__name", "establishment__urn", "trust__name", "local_authority__name")
    raw_id_fields = ("user", "establishment", "trust", "local_authority")

    # Support gives other people memberships, never itself (no one raises their own reach).
    def has_change_permission(self, request, obj=None):
        own = obj is not None and obj.user_id == request.user.pk and not request.user.is_superuser
        return not own and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        own = obj is not None and obj.user_id == request.user.pk and not request.user.is_superuser
        return not own and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if obj.user_id == request.user.pk and not request.user.is_superuser:
            raise PermissionDenied("Support cannot give itself a membership")
        super().save_model(request, obj, form, change)


@admin.register(AccessRequest)
class AccessRequestAdmin(SimpleHistoryAdmin):
    list_display = ("requester", "organisation_name", "status", "created_at", "escalated_at")
    list_filter = ("status", "organisation_kind")
    search_fields = ("requester__email", "establishment__name", "trust__name", "local_authority__name")
    raw_id_fields = ("requester", "decided_by", "establishment", "trust", "local_authority")


@admin.register(Invitation)
class InvitationAdmin(SimpleHistoryAdmin):
    list_display = ("email", "organisation_name", "role", "status", "created_at")
    list_filter = ("status", "role")
    search_fields = ("email",)
    raw_id_fields = ("invited_by", "accepted_by", "establishment", "trust", "local_authority")


@admin.register(OidcIdentity)
class OidcIdentityAdmin(admin.ModelAdmin):
    list_display = ("user", "issuer", "subject", "last_signed_in_at")
    search_fields = ("user__email", "subject")
    raw_id_fields = ("user",)


@admin.register(ApiKey)
class ApiKeyAdmin(SimpleHistoryAdmin):
    list_display = ("name", "key_start", "organisation_name", "role", "created_by", "expires_at", "revoked_at")
    list_filter = ("role", "organisation_kind")
    search_fields = ("name", "key_start", "created_by__email")
    readonly_fields = ("key_hash", "key_start", "last_used_at")
    raw_id_fields = ("created_by", "revoked_by", "establishment", "trust", "local_authority")


# "View site" in the admin goes back to the support pages.
admin.site.site_url = reverse_lazy("accounts:support")
