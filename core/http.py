from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """What the views receive: Django's request with django-htmx's `request.htmx` (HtmxMiddleware)."""

    htmx: HtmxDetails
