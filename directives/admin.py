from django.contrib import admin
from django.urls import reverse

from core.admin import EditInAppAdmin, ReadOnlyInline

from .models import Agency, Assignment, Directive, PriorityGroup, Task


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "code", "kind", "valid_from", "valid_to", "successor")
    list_filter = ("kind",)
    search_fields = ("name", "short_name", "code")
    autocomplete_fields = ("successor",)


@admin.register(PriorityGroup)
class PriorityGroupAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "parent")
    list_filter = ("kind",)
    search_fields = ("code", "name")


# Directives, tasks and assignments are only read here: the office adds and edits them on the app's
# own pages, whose services check the rules and write the history (who, when, before and after). An
# admin save would bypass both, so the admin refuses add, change and delete (403).


@admin.register(Directive)
class DirectiveAdmin(EditInAppAdmin):
    list_display = ("__str__", "issue_date", "signer", "summary", "is_simulated")
    list_filter = ("type", "is_simulated")
    search_fields = ("number", "reference", "summary")
    date_hierarchy = "issue_date"

    def app_url(self, obj=None) -> str:
        return obj.get_absolute_url() if obj is not None else reverse("directive-list")


class AssignmentInline(ReadOnlyInline):
    model = Assignment
    fields = ("agency", "agency_name", "state", "assigned_on", "completed_on", "percent")


@admin.register(Task)
class TaskAdmin(EditInAppAdmin):
    list_display = ("clause", "item", "directive", "deadline", "leader", "is_simulated")
    list_filter = ("directive", "deadline_kind", "is_simulated")
    search_fields = ("clause", "text")
    list_select_related = ("directive", "leader")
    inlines = [AssignmentInline]

    def app_url(self, obj=None) -> str:
        return obj.get_absolute_url() if obj is not None else reverse("task-list")
