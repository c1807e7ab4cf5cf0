from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Action, ProgressUpdate


class ProgressUpdateInline(admin.TabularInline):
    """Progress updates are append-only: the admin shows them and changes nothing."""

    model = ProgressUpdate
    extra = 0
    fields = ["created_at", "author", "status", "rag", "percent_complete", "narrative"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "council", "owner_name", "current_due_on", "status", "rag"]
    list_filter = ["status", "rag", "council"]
    search_fields = ["title", "owner_name", "council__name"]
    date_hierarchy = "current_due_on"
    autocomplete_fields = ["council"]
    raw_id_fields = ["recommendation", "owner"]
    readonly_fields = ["current_due_on", "version", "closed_on"]
    inlines = [ProgressUpdateInline]

    def save_model(self, request, obj, form, change):
        # An admin edit is still a write: bump the version so that open forms see a conflict.
        obj.current_due_on = obj.revised_due_on or obj.due_on
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(admin.ModelAdmin):
    list_display = ["action", "created_at", "author", "status", "rag", "percent_complete"]
    list_filter = ["status", "rag"]
    search_fields = ["narrative", "action__title"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
