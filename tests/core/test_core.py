"""The shared helpers of core/: dates in the office's format, month ends, pages, form errors."""

import datetime

from django import forms
from django.test import RequestFactory
from django.utils import translation

from core.dates import format_day, month_end
from core.forms import form_errors
from core.pagination import page_or_error


def test_format_day_is_dd_mm_yyyy_whatever_the_active_language():
    day = datetime.date(2023, 3, 7)
    assert format_day(day) == "07/03/2023"
    with translation.override(None):
        assert format_day(day) == "07/03/2023"
    with translation.override("en"):
        assert format_day(day) == "07/03/2023"
    assert format_day(None) == ""


def test_month_end():
    assert month_end(2024, 2) == datetime.date(2024, 2, 29)
    assert month_end(2023, 2) == datetime.date(2023, 2, 28)
    assert month_end(2023, 12) == datetime.date(2023, 12, 31)


def test_page_or_error():
    request = RequestFactory().get("/", {"page": "3"})
    page, error = page_or_error(request, list(range(120)), 50)
    assert error is None and list(page.object_list) == list(range(100, 120))
    request = RequestFactory().get("/", {"page": "4"})
    page, error = page_or_error(request, list(range(120)), 50)
    assert page is None and error == "Trang “4” không tồn tại: danh sách có 3 trang."


def test_form_errors_in_field_order():
    class Form(forms.Form):
        a = forms.IntegerField(error_messages={"required": "Thiếu A."})
        b = forms.IntegerField(error_messages={"required": "Thiếu B."})

    form = Form({})
    assert not form.is_valid()
    assert form_errors(form) == ["Thiếu A.", "Thiếu B."]
