"""Operators manage sets and who is in them; set content (issues, ground rules) is not here."""

from django.contrib import admin

from .models import Membership, Set


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Set)
class SetAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "mode", "status", "self_facilitated"]
    list_filter = ["status", "mode", "programme"]
    search_fields = ["name"]
    # Set by Revans: closing the set (its status) and deleting what was said once its
    # retention is over (``programmes.retention``).
    readonly_fields = ["closed_at", "content_purged_at"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "set", "role", "joined_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__display_name", "set__name"]
    autocomplete_fields = ["user", "set"]
