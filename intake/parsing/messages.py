"""Messages a user reads, in Vietnamese, through Django's translation when Django is configured.

The package is pure Python: run outside Django (a script, a test without settings), a message is its
Vietnamese text as written.
"""


def gettext(message: str) -> str:
    try:
        from django.conf import settings

        if settings.configured:
            from django.utils.translation import gettext as django_gettext

            return django_gettext(message)
    except ImportError:  # pragma: no cover - Django is always installed with the project
        pass
    return message
