from django.contrib import admin

from .models import TaskEvent


@admin.register(TaskEvent)
class TaskEventAdmin(admin.ModelAdmin):
    """Read-only: the history is append-only, nobody edits or deletes it."""

    list_display = ("at", "kind", "task", "actor")
    list_filter = ("kind",)
    list_select_related = ("task", "actor")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
