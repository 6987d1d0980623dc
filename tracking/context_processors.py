from .models import Heartbeat


def site(request):
    """Shared by every page: when the background jobs last ran (lazy: costs a query only if shown)."""

    def last_beat():
        return Heartbeat.objects.filter(name="beat").values_list("last_run", flat=True).first()

    return {"last_beat": last_beat}
