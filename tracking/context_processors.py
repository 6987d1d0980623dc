from directives.models import Task

from .models import Heartbeat


def site(request):
    """Shared by every page. Callables, so a page that does not show them costs no query."""

    def last_beat():
        return Heartbeat.objects.filter(name="beat").values_list("last_run", flat=True).first()

    def simulated():
        return Task.objects.filter(is_simulated=True).exists()

    return {"last_beat": last_beat, "simulated": simulated}
