from django.utils.functional import SimpleLazyObject

from directives.models import Task

from .models import Heartbeat
from .permissions import allowed_actions


def site(request):
    """Shared by every page. Callables, so a page that does not show them costs no query."""

    def last_beat():
        return Heartbeat.objects.filter(name="beat").values_list("last_run", flat=True).first()

    def simulated():
        return Task.objects.filter(is_simulated=True).exists()

    return {
        "last_beat": last_beat,
        "simulated": simulated,
        # What the user may do on any page, bound to no row (`{% if "manage_tasks" in actions %}`);
        # lazy, so that a page that does not ask does not load the user.
        "actions": SimpleLazyObject(lambda: allowed_actions(request.user, None)),
    }
