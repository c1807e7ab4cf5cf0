from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Council, Membership, OutboundEmail, StatisticalNeighbour, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["council"]


@admin.register(User)
class PersonAdmin(UserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "email", "is_staff", "is_active"]


class NeighbourInline(admin.TabularInline):
    model = StatisticalNeighbour
    fk_name = "council"
    extra = 0
    autocomplete_fields = ["neighbour"]


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = ["name", "dfe_code", "ons_code", "urn", "region", "la_type"]
    list_filter = ["region", "la_type"]
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
