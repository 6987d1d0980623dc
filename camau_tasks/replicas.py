"""Reads of the heavy pages from a PostgreSQL replica, when there is one (`DATABASE_REPLICA_URL`).

The dashboard, its JSON and CSV, and the exports of frozen summaries only read; on a busy day they are
most of the database's work. With a replica configured, the views named in `REPLICA_READ_VIEWS` read
from it: `ReplicaReadsMiddleware` marks the view's run, and `ReplicaRouter` sends the reads made during
it to the `replica` alias. Everything else — every write, the session and the signed-in user (loaded from
the primary before the view runs), every page that shows what the user just wrote — stays on the primary,
so nobody misses their own change because of replication lag. Without a replica nothing changes.
See docs/scaling.md.
"""

import contextvars

from django.conf import settings

REPLICA = "replica"

_reading_from_replica = contextvars.ContextVar("reading_from_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _reading_from_replica.get() and replica_configured():
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return None  # the primary ("default")

    def allow_relation(self, obj1, obj2, **hints):
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # A replica receives the schema from the primary through replication, never a migration.
        return False if db == REPLICA else None


class ReplicaReadsMiddleware:
    """Runs the views of REPLICA_READ_VIEWS (URL names, GET and HEAD) with their reads on the replica."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not replica_configured() or request.method not in ("GET", "HEAD"):
            return None
        match = request.resolver_match
        if match is None or match.url_name not in settings.REPLICA_READ_VIEWS:
            return None
        request.user.is_authenticated  # noqa: B018 (session and user read from the primary, now)
        token = _reading_from_replica.set(True)
        try:
            return view_func(request, *view_args, **view_kwargs)
        finally:
            _reading_from_replica.reset(token)
