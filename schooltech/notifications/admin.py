from django.contrib import admin

from schooltech.notifications.models import Share


@admin.register(Share)
class ShareAdmin(admin.ModelAdmin):
    """Pages shared by email, for support to answer "who sent this to me" (view only: a share is a record)."""

    list_display = ("created_at", "sender", "organisation_name", "what", "title", "recipient_count")
    list_filter = ("what",)
    search_fields = ("organisation_name", "title", "sender__email")
    list_select_related = ("sender",)
    date_hierarchy = "created_at"

    @admin.display(description="Recipients")
    def recipient_count(self, share: Share) -> int:
        return len(share.recipients)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
