"""Support can read and correct the catalogue and recommendations in the Django admin.

Editing a catalogue row changes that version in place; to publish changed standards, edit the
files in schooltech/standards/catalogue/ and run `manage.py load_standards` (a new version).
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from schooltech.standards.models import (
    Answer,
    Assessment,
    CatalogueVersion,
    Duty,
    Question,
    Recommendation,
    Requirement,
    SharedAssessment,
    Standard,
)


class RequirementInline(admin.StackedInline):
    model = Requirement
    extra = 0


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["position", "key", "topic", "text", "who_to_ask", "fact_rule"]
    show_change_link = True


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0


@admin.register(CatalogueVersion)
class CatalogueVersionAdmin(admin.ModelAdmin):
    list_display = ["label", "is_current", "published", "loaded_at"]


@admin.register(Standard)
class StandardAdmin(admin.ModelAdmin):
    list_display = ["title", "version", "is_core", "position"]
    list_filter = ["version", "is_core"]
    inlines = [RequirementInline, QuestionInline]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "standard", "topic", "fact_rule"]
    list_filter = ["standard__version", "standard"]
    inlines = [AnswerInline]


@admin.register(Duty)
class DutyAdmin(admin.ModelAdmin):
    list_display = ["title", "cadence", "standard", "usually_done_by"]
    list_filter = ["version", "cadence"]


@admin.register(Assessment)
class AssessmentAdmin(SimpleHistoryAdmin):
    list_display = ["establishment", "standard", "state", "overall_status", "submitted_at"]
    list_filter = ["state", "standard_key"]
    raw_id_fields = ["establishment", "standard", "started_by", "submitted_by", "shared_from"]
    search_fields = ["establishment__urn", "establishment__name"]


@admin.register(SharedAssessment)
class SharedAssessmentAdmin(SimpleHistoryAdmin):
    list_display = ["trust", "standard", "state", "started_at", "applied_at"]
    list_filter = ["state", "standard_key"]
    raw_id_fields = ["trust", "standard", "establishments", "started_by", "applied_by"]
    search_fields = ["trust__uid", "trust__name"]


@admin.register(Recommendation)
class RecommendationAdmin(SimpleHistoryAdmin):
    list_display = ["title", "establishment", "standard_key", "progress", "is_active"]
    list_filter = ["progress", "kind", "is_active"]
    raw_id_fields = ["establishment", "assessment"]
    search_fields = ["establishment__urn", "establishment__name", "title"]
