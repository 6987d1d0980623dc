from django.contrib import admin

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


@admin.register(Directive)
class DirectiveAdmin(admin.ModelAdmin):
    list_display = ("__str__", "issue_date", "signer", "summary", "is_simulated")
    list_filter = ("type", "is_simulated")
    search_fields = ("number", "reference", "summary")
    date_hierarchy = "issue_date"


class AssignmentInline(admin.TabularInline):
    model = Assignment
    fields = ("agency", "agency_name", "state", "assigned_on", "completed_on", "percent")
    autocomplete_fields = ("agency",)
    extra = 0


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ("clause", "item", "directive", "deadline", "leader", "is_simulated")
    list_filter = ("directive", "deadline_kind", "is_simulated")
    search_fields = ("clause", "text")
    autocomplete_fields = ("supporting_agencies",)
    filter_horizontal = ("groups",)
    list_select_related = ("directive", "leader")
    inlines = [AssignmentInline]
