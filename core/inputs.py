"""The limits every piece of user input meets, in one place, so that bad input gets a Vietnamese
message and changes nothing instead of reaching the database and answering 500.

- Dates typed by users (as-of dates, report dates, deadlines, cut-offs…) lie in FIRST_DAY..LAST_DAY:
  outside it Python's date arithmetic overflows (31/12/9999 + 7 days) and nobody means such a day.
- Integers fit the column they go to, with PostgreSQL's ranges: SQLite would store 40,000 in a
  "small integer" column that PostgreSQL refuses, so the stricter range is the portable one.
- Ids in forms and URLs fit a bigint (SQLite raises OverflowError on larger ones in `IN (…)`).
- Free text has a length limit told in Vietnamese.
- NUL characters, which PostgreSQL refuses in text, are refused for the whole request by
  `RefuseNulMiddleware` (400).
"""

import datetime

from django import forms
from django.core import validators
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import register_converter
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.dates import format_day

# --- Dates ----------------------------------------------------------------------------------------

FIRST_DAY = datetime.date(2000, 1, 1)
LAST_DAY = datetime.date(2100, 12, 31)
DAY_OUT_OF_RANGE = gettext_lazy(
    "Ngày “%(value)s” nằm ngoài khoảng cho phép: chỉ nhận ngày từ %(first)s đến %(last)s."
)


