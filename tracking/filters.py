"""The filter form shared by the dashboard, its exports and the task list.

Bad input (an unknown agency, an as-of date like 31/02/2023 or 31/12/9999, an id too large for any
row) becomes a Vietnamese message on the form (core.inputs holds the limits); the views then
answer 400 with that message instead of guessing or failing.
"""

from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.inputs import AsOfForm, IdChoiceField, TextField
from core.text import fold
from directives.models import Agency, Directive, PriorityGroup, Task

from .classification import Status

INVALID_CHOICE = _("Giá trị “%(value)s” không có trong danh sách.")


class CodeChoiceField(IdChoiceField):
    default_error_messages = {"invalid_choice": INVALID_CHOICE}


class AssignmentFilterForm(AsOfForm):
    directive = CodeChoiceField(
        label=_("Văn bản"), queryset=Directive.objects.all(), required=False, empty_label=_("Tất cả văn bản")
    )
    group = CodeChoiceField(
        label=_("Nhóm nhiệm vụ"),
        queryset=PriorityGroup.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("Tất cả nhóm"),
    )
    agency = CodeChoiceField(
        label=_("Cơ quan chủ trì"),
        queryset=Agency.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("Tất cả cơ quan"),
    )
    leader = CodeChoiceField(
        label=_("Lãnh đạo phụ trách"),
        queryset=User.objects.filter(role=User.Role.LEADER),
        required=False,
        empty_label=_("Tất cả lãnh đạo"),
    )

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.fields["group"].label_from_instance = lambda g: f"{g.code} – {g.name[:70]}"
        self.fields["agency"].label_from_instance = lambda a: a.short_name or a.name

    def filter_assignments(self, queryset):
        """Apply the chosen filters. The group filter uses EXISTS so a task in two groups counts once."""
        data = self.cleaned_data
        if data.get("directive"):
            queryset = queryset.filter(task__directive=data["directive"])
        if data.get("agency"):
            queryset = queryset.filter(agency=data["agency"])
        if data.get("leader"):
            queryset = queryset.filter(task__leader=data["leader"])
        if data.get("group"):
            group = data["group"]
            in_group = Task.groups.through.objects.filter(task_id=OuterRef("task_id")).filter(
                Q(prioritygroup=group) | Q(prioritygroup__parent=group)
            )
            queryset = queryset.filter(Exists(in_group))
        return queryset

    def querystring(self, **overrides) -> str:
        """The current filters as a query string, for links that keep them."""
        from django.http import QueryDict

        query = QueryDict(mutable=True)
        for name in self.fields:
            value = self.data.get(name)
            if value:
                query[name] = value
        for name, value in overrides.items():
            if value in (None, ""):
                query.pop(name, None)
            else:
                query[name] = value
        return query.urlencode()


class TaskListFilterForm(AssignmentFilterForm):
    q = TextField(label=_("Tìm kiếm"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=_("Tình trạng"),
        required=False,
        choices=[("", _("Tất cả tình trạng")), ("overdue_all", _("Quá hạn (tất cả)")), *Status.choices],
        error_messages={"invalid_choice": INVALID_CHOICE},
    )

    def filter_assignments(self, queryset):
        queryset = super().filter_assignments(queryset)
        for term in fold(self.cleaned_data.get("q") or "").split():
            queryset = queryset.filter(
                Q(task__search_text__contains=term) | Q(agency__search_text__contains=term)
            )
        status = self.cleaned_data.get("status")
        if status == "overdue_all":
            queryset = queryset.filter(status__in=[Status.OVERDUE, Status.OVERDUE_LONG])
        elif status:
            queryset = queryset.filter(status=status)
        return queryset
