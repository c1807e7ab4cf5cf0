"""Published outcomes in the admin, to read only: they change only by loading the national file
(manage.py load_outcomes), which keeps every dashboard's cached figures right."""

from django.contrib import admin

from .models import OutcomesLoad, PublishedOutcome


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(OutcomesLoad)
class OutcomesLoadAdmin(ReadOnlyAdmin):
    list_display = ["loaded_at", "source", "rows", "created", "updated", "removed"]


@admin.register(PublishedOutcome)
class PublishedOutcomeAdmin(ReadOnlyAdmin):
    list_display = [
        "council",
        "published_on",
        "kind",
        "start_date",
        "overall_effectiveness",
        "overall_effectiveness_status",
        "is_latest",
    ]
    list_filter = ["kind", "is_latest", "overall_effectiveness", "council__region"]
    search_fields = ["council__name", "council__urn", "lead_inspector"]
    list_select_related = ["council"]
    date_hierarchy = "published_on"