def check_day(day: datetime.date, text: str | None = None) -> None:
    """Raise a ValidationError when `day` lies outside FIRST_DAY..LAST_DAY (`text`: as typed)."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValidationError(
            DAY_OUT_OF_RANGE,
            code="day_out_of_range",
            params={
                "value": text or format_day(day),
                "first": format_day(FIRST_DAY),
                "last": format_day(LAST_DAY),
            },
        )


class VietnameseDateField(forms.DateField):
    """Accepts dd/mm/yyyy (and yyyy-mm-dd from date pickers) within FIRST_DAY..LAST_DAY, and says
    so when it cannot parse or the day is out of range. Every date a user types goes through it."""

    input_formats = ["%d/%m/%Y", "%Y-%m-%d"]
    default_error_messages = {
        "invalid": gettext_lazy("Ngày “%(value)s” không hợp lệ. Nhập theo dạng dd/mm/yyyy, ví dụ 31/03/2023.")
    }

    def to_python(self, value):
        try:
            day = super().to_python(value)
        except ValidationError as error:
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            ) from error
        if day is not None:
            check_day(day, value if isinstance(value, str) else None)
        return day


class AsOfForm(forms.Form):
    """ "Số liệu tính đến ngày": every page that shows figures as of a date takes it this way; empty
    means today (in Cà Mau's time zone)."""

    as_of = VietnameseDateField(label=gettext_lazy("Số liệu tính đến ngày"), required=False)

    @property
    def as_of_date(self) -> datetime.date:
        value = self.cleaned_data.get("as_of") if self.is_bound and hasattr(self, "cleaned_data") else None
        return value or timezone.localdate()


# --- Integers -------------------------------------------------------------------------------------

SMALLINT = (-32768, 32767)
INTEGER = (-(2**31), 2**31 - 1)
BIGINT = (-(2**63), 2**63 - 1)
# By Django's internal field type; PostgreSQL's ranges (the stricter of the two databases).
INTEGER_RANGES = {
    "SmallIntegerField": SMALLINT,
    "PositiveSmallIntegerField": (0, SMALLINT[1]),
    "IntegerField": INTEGER,
    "PositiveIntegerField": (0, INTEGER[1]),
    "BigIntegerField": BIGINT,
    "PositiveBigIntegerField": (0, BIGINT[1]),
    "SmallAutoField": (1, SMALLINT[1]),
    "AutoField": (1, INTEGER[1]),
    "BigAutoField": (1, BIGINT[1]),
}
MAX_ID = BIGINT[1]


def vn_int(number: int) -> str:
    """12345 → "12.345" (Vietnamese thousands separator)."""
    return f"{number:,}".replace(",", ".")


@deconstructible
class IntegerRange:
    """Refuses an integer outside low..high with a Vietnamese message naming the range."""

    message = gettext_lazy("Số %(value)s nằm ngoài khoảng cho phép: từ %(low)s đến %(high)s.")
    code = "out_of_range"

    def __init__(self, low: int, high: int):
        self.low, self.high = low, high

    def __call__(self, value):
        if value is not None and not self.low <= value <= self.high:
            raise ValidationError(
                self.message,
                code=self.code,
                params={"value": vn_int(value), "low": vn_int(self.low), "high": vn_int(self.high)},
            )

    def __eq__(self, other):
        return isinstance(other, IntegerRange) and (self.low, self.high) == (other.low, other.high)


def bound_integer(field: forms.IntegerField, low: int, high: int) -> None:
    """Give a form's integer field the column's range, told in Vietnamese (replacing Django's own
    min/max checks, whose Vietnamese is poor), and the browser its min and max."""
    replaced = (IntegerRange, validators.MinValueValidator, validators.MaxValueValidator)
    field.validators = [v for v in field.validators if not isinstance(v, replaced)]
    field.validators.append(IntegerRange(low, high))
    field.min_value, field.max_value = low, high
    field.widget.attrs.update(min=low, max=high)


def _column_range(model_field) -> tuple[int, int] | None:
    if isinstance(model_field, models.ForeignKey):
        model_field = model_field.target_field
    return INTEGER_RANGES.get(model_field.get_internal_type())


def _outside_column(model_field, value) -> bool:
    """True when `value` (as posted) is an integer that cannot be in `model_field`'s column."""
    bounds = _column_range(model_field)
    if bounds is None:
        return False
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return False  # not a number at all: the field's own check says so
    return not bounds[0] <= number <= bounds[1]


def _key_field(queryset, to_field_name):
    opts = queryset.model._meta
    return opts.get_field(to_field_name) if to_field_name else opts.pk


class IdChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField that refuses an id beyond its column's range before asking the database."""

    default_error_messages = {
        "invalid_choice": gettext_lazy("Giá trị “%(value)s” không có trong danh sách."),
    }

    def to_python(self, value):
        key = _key_field(self.queryset, self.to_field_name)
        if value not in self.empty_values and _outside_column(key, value):
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            )
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField that refuses ids beyond the column's range before the `IN (…)`."""

    default_error_messages = {
        "invalid_choice": gettext_lazy("Giá trị “%(value)s” không có trong danh sách."),
        "invalid_pk_value": gettext_lazy("Giá trị “%(pk)s” không có trong danh sách."),
        "invalid_list": gettext_lazy("Danh sách giá trị không hợp lệ."),
    }

    def _check_values(self, value):
        key = _key_field(self.queryset, self.to_field_name)
        for item in value:
            if _outside_column(key, item):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": item}
                )
        return super()._check_values(value)


