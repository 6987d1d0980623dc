"""The summaries pages' forms. Bad input becomes a Vietnamese message; the views answer 400."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.inputs import FIRST_DAY, LAST_DAY, SMALLINT, VietnameseDateField
from tracking.filters import INVALID_CHOICE

from .periods import Kind
from .services import SummaryError, check_cut_off


class SummaryFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Loại báo cáo"),
        required=False,
        choices=[("", _("Tất cả loại")), *Kind.choices],
        error_messages={"invalid_choice": INVALID_CHOICE},
    )
    year = forms.IntegerField(
        label=_("Năm"),
        required=False,
        min_value=FIRST_DAY.year,  # the dates every form accepts (core.inputs)
        max_value=LAST_DAY.year,
        error_messages={
            "invalid": _("Năm phải là một số, ví dụ 2026."),
            "min_value": _("Năm phải từ 2000 đến 2100."),
            "max_value": _("Năm phải từ 2000 đến 2100."),
        },
    )

    def filter(self, queryset):
        data = self.cleaned_data if self.is_bound else {}
        if data.get("kind"):
            queryset = queryset.filter(kind=data["kind"])
        if data.get("year"):
            queryset = queryset.filter(cut_off__year=data["year"])
        return queryset


class ProduceForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Loại báo cáo"),
        choices=Kind.choices,
        initial=Kind.MONTH,
        error_messages={"invalid_choice": INVALID_CHOICE, "required": _("Chưa chọn loại báo cáo.")},
    )
    cut_off = VietnameseDateField(
        label=_("Ngày chốt số liệu"),
        error_messages={"required": _("Chưa nhập ngày chốt số liệu (dd/mm/yyyy).")},
    )

    def clean_cut_off(self):
        cut_off = self.cleaned_data["cut_off"]
        try:
            check_cut_off(cut_off)
        except SummaryError as error:
            raise forms.ValidationError(error.messages) from error
        return cut_off


class AgainForm(forms.Form):
    """ "Lập lại" carries the version the user saw, so a double click or two clerks at once make one
    new version, not two."""

    version = forms.IntegerField(
        min_value=1,
        max_value=SMALLINT[1],  # Summary.version is a PositiveSmallIntegerField
        error_messages={
            "required": _("Thiếu phiên bản báo cáo."),
            "invalid": _("Phiên bản báo cáo không hợp lệ."),
            "min_value": _("Phiên bản báo cáo không hợp lệ."),
            "max_value": _("Phiên bản báo cáo không hợp lệ."),
        },
    )
