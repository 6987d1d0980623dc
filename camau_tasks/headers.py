"""Response headers every page of the app carries (static files are answered by WhiteNoise before this).

- ``Permissions-Policy``: the browser features the app never uses are refused (settings.PERMISSIONS_POLICY).
- ``Cache-Control: private, no-store`` on what the app answers a signed-in user: pages and exports hold
  the office's data, which no shared cache nor the browser's disk should keep. A view that sets its own
  Cache-Control keeps it.
- ``Vary: HX-Request``: the same URL answers a whole page or, to htmx, a partial; a cache must not serve
  one for the other.
"""

from django.conf import settings
from django.utils.cache import patch_vary_headers


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "private, no-store"
        patch_vary_headers(response, ["HX-Request"])
        return response
