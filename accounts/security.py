"""Who is signing in, and a log line for each sign-in, failure and sign-out.

The address is REMOTE_ADDR, unless settings.TRUSTED_PROXY says the app sits behind the office's own
reverse proxy: then it is the last address of X-Forwarded-For, the one that proxy saw (the addresses
before it are whatever the client claimed). django-axes locks by this address together with the
username (settings.AXES_CLIENT_IP_CALLABLE).
"""

import ipaddress
import logging
import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.shortcuts import render

logger = logging.getLogger("camau.auth")

SESSION_REFRESHED = "refreshed_at"


def client_ip(request) -> str | None:
    """None when unknown (a request built in code, e.g. a test client's force_login)."""
    if settings.TRUSTED_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops and _is_address(hops[-1]):
            return hops[-1]
    address = request.META.get("REMOTE_ADDR")
    return address if address and _is_address(address) else None


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _where(request) -> tuple[str, str]:
    if request is None:
        return "-", "-"
    return client_ip(request) or "-", request.path or "-"


@receiver(user_logged_in)
def log_sign_in(sender, request, user, **kwargs):
    ip, path = _where(request)
    logger.info("sign-in user=%s ip=%s path=%s", user.get_username(), ip, path)
    if request is not None and hasattr(request, "session"):
        # Starts the idle clock (accounts.middleware.IdleSessionMiddleware) in the sign-in's own save.
        request.session[SESSION_REFRESHED] = int(time.time())


@receiver(user_login_failed)
def log_sign_in_failure(sender, credentials, request=None, **kwargs):
    ip, path = _where(request)
    # `credentials` has the password already masked by Django; only the username is logged.
    logger.warning("sign-in failed user=%s ip=%s path=%s", credentials.get("username", "-"), ip, path)


@receiver(user_logged_out)
def log_sign_out(sender, request, user, **kwargs):
    ip, path = _where(request)
    logger.info("sign-out user=%s ip=%s path=%s", user.get_username() if user else "-", ip, path)


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out sign-in (settings.AXES_LOCKOUT_CALLABLE): a page in
    Vietnamese saying for how long, with 429 Too Many Requests."""
    ip, path = _where(request)
    username = (credentials or {}).get("username", "-")
    logger.warning("sign-in locked out user=%s ip=%s path=%s", username, ip, path)
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    return render(request, "accounts/locked_out.html", {"cooloff_minutes": minutes}, status=429)
