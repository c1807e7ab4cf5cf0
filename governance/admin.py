"""Intervention and governance in the admin: to look at, for support. Changes go through the
council's pages, whose services keep the intervention's duties on the timeline in step."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Board, Decision, DfeReview, Intervention, Meeting


class ReadOnlyAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Intervention)
class InterventionAdmin(ReadOnlyAdmin):
    list_display = ["council", "kind", "started_on", "ended_on", "partner"]
    list_filter = ["kind"]
    search_fields = ["council__name", "adviser", "partner"]


@admin.register(DfeReview)
class DfeReviewAdmin(ReadOnlyAdmin):
    list_display = ["intervention", "held_on", "outcome"]


@admin.register(Board)
class BoardAdmin(ReadOnlyAdmin):
    list_display = ["council", "name", "chair"]


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["council", "kind", "held_on", "agenda_item"]
    list_filter = ["kind"]
    search_fields = ["council__name", "agenda_item"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "text", "action"]
