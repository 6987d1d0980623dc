from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import Comment, Contribution, DirectiveEvent, Extension, ProgressReport, TaskEvent, Urging


@admin.register(TaskEvent)
class TaskEventAdmin(ReadOnlyAdmin):
    """Read-only: the history is append-only, nobody edits or deletes it."""

    list_display = ("at", "kind", "task", "actor")
    list_filter = ("kind",)
    list_select_related = ("task", "actor")


@admin.register(DirectiveEvent)
class DirectiveEventAdmin(ReadOnlyAdmin):
    """Read-only: the history is append-only, nobody edits or deletes it."""

    list_display = ("at", "kind", "directive", "actor")
    list_filter = ("kind",)
    list_select_related = ("directive", "actor")


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyAdmin):
    list_display = ("reported_on", "assignment", "agency", "percent", "proposes_completion", "is_simulated")
    list_filter = ("proposes_completion", "is_simulated")
    list_select_related = ("assignment__task", "agency")


@admin.register(Extension)
class ExtensionAdmin(ReadOnlyAdmin):
    list_display = ("requested_on", "assignment", "old_deadline", "new_deadline", "status", "decided_on")
    list_filter = ("status",)
    list_select_related = ("assignment__task",)


@admin.register(Urging)
class UrgingAdmin(ReadOnlyAdmin):
    list_display = ("at", "assignment", "urged_by")
    list_select_related = ("assignment__task", "urged_by")


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ("at", "task", "author")
    list_select_related = ("task", "author")


@admin.register(Contribution)
class ContributionAdmin(ReadOnlyAdmin):
    list_display = ("reported_on", "task", "agency", "author")
    list_select_related = ("task", "agency", "author")
