"""Forms of the targets pages: the list filters, the report of a value, the office's lock and unlock."""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from core.inputs import SHORT_TEXT, AsOfForm, TextField
from core.uploads import ACCEPT
from directives.models import Agency, PriorityGroup
from tracking.filters import INVALID_CHOICE, CodeChoiceField

from .models import Target
from .progress import Status, period_label
from .services import MAX_ABS_VALUE

NUMBER = re.compile(r"^[+-]?(\d+|\d{1,3}(\.\d{3})+)(,\d+)?$|^[+-]?\d+(\.\d+)?$")


def parse_number(text: str) -> Decimal:
    """A number as Vietnamese users type it: decimal comma ("92,5", "1.234,5"); a lone decimal point
    ("92.5") is accepted too. Raises ValueError otherwise."""
    text = text.strip().replace(" ", "").replace("\u00a0", "")
    if not NUMBER.match(text):
        raise ValueError(text)
    if "," in text or text.count(".") > 1:  # "1.250.000": the dots group thousands
        text = text.replace(".", "").replace(",", ".")
    try:
        return Decimal(text)
    except InvalidOperation as error:
        raise ValueError(text) from error


class TargetFilterForm(AsOfForm):
    group = CodeChoiceField(
        label=_("Nhóm nhiệm vụ"),
        queryset=PriorityGroup.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("Tất cả nhóm"),
    )
    agency = CodeChoiceField(
        label=_("Cơ quan chịu trách nhiệm"),
        queryset=Agency.objects.filter(Exists(Target.objects.filter(responsible_agency=OuterRef("pk")))),
        to_field_name="code",
        required=False,
        empty_label=_("Tất cả cơ quan"),
    )
    status = forms.ChoiceField(
        label=_("Tình trạng"),
        required=False,
        choices=[
            ("", _("Tất cả tình trạng")),
            ("at_risk", _("Có nguy cơ (chậm tiến độ, khó đạt)")),
            *Status.choices,
        ],
        error_messages={"invalid_choice": INVALID_CHOICE},
    )

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.fields["group"].label_from_instance = lambda g: f"{g.code} – {g.name[:70]}"
        self.fields["agency"].label_from_instance = lambda a: a.short_name or a.name

    def filter_targets(self, queryset):
        """Group (a group also takes its sub-groups) and agency in the database; status is judged later."""
        data = self.cleaned_data if self.is_bound else {}
        if data.get("agency"):
            queryset = queryset.filter(responsible_agency=data["agency"])
        if data.get("group"):
            queryset = queryset.in_group(data["group"])
        return queryset

    def keep(self, status) -> bool:
        wanted = self.cleaned_data.get("status") if self.is_bound else ""
        if not wanted:
            return True
        if wanted == "at_risk":
            return status in (Status.BEHIND, Status.UNLIKELY)
        return status == wanted


class ReportForm(forms.Form):
    """An agency reports the value of one period. Bad input gets a Vietnamese message."""

    period = forms.ChoiceField(
        label=_("Kỳ báo cáo"),
        error_messages={"invalid_choice": INVALID_CHOICE, "required": _("Chọn kỳ báo cáo.")},
    )
    value = TextField(
        label=_("Giá trị"),
        max_length=40,
        help_text=_("Dùng dấu phẩy cho phần thập phân, ví dụ 92,5."),
        error_messages={"required": _("Nhập giá trị của kỳ báo cáo.")},
    )
    note = TextField(
        label=_("Ghi chú"), required=False, max_length=SHORT_TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )
    file = forms.FileField(
        label=_("Tệp minh chứng (không bắt buộc)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=_("PDF, DOCX, XLSX hoặc ảnh, tối đa 20 MB."),
    )
    confirm = forms.BooleanField(label=_("Tôi xác nhận số liệu trên là đúng"), required=False)

    def __init__(self, target: Target, today: datetime.date, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.target = target
        periods = target.reporting_periods(today)
        self.fields["period"].choices = [
            (day.isoformat(), period_label(kind, day)) for kind, day in reversed(periods)
        ]

    def clean_value(self) -> Decimal:
        text = self.cleaned_data["value"]
        try:
            value = parse_number(text)
        except ValueError:
            raise forms.ValidationError(
                _("Giá trị “%(value)s” không phải là số. Ví dụ hợp lệ: 92,5 hoặc 1.250,75."),
                code="invalid",
                params={"value": text},
            ) from None
        # The column is DecimalField(max_digits=16, decimal_places=4); targets.services refuses more.
        if abs(value) > MAX_ABS_VALUE:
            raise forms.ValidationError(
                _("Giá trị quá lớn: chỉ nhận số từ -999.999.999.999 đến 999.999.999.999."), code="too_large"
            )
        if value != value.quantize(Decimal("0.0001")):
            raise forms.ValidationError(
                _("Giá trị “%(value)s” có quá 4 chữ số thập phân."),
                code="too_precise",
                params={"value": text},
            )
        return value

    @property
    def period_end(self) -> datetime.date:
        return datetime.date.fromisoformat(self.cleaned_data["period"])


class LockForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Kỳ cần khóa"),
        error_messages={"invalid_choice": INVALID_CHOICE, "required": _("Chọn kỳ cần khóa.")},
    )

    def __init__(self, target: Target, today: datetime.date, locked: set, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [
            (day.isoformat(), period_label(kind, day))
            for kind, day in reversed(target.reporting_periods(today))
            if day not in locked
        ]

    @property
    def period_end(self) -> datetime.date:
        return datetime.date.fromisoformat(self.cleaned_data["period"])


class UnlockForm(forms.Form):
    """The office reopens a locked period; the reason goes into the target's history."""

    period = forms.ChoiceField(
        label=_("Kỳ cần mở khóa"),
        error_messages={"invalid_choice": INVALID_CHOICE, "required": _("Chọn kỳ cần mở khóa.")},
    )
    reason = forms.CharField(
        label=_("Lý do mở khóa"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": _("Chưa nhập lý do mở khóa."),
            "max_length": _("Lý do mở khóa dài quá %(limit_value)d ký tự."),
        },
    )

    def __init__(self, target: Target, today: datetime.date, locked: set, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = {day: kind for kind, day in target.reporting_periods(today)}
        self.fields["period"].choices = [
            (day.isoformat(), period_label(kinds.get(day, target.frequency), day))
            for day in sorted(locked, reverse=True)
        ]

    @property
    def period_end(self) -> datetime.date:
        return datetime.date.fromisoformat(self.cleaned_data["period"])
