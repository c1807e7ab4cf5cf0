from django.contrib import admin
from django.db.models import F
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    EngagementMeeting,
    EvidenceLink,
    PlanAction,
    ReadinessReminder,
    SelfAssessedGrade,
    SelfEvaluation,
)


class SelfAssessedGradeInline(admin.TabularInline):
    model = SelfAssessedGrade
    extra = 0


class EvidenceLinkInline(admin.TabularInline):
    model = EvidenceLink
    extra = 0
    raw_id_fields = ["action", "measure"]


@admin.register(SelfEvaluation)
class SelfEvaluationAdmin(SimpleHistoryAdmin):
    """A signed-off self-evaluation is frozen here too: the admin shows it and changes nothing."""

    list_display = ["council", "year", "signed_off_at"]
    list_filter = ["year"]
    inlines = [SelfAssessedGradeInline, EvidenceLinkInline]
    readonly_fields = [
        "director_signed_at",
        "lead_member_signed_at",
        "signed_off_at",
        "copied_from",
    ]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_signed_off:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_signed_off:
            return False
        return super().has_delete_permission(request, obj)


class VersionedAdmin(SimpleHistoryAdmin):
    """An admin save is a write too: it moves the version on, so that a form opened in the
    product before it is refused as stale rather than overwrite it (services.py)."""

    def save_model(self, request, obj, form, change):
        if change:
            rows = type(obj).objects.filter(pk=obj.pk)
            rows.update(version=F("version") + 1)
            obj.version = rows.values_list("version", flat=True).get()
        super().save_model(request, obj, form, change)


@admin.register(EngagementMeeting)
class EngagementMeetingAdmin(VersionedAdmin):
    list_display = ["council", "held_on", "letter_on"]


@admin.register(PlanAction)
class PlanActionAdmin(VersionedAdmin):
    list_display = ["title", "council", "owner_name", "due_on", "status", "rag"]


@admin.register(ReadinessReminder)
class ReadinessReminderAdmin(admin.ModelAdmin):
    """The record of reminders sent: kept, not edited."""

    list_display = ["council", "window_from", "stage", "sent_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
