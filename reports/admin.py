"""The scrutiny pack's covers in the admin: to look at, with their history, for support.
Changes go through the pack's page, whose service records who made them."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import PackCover


@admin.register(PackCover)
class PackCoverAdmin(SimpleHistoryAdmin):
    list_display = ["council", "committee", "meeting_date", "agenda_item", "updated_at"]
    search_fields = ["council__name", "committee"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
