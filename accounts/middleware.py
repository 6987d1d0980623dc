"""Sessions end after settings.SESSION_IDLE_MINUTES without a request.

The session's expiry (SESSION_COOKIE_AGE, the same number of minutes) is pushed forward by saving the
session. Saving it on every request would cost a write per page; once a minute is precise enough for
an idle limit counted in minutes.
"""

import time

from .security import SESSION_REFRESHED

REFRESH_EVERY_SECONDS = 60


class IdleSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated:
            now = int(time.time())
            if now - session.get(SESSION_REFRESHED, 0) >= REFRESH_EVERY_SECONDS:
                session[SESSION_REFRESHED] = now  # modified: SessionMiddleware saves it, new expiry
        return response
