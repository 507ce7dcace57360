from django.contrib import admin

from schooltech.insights.models import SharingChoice


@admin.register(SharingChoice)
class SharingChoiceAdmin(admin.ModelAdmin):
    list_display = ("establishment", "standards", "estate", "plans", "notice_version", "chosen_at")
    list_select_related = ("establishment",)
    raw_id_fields = ("establishment", "chosen_by")
    readonly_fields = [field.name for field in SharingChoice._meta.fields]
