from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from schooltech.estate import models


@admin.register(models.Asset)
class AssetAdmin(SimpleHistoryAdmin):
    list_display = ("asset_tag", "serial_number", "category", "make", "model_name", "status", "establishment")
    list_filter = ("category", "status")
    search_fields = ("asset_tag", "serial_number", "establishment__urn")
    raw_id_fields = ("establishment", "contract")


@admin.register(models.Contract)
class ContractAdmin(SimpleHistoryAdmin):
    list_display = ("supplier", "title", "end_date", "annual_cost", "establishment")
    search_fields = ("supplier", "title", "establishment__urn")
    raw_id_fields = ("establishment",)


@admin.register(models.ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ("filename", "register", "status", "created_count", "updated_count", "created_at", "establishment")
    exclude = ("rows",)
    raw_id_fields = ("establishment", "created_by")
