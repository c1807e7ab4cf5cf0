from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import (
    BankHolidayChange,
    DeadlineRule,
    DeadlineSettings,
    Framework,
    Inspection,
    Judgement,
    JudgementArea,
    Milestone,
    Recommendation,
)


class JudgementAreaInline(admin.TabularInline):
    model = JudgementArea
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "family", "starts_on", "last_starts_on", "monitoring_rule"]
    inlines = [JudgementAreaInline]


class JudgementInline(admin.TabularInline):
    model = Judgement
    extra = 0


class RecommendationInline(admin.StackedInline):
    model = Recommendation
    extra = 0


class DeadlineSettingsInline(admin.StackedInline):
    model = DeadlineSettings
    extra = 0


class MilestoneInline(admin.TabularInline):
    model = Milestone
    fk_name = "inspection"
    extra = 0
    fields = ["title", "source", "due_on", "due_by", "done_on", "basis"]
    readonly_fields = ["title", "source", "due_on", "due_by", "basis"]

    def has_add_permission(self, request, obj=None):
        # Computed milestones come from the rules; agreed ones are added on the timeline.
        return False


class WithdrawnFilter(admin.SimpleListFilter):
    title = "withdrawn"
    parameter_name = "withdrawn"

    def lookups(self, request, model_admin):
        return [("yes", "Withdrawn"), ("no", "On the record")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(withdrawn_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(withdrawn_at__isnull=True)
        return queryset


@admin.register(Inspection)
class InspectionAdmin(SimpleHistoryAdmin):
    list_display = [
        "council",
        "kind",
        "start_date",
        "published_on",
        "framework",
        "withdrawn",
        "withdrawal",
    ]
    list_filter = ["kind", "framework", "council__region", WithdrawnFilter]
    actions = ["restore"]
    search_fields = ["council__name", "lead_inspector"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["council", "cycle"]
    readonly_fields = ["framework", "withdrawn_at", "withdrawn_by", "withdrawal_reason"]
    inlines = [JudgementInline, RecommendationInline, DeadlineSettingsInline, MilestoneInline]

    def get_queryset(self, request):
        # Withdrawn inspections too, so that an admin can see and restore them.
        return Inspection.all_objects.select_related("council", "framework", "withdrawn_by")

    def save_related(self, request, form, formsets, change):
        # Dates, grades and deadline settings decide the milestones: recompute them at once,
        # as the inspection pages do, rather than at the next daily run.
        super().save_related(request, form, formsets, change)
        services.milestones_recompute_after_commit(form.instance.pk)

    @admin.display(boolean=True, description="withdrawn", ordering="withdrawn_at")
    def withdrawn(self, obj: Inspection) -> bool:
        return obj.is_withdrawn

    @admin.display(description="withdrawal")
    def withdrawal(self, obj: Inspection) -> str:
        if not obj.is_withdrawn:
            return ""
        by = f" by {obj.withdrawn_by}" if obj.withdrawn_by_id else ""
        return f"{obj.withdrawn_at:%-d %b %Y}{by}: {obj.withdrawal_reason[:80]}"

    @admin.action(description="Restore withdrawn inspections", permissions=["change"])
    def restore(self, request, queryset):
        restored = services.inspections_restore(inspections=list(queryset), user=request.user)
        skipped = queryset.count() - len(restored)
        message = f"{len(restored)} inspection{'s' if len(restored) != 1 else ''} restored"
        if skipped:
            message += f"; {skipped} {'was' if skipped == 1 else 'were'} not withdrawn"
        self.message_user(request, message)


@admin.register(Judgement)
class JudgementAdmin(SimpleHistoryAdmin):
    list_display = ["inspection", "area", "grade"]
    list_filter = ["grade", "area__key"]

    def save_model(self, request, obj, form, change):
        # An inadequate grade calls for the visits that follow one.
        super().save_model(request, obj, form, change)
        services.milestones_recompute_after_commit(obj.inspection_id)


@admin.register(Recommendation)
class RecommendationAdmin(SimpleHistoryAdmin):
    list_display = ["inspection", "position", "text"]
    search_fields = ["text", "inspection__council__name"]


class RecomputeDeadlinesOnChange:
    """Rules and holidays move due dates: recompute every milestone once a change commits."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.deadlines_changed_after_commit()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        services.deadlines_changed_after_commit()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        services.deadlines_changed_after_commit()


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(RecomputeDeadlinesOnChange, admin.ModelAdmin):
    list_display = ["name", "key", "trigger", "amount", "unit", "count_from_received", "active"]
    list_filter = ["trigger", "unit", "active"]


@admin.register(BankHolidayChange)
class BankHolidayChangeAdmin(RecomputeDeadlinesOnChange, admin.ModelAdmin):
    list_display = ["day", "name", "action", "created_at"]
    list_filter = ["action"]
    date_hierarchy = "day"


@admin.register(Milestone)
class MilestoneAdmin(SimpleHistoryAdmin):
    list_display = ["inspection", "title", "due_on", "due_by", "done_on", "source"]
    list_filter = ["source", "key"]
    search_fields = ["inspection__council__name", "title"]
    readonly_fields = ["reminded_10_at", "reminded_3_at", "reminded_missed_at"]
    date_hierarchy = "due_by"
