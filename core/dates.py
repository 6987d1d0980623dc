import calendar
import datetime

from django.conf import settings
from django.utils import dateformat, formats


def month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def format_day(value: datetime.date | None) -> str:
    """A date as the office writes it (dd/mm/yyyy: camau_tasks/formats/vi), '' for None.

    The product's own language is asked for by name, so a job or command that runs with translation
    deactivated still writes dd/mm/yyyy."""
    if not value:
        return ""
    return dateformat.format(value, formats.get_format("SHORT_DATE_FORMAT", lang=settings.LANGUAGE_CODE))
