"""Operators may manage programmes' prompt sets. Learning logs, entries and everything in them
are their authors' alone (architecture.md §4) and are never registered here."""

from django.contrib import admin

from .models import ProgrammePromptSet


@admin.register(ProgrammePromptSet)
class ProgrammePromptSetAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "created_at"]
    list_filter = ["programme"]
    search_fields = ["name", "programme__name"]
