from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from schooltech.planning.models import BuyingRoute, Plan, PlanAction, PlanVersion, UnitPrice


@admin.register(BuyingRoute)
class BuyingRouteAdmin(SimpleHistoryAdmin):
    list_display = ("name", "provider", "dfe_approved", "end_date", "is_active", "data_version")
    list_filter = ("dfe_approved", "is_active")
    search_fields = ("name", "provider", "key")
    readonly_fields = ("data_version",)


@admin.register(UnitPrice)
class UnitPriceAdmin(SimpleHistoryAdmin):
    list_display = ("label", "price", "unit", "key")
    search_fields = ("label", "key")
    readonly_fields = ("data_version",)


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ("establishment", "horizon_years", "generated_at", "approved_at")
    search_fields = ("establishment__name", "establishment__urn")
    raw_id_fields = ("establishment", "approved_by")


@admin.register(PlanAction)
class PlanActionAdmin(SimpleHistoryAdmin):
    list_display = ("title", "establishment", "due_date", "priority", "status", "source", "is_active")
    list_filter = ("priority", "status", "source", "category", "is_active")
    search_fields = ("title", "establishment__name", "establishment__urn", "key")
    raw_id_fields = ("plan", "establishment")


@admin.register(PlanVersion)
class PlanVersionAdmin(admin.ModelAdmin):
    """Approved versions are a record: support can read them, never change them."""

    list_display = ("establishment", "number", "approved_by_name", "approved_at")
    search_fields = ("establishment__name", "establishment__urn")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