class IdConverter:
    """`<id:pk>` in URLs: a positive integer that fits a bigint id; anything larger is a 404
    (no lookup at all), where `<int:pk>` would hand the database a number it refuses."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError(value)  # Django answers "no match": 404
        return number

    def to_url(self, value) -> str:
        return str(value)


# Registered once, when this module is first imported (each urls.py imports it).
register_converter(IdConverter, "id")


# --- Text -----------------------------------------------------------------------------------------

# Long free text: progress reports, results, contributions, comments, task text.
LONG_TEXT = 10_000
# Shorter free text: reasons, notes, urgings, a directive's summary (trích yếu).
SHORT_TEXT = 2_000
# The body of a directive (its full text may be pasted in).
DOCUMENT_TEXT = 100_000


@deconstructible
class TextLimit(validators.MaxLengthValidator):
    """A length limit told in Vietnamese, with the numbers written the Vietnamese way."""

    message = gettext_lazy("Nội dung dài %(length)s ký tự, vượt quá giới hạn %(limit)s ký tự.")

    def __call__(self, value):
        length = self.clean(value)
        if length > self.limit_value:
            raise ValidationError(
                self.message,
                code=self.code,
                params={"length": vn_int(length), "limit": vn_int(self.limit_value), "value": value},
            )


def limit_text(field: forms.CharField, limit: int) -> None:
    """Put the Vietnamese length limit on a form's text field, replacing Django's own."""
    field.max_length = limit
    field.validators = [v for v in field.validators if not isinstance(v, validators.MaxLengthValidator)]
    field.validators.append(TextLimit(limit))
    field.widget.attrs["maxlength"] = str(limit)


class TextField(forms.CharField):
    """A CharField with a Vietnamese length limit (`max_length`, LONG_TEXT by default)."""

    def __init__(self, *, max_length: int = LONG_TEXT, **kwargs):
        super().__init__(max_length=max_length, **kwargs)
        limit_text(self, max_length)


class ModelLimitsMixin:
    """For ModelForms: the model's column limits as Vietnamese form checks, which run before the
    model's own validation (so the user reads these messages, not Django's defaults).

    Integer columns get their PostgreSQL range, character columns their max_length; text columns
    get the limit `text_limits` ({field name: limit}) names, LONG_TEXT otherwise. Fields the form
    declares itself keep the limits it gives them.
    """

    text_limits: dict[str, int] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        opts = self._meta.model._meta
        for name, field in self.fields.items():
            if name in self.declared_fields and name not in self.text_limits:
                continue  # the form chose its own limits
            try:
                model_field = opts.get_field(name)
            except FieldDoesNotExist:  # a form-only field
                model_field = None
            if isinstance(field, forms.CharField):
                if name in self.text_limits:
                    limit_text(field, self.text_limits[name])
                elif field.max_length:
                    limit_text(field, field.max_length)
                elif isinstance(model_field, models.TextField):
                    limit_text(field, LONG_TEXT)  # unbounded in the database, not in the form
            if (
                isinstance(field, forms.IntegerField)
                and model_field is not None
                and not model_field.is_relation
                and (bounds := _column_range(model_field))
            ):
                bound_integer(field, *bounds)


# --- NUL characters -------------------------------------------------------------------------------

NUL = "\x00"
NUL_MESSAGE = gettext_lazy(
    "Địa chỉ hoặc dữ liệu gửi lên có ký tự không hợp lệ (ký tự NUL). Không có dữ liệu nào bị thay đổi."
)


def _has_nul(request) -> bool:
    if NUL in request.path_info or "%00" in request.META.get("QUERY_STRING", ""):
        return True
    for data in (request.GET, request.POST if request.method == "POST" else None):
        if data is None:
            continue
        for key, values in data.lists():
            if NUL in key or any(NUL in value for value in values):
                return True
    return False


class RefuseNulMiddleware:
    """Answers 400 with a Vietnamese message to any request whose path, query string or posted form
    carries a NUL character: PostgreSQL refuses NUL in text, so such a request could only fail later
    (a 500 on PostgreSQL, odd rows on SQLite). Nothing past this point runs, so nothing changes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request):
            return bad_input_response(request, [str(NUL_MESSAGE)])
        return self.get_response(request)


def bad_input_response(request, errors: list[str]) -> HttpResponse:
    """400 with the messages, in the form the address answers in (JSON, plain text or a page)."""
    path = request.path_info
    if path.endswith(".json"):
        return JsonResponse({"errors": errors}, status=400, json_dumps_params={"ensure_ascii": False})
    if path.endswith((".csv", ".xlsx", ".pdf")):
        return HttpResponse("\n".join(errors), status=400, content_type="text/plain; charset=utf-8")
    return render(
        request, "bad_input.html", {"errors": errors, "title": _("Dữ liệu không hợp lệ")}, status=400
    )
