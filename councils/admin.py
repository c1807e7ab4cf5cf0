from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Council, Invitation, Membership, OutboundEmail, StatisticalNeighbour, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["council"]


@admin.register(User)
class PersonAdmin(UserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "email", "is_staff", "is_active"]


class ValuesListFilter(admin.AllValuesFieldListFilter):
    """Every value a text field holds, as Django lists them, with the empty value named: Django
    shows it as a link with no text, which a screen reader announces as nothing but "link"."""

    def choices(self, changelist):
        empty = changelist.get_query_string({self.lookup_kwarg: ""}, [self.lookup_kwarg_isnull])
        for choice in super().choices(changelist):
            if choice["query_string"] == empty:
                # With facets shown, the display is the count alone: " (2)".
                choice = {**choice, "display": f"No {self.field.verbose_name}{choice['display']}"}
            yield choice


class NeighbourInline(admin.TabularInline):
    model = StatisticalNeighbour
    fk_name = "council"
    extra = 0
    autocomplete_fields = ["neighbour"]


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = ["name", "dfe_code", "ons_code", "urn", "region", "la_type"]
    # The national file gives a few councils no type.
    list_filter = [("region", ValuesListFilter), ("la_type", ValuesListFilter)]
    search_fields = ["name", "dfe_code", "ons_code", "urn"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [NeighbourInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "council", "role"]
    list_filter = ["role", "council__region"]
    search_fields = ["user__username", "user__last_name", "council__name"]
    autocomplete_fields = ["user", "council"]


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    """The outbox, to see what went and what failed; the sender alone writes to it."""

    list_display = ["subject", "created_at", "sent_at", "attempts", "last_error"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["subject"]
    readonly_fields = [f.name for f in OutboundEmail._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Invitation)
class InvitationAdmin(SimpleHistoryAdmin):
    """Invitations, to look at: a council's admins send them from its People page."""

    list_display = ["email", "council", "role", "created_at", "expires_at", "accepted_at"]
    list_filter = ["role"]
    search_fields = ["email", "council__name"]
    exclude = ["token_hash"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
