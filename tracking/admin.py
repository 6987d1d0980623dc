from django.contrib import admin

from core.admin import ReadOnlyAdminMixin

from .models import Comment, Contribution, DirectiveEvent, Extension, ProgressReport, TaskEvent, Urging


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Shown, never added, edited nor deleted here: these rows are written by the services
    (tracking.services, targets.services), which keep their history; an admin save would not."""


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0


class EditInAppAdmin(ReadOnlyAdmin):
    """Read-only here, with a note pointing the office to the app's page where the change is made
    (and recorded in the history)."""

    change_form_template = "admin/edit_in_app_change_form.html"
    change_list_template = "admin/edit_in_app_change_list.html"

    def app_url(self, obj=None) -> str:
        """The app's page for `obj` (or for the list when None)."""
        return obj.get_absolute_url() if obj is not None and hasattr(obj, "get_absolute_url") else "/"

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["app_url"] = self.app_url(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"app_url": self.app_url(None), **(extra_context or {})})


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
