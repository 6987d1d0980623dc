"""The filter form shared by the dashboard, its exports and the task list.

Bad input (an unknown agency, an as-of date like 31/02/2023 or 31/12/9999, an id too large for any
row) becomes a Vietnamese message on the form (core.inputs holds the limits); the views then
answer 400 with that message instead of guessing or failing.
"""

import dataclasses
import functools

from django import forms
from django.db.models import CharField, Exists, OuterRef, Q, Value
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.forms import QuickSelect
from core.inputs import AsOfForm, IdChoiceField, TextField
from core.text import fold
from directives.models import Agency, Directive, PriorityGroup, Task

from .classification import Status

INVALID_CHOICE = _("Giá trị “%(value)s” không có trong danh sách.")
OPTION_FIELDS = ("directive", "group", "agency", "leader")
UNKNOWN_NUMBER = _("(chưa rõ số, ký hiệu)")  # as Directive.number_display


class CodeChoiceField(IdChoiceField):
    default_error_messages = {"invalid_choice": INVALID_CHOICE}


@dataclasses.dataclass(frozen=True)
class Option:
    """One choice of a filter's list: its row's id, the value in the address and its label."""

    pk: int
    value: str
    label: str


def _option_rows():
    """The four lists' rows as one UNION ALL: (list, id, three text columns, a sort text).

    The columns are annotations with the same names and types in every part, so that both
    databases accept the union; each list is sorted afterwards in Python, as its model orders it."""

    def part(queryset, kind, a, b, c, sort):
        return (
            queryset.order_by()
            .annotate(
                opt_kind=Value(kind, output_field=CharField()),
                opt_a=Cast(a, CharField()),
                opt_b=Cast(b, CharField()),
                opt_c=Cast(c, CharField()),
                opt_sort=Cast(sort, CharField()),
            )
            .values_list("opt_kind", "pk", "opt_a", "opt_b", "opt_c", "opt_sort")
        )

    empty = Value("", output_field=CharField())
    return part(Directive.objects.all(), "directive", "type", "number", "reference", "issue_date").union(
        part(PriorityGroup.objects.all(), "group", "code", "name", "kind", empty),
        part(Agency.objects.all(), "agency", "code", "short_name", "name", "kind"),
        part(
            User.objects.filter(role=User.Role.LEADER),
            "leader",
            "display_name",
            "position",
            "username",
            empty,
        ),
        all=True,
    )


def filter_options() -> dict[str, list[Option]]:
    """The option lists of the four filters (văn bản, nhóm, cơ quan, lãnh đạo) in one query.

    The dashboard and the task list render all four; four ModelChoiceFields cost four queries, and
    one more each to check a chosen value. Here one query gives the lists, and a chosen value is
    checked against them in Python."""
    rows = {kind: [] for kind in OPTION_FIELDS}
    for kind, pk, a, b, c, sort in _option_rows():
        rows[kind].append((pk, a or "", b or "", c or "", sort or ""))
    # Directive: newest first ("-issue_date", undated last), then reference; label as str(directive).
    directives = sorted(rows["directive"], key=lambda r: r[3])
    directives.sort(key=lambda r: r[4], reverse=True)
    groups = sorted(rows["group"], key=lambda r: (r[3], r[1]))  # kind, code
    agencies = sorted(rows["agency"], key=lambda r: (r[4], r[3]))  # kind, name
    leaders = sorted(rows["leader"])
    return {
        "directive": [
            Option(pk, str(pk), f"{Directive.Type(kind).label} {number or UNKNOWN_NUMBER}")
            for pk, kind, number, _reference, _issued in directives
        ],
        "group": [Option(pk, code, f"{code} – {name[:70]}") for pk, code, name, _kind, _s in groups],
        "agency": [Option(pk, code, short or name) for pk, code, short, name, _kind in agencies],
        "leader": [
            Option(pk, str(pk), f"{name} ({position})" if name and position else name or position or username)
            for pk, name, position, username, _s in leaders
        ],
    }


class OptionField(forms.ChoiceField):
    """A filter chosen from `filter_options()`; cleans to the chosen `Option` (or None)."""

    def __init__(self, *, kind: str, empty_label, **kwargs):
        self.kind, self.empty_label = kind, empty_label
        super().__init__(
            required=False, widget=QuickSelect, error_messages={"invalid_choice": INVALID_CHOICE}, **kwargs
        )


class AssignmentFilterForm(AsOfForm):
    directive = OptionField(label=_("Văn bản"), kind="directive", empty_label=_("Tất cả văn bản"))
    group = OptionField(label=_("Nhóm nhiệm vụ"), kind="group", empty_label=_("Tất cả nhóm"))
    agency = OptionField(label=_("Cơ quan chủ trì"), kind="agency", empty_label=_("Tất cả cơ quan"))
    leader = OptionField(label=_("Lãnh đạo phụ trách"), kind="leader", empty_label=_("Tất cả lãnh đạo"))

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self._options = None
        for name in OPTION_FIELDS:
            field = self.fields[name]
            # A callable: the one query runs only when a list is rendered or a value checked.
            field.choices = functools.partial(self._choices, field)

    @property
    def options(self) -> dict[str, list[Option]]:
        if self._options is None:
            self._options = filter_options()
        return self._options

    def _choices(self, field):
        return [("", field.empty_label), *((o.value, o.label) for o in self.options[field.kind])]

    def _clean_option(self, name):
        value = self.cleaned_data.get(name)
        if not value:
            return None
        return next(o for o in self.options[name] if o.value == value)

    def clean_directive(self):
        return self._clean_option("directive")

    def clean_group(self):
        return self._clean_option("group")

    def clean_agency(self):
        return self._clean_option("agency")

    def clean_leader(self):
        return self._clean_option("leader")

    def filter_assignments(self, queryset):
        """Apply the chosen filters. The group filter uses EXISTS so a task in two groups counts once."""
        data = self.cleaned_data
        if data.get("directive"):
            queryset = queryset.filter(task__directive_id=data["directive"].pk)
        if data.get("agency"):
            queryset = queryset.filter(agency_id=data["agency"].pk)
        if data.get("leader"):
            queryset = queryset.filter(task__leader_id=data["leader"].pk)
        if data.get("group"):
            group = data["group"].pk
            in_group = Task.groups.through.objects.filter(task_id=OuterRef("task_id")).filter(
                Q(prioritygroup_id=group) | Q(prioritygroup__parent_id=group)
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
