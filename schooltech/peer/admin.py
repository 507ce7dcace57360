from django.contrib import admin

from schooltech.peer.models import HelpRequest, Offer, Topic


class TopicInline(admin.TabularInline):
    model = Topic
    extra = 0


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ("establishment", "is_active", "requests_per_term", "phase", "updated_at")
    list_filter = ("is_active", "phase")
    list_select_related = ("establishment",)
    raw_id_fields = ("establishment", "offered_by")
    inlines = [TopicInline]


@admin.register(HelpRequest)
class HelpRequestAdmin(admin.ModelAdmin):
    list_display = ("asker", "helper", "standard_key", "requirement_key", "status", "term", "asked_at")
    list_filter = ("status", "term")
    list_select_related = ("asker", "helper")
    raw_id_fields = ("offer", "asker", "helper", "asked_by", "answered_by")
