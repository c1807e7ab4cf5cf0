from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Framework, Inspection, Judgement, JudgementArea, Recommendation


class JudgementAreaInline(admin.TabularInline):
    model = JudgementArea
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "family", "starts_on"]
    inlines = [JudgementAreaInline]


class JudgementInline(admin.TabularInline):
    model = Judgement
    extra = 0


class RecommendationInline(admin.StackedInline):
    model = Recommendation
    extra = 0


@admin.register(Inspection)
class InspectionAdmin(SimpleHistoryAdmin):
    list_display = ["council", "kind", "start_date", "published_on", "framework"]
    list_filter = ["kind", "framework", "council__region"]
    search_fields = ["council__name", "lead_inspector"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["council"]
    readonly_fields = ["framework"]
    inlines = [JudgementInline, RecommendationInline]


@admin.register(Judgement)
class JudgementAdmin(SimpleHistoryAdmin):
    list_display = ["inspection", "area", "grade"]
    list_filter = ["grade", "area__key"]


@admin.register(Recommendation)
class RecommendationAdmin(SimpleHistoryAdmin):
    list_display = ["inspection", "position", "text"]
    search_fields = ["text", "inspection__council__name"]
