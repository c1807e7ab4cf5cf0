from django import forms
from django.contrib import admin
from django.db import transaction
from simple_history.admin import SimpleHistoryAdmin

from .models import Action, Evidence, ProgressUpdate
from .services import ActionConflict


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


class ActionAdminForm(forms.ModelForm):
    """The action with the version it was read at, so that an edit made meanwhile is not lost."""

    read_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Action
        fields = "__all__"  # noqa: DJ007 - every field, as the admin shows without this form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["read_version"].initial = self.instance.version

    def clean(self):
        data = super().clean()
        read = data.get("read_version")
        if self.instance.pk and read is not None:
            current = Action.objects.filter(pk=self.instance.pk).values_list("version", flat=True)
            if transaction.get_connection().in_atomic_block:
                # The admin checks and saves in one transaction: hold the row from this check
                # to the save, so that a save made in between waits and then sees a conflict.
                current = current.select_for_update()
            if current.first() != read:
                raise forms.ValidationError(
                    "Someone changed this action after you opened it. Open it again to see "
                    "their change, then make yours."
                )
        return data


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    form = ActionAdminForm
    list_display = ["title", "council", "owner_name", "current_due_on", "status", "rag"]
    list_filter = ["status", "rag", "council"]
    search_fields = ["title", "owner_name", "council__name"]
    date_hierarchy = "current_due_on"
    autocomplete_fields = ["council"]
    raw_id_fields = ["recommendation", "owner"]
    readonly_fields = ["current_due_on", "version", "closed_on"]
    inlines = [ProgressUpdateInline]

    def save_model(self, request, obj, form, change):
        # An admin edit is still a write: claim the version it was read at, as the service does,
        # so that open forms elsewhere see a conflict and a save made meanwhile is refused.
        obj.current_due_on = obj.revised_due_on or obj.due_on
        if change:
            read = form.cleaned_data.get("read_version")
            read = obj.version if read is None else read
            claimed = Action.objects.filter(pk=obj.pk, version=read).update(version=read + 1)
            if not claimed:
                raise ActionConflict([obj.pk])
            obj.version = read + 1
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


@admin.register(Evidence)
class EvidenceAdmin(SimpleHistoryAdmin):
    """Evidence files, to look at: they are added on the action's page, checked by content."""

    list_display = ["name", "action", "kind", "size", "uploaded_by", "uploaded_at"]
    search_fields = ["name", "action__title"]
    readonly_fields = [f.name for f in Evidence._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
