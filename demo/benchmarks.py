"""Speed measurements on the data already in the database (`manage.py bench_speed`, issue 12).

Generating the data is `bench_dashboard --tasks N --keep`'s job; this module only reads and times.
Every figure is the median of `repeat` runs after one warm-up, and each page is shown beside the
limit it is held to: the **hand-written aggregate**, one SQL statement that counts the standard
classes per agency straight from `directives_assignment` with the same filter, the fastest way the
database can give the figures (no ORM, no classification of the deadline in force, no page).
"""

import dataclasses
import datetime
import statistics
import time

from django.conf import settings
from django.db import connection, reset_queries
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from accounts.models import User
from directives.models import Assignment, Directive, PriorityGroup

BENCH_USERNAME = "do-toc-do-tam"

# The classes as plain predicates on today's deadline column (%(d)s: the as-of date).
HAND_WRITTEN = """
SELECT a.agency_id,
  count(*) FILTER (WHERE {done} AND (a.deadline IS NULL OR a.completed_on <= a.deadline)),
  count(*) FILTER (WHERE {done} AND a.completed_on > a.deadline),
  count(*) FILTER (WHERE {open} AND a.deadline >= %(d)s),
  count(*) FILTER (WHERE {open} AND a.deadline < %(d)s),
  count(*) FILTER (WHERE {open} AND a.deadline IS NULL)
FROM directives_assignment a {join}
WHERE (a.assigned_on IS NULL OR a.assigned_on <= %(d)s) {where}
GROUP BY a.agency_id
"""
NOT_CANCELLED = "(a.cancelled_on IS NULL OR a.cancelled_on > %(d)s)"
DONE = f"{NOT_CANCELLED} AND a.completed_on <= %(d)s"
OPEN = (
    f"{NOT_CANCELLED} AND (a.completed_on IS NULL OR a.completed_on > %(d)s)"
    " AND (a.paused_on IS NULL OR a.paused_on > %(d)s OR a.resumed_on <= %(d)s)"
)
FILTER_SQL = {
    "agency": ("", "AND a.agency_id = %(agency)s"),
    "directive": ("JOIN directives_task t ON t.id = a.task_id", "AND t.directive_id = %(directive)s"),
    "leader": ("JOIN directives_task t ON t.id = a.task_id", "AND t.leader_id = %(leader)s"),
    "group": (
        "",
        "AND EXISTS (SELECT 1 FROM directives_task_groups g JOIN directives_prioritygroup p"
        " ON p.id = g.prioritygroup_id WHERE g.task_id = a.task_id"
        " AND (p.id = %(group)s OR p.parent_id = %(group)s))",
    ),
}


def hand_written(as_of: datetime.date, name: str | None = None, value: int | None = None) -> list:
    """The per-agency counts in one hand-written statement, optionally filtered (`FILTER_SQL`)."""
    join, where = FILTER_SQL[name] if name else ("", "")
    sql = HAND_WRITTEN.format(done=DONE, open=OPEN, join=join, where=where)
    with connection.cursor() as cursor:
        cursor.execute(sql, {"d": as_of, name or "none": value})
        return cursor.fetchall()


@dataclasses.dataclass
class Timing:
    label: str
    median: float
    low: float
    high: float
    queries: int


def measure(label: str, run, repeat: int) -> Timing:
    """One warm-up (counting its SQL queries), then `repeat` timed runs."""
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        run()
    n_queries = len(queries.captured_queries)
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        timings.append(time.perf_counter() - started)
    return Timing(label, statistics.median(timings), min(timings), max(timings), n_queries)


def bench_user() -> User:
    """A throwaway office user for the requests (the same one `bench_dashboard` makes)."""
    user, created = User.objects.get_or_create(
        username=BENCH_USERNAME,
        defaults={"role": User.Role.OFFICE, "display_name": "Tài khoản tạm để đo tốc độ"},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def getter(client: Client, url: str):
    def request():
        response = client.get(url, secure=True)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} → {response.status_code}")
        return response.content

    return request


def filter_values() -> dict[str, tuple[str, int]]:
    """One value per filter, chosen among the largest: {filter: (value in the address, id)}."""
    agency = (
        Assignment.objects.values("agency_id", "agency__code").annotate(n=Count("id")).order_by("-n").first()
    )
    directive = Directive.objects.annotate(n=Count("tasks")).order_by("-n", "id").first()
    group = PriorityGroup.objects.annotate(n=Count("tasks")).order_by("-n", "id").first()
    leader = (
        User.objects.filter(role=User.Role.LEADER).annotate(n=Count("tasks_in_charge")).order_by("-n").first()
    )
    values = {}
    if agency:
        values["agency"] = (agency["agency__code"], agency["agency_id"])
    if directive:
        values["directive"] = (str(directive.pk), directive.pk)
    if group:
        values["group"] = (group.code, group.pk)
    if leader:
        values["leader"] = (str(leader.pk), leader.pk)
    return values


def dashboard_checks(client: Client, today: datetime.date, past: datetime.date) -> list[tuple]:
    """(scenario, hand-written run, [(label, run)]) for today, each filter and a past date."""
    scenarios = [("hôm nay", today, None, None, "")]
    for name, (value, pk) in filter_values().items():
        scenarios.append((f"lọc {name}={value}", today, name, pk, f"?{name}={value}"))
    scenarios.append((f"tính đến {past:%d/%m/%Y}", past, None, None, f"?as_of={past:%d/%m/%Y}"))
    checks = []
    for title, as_of, name, pk, query in scenarios:
        checks.append(
            (
                title,
                lambda as_of=as_of, name=name, pk=pk: hand_written(as_of, name, pk),
                [
                    ("GET /", getter(client, "/" + query)),
                    ("GET /dashboard.json", getter(client, "/dashboard.json" + query)),
                ],
            )
        )
    return checks


def run_dashboard(out, repeat: int, today: datetime.date, past: datetime.date) -> list[dict]:
    """Time the dashboard and its JSON beside the hand-written aggregate, for every scenario."""
    client = Client(raise_request_exception=True)
    client.force_login(bench_user())
    results = []
    with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
        for title, limit_run, pages in dashboard_checks(client, today, past):
            limit = measure("viết tay", limit_run, repeat)
            out(f"{title}: truy vấn viết tay {ms(limit.median)} ms")
            for label, run in pages:
                timing = measure(label, run, repeat)
                ratio = timing.median / limit.median if limit.median else 0
                out(f"    {label:<22}{ms(timing.median):>10} ms  ×{ratio:.2f}  {timing.queries} truy vấn")
                results.append(
                    {"scenario": title, "page": label, "limit": limit, "timing": timing, "ratio": ratio}
                )
    return results


def ms(seconds: float) -> str:
    """Milliseconds with one decimal, Vietnamese style (decimal comma)."""
    return f"{seconds * 1000:.1f}".replace(".", ",")


SEARCHES = ("/tasks/?q=ke+hoach", "/tasks/?q=giai+ngan+von", "/tasks/?q=ke+hoach&status=overdue_all")


def run_search(out, repeat: int) -> list[Timing]:
    """The task list searched without diacritics."""
    client = Client(raise_request_exception=True)
    client.force_login(bench_user())
    results = []
    with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
        for url in SEARCHES:
            timing = measure(f"GET {url}", getter(client, url), repeat)
            out(f"{timing.label:<50}{ms(timing.median):>10} ms  {timing.queries} truy vấn")
            results.append(timing)
    return results


class _Rollback(Exception):
    pass


def run_summaries(out, repeat: int, today: datetime.date) -> dict:
    """Producing the last month's summary (again, rolled back each time), then its page, XLSX and PDF."""
    from django.db import transaction

    from summaries.models import Summary
    from summaries.periods import Kind, last_cutoff
    from summaries.services import ensure_summary, produce_summary
    from tracking.permissions import SYSTEM

    cut_off = last_cutoff(today)

    def produce_again():
        try:
            with transaction.atomic():
                produce_summary(Kind.MONTH, cut_off, actor=SYSTEM, again=True)
                raise _Rollback
        except _Rollback:
            pass

    summary, _made = ensure_summary(Kind.MONTH, cut_off, actor=SYSTEM)
    summary = Summary.objects.get(pk=summary.pk)
    client = Client(raise_request_exception=True)
    client.force_login(bench_user())
    checks = [
        (f"lập báo cáo tháng (chốt {cut_off:%d/%m/%Y})", produce_again),
        ("GET trang báo cáo", getter(client, summary.get_absolute_url())),
        ("GET .xlsx", getter(client, f"/summaries/{summary.pk}.xlsx")),
        ("GET .pdf", getter(client, f"/summaries/{summary.pk}.pdf")),
    ]
    results = {}
    with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
        for label, run in checks:
            timing = measure(label, run, repeat)
            out(f"{label:<50}{ms(timing.median):>10} ms  {timing.queries} truy vấn")
            results[label] = timing
    return results


def run_targets(out, repeat: int) -> Timing:
    """The targets page (first page) with the targets in the database."""
    from targets.models import Target

    client = Client(raise_request_exception=True)
    client.force_login(bench_user())
    with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
        timing = measure("GET /targets/", getter(client, "/targets/"), repeat)
    out(
        f"GET /targets/ ({Target.objects.count()} chỉ tiêu){ms(timing.median):>24} ms  {timing.queries} truy vấn"
    )
    return timing


def run_scan(out) -> None:
    """The reminder scan run twice today, rolled back afterwards: time, reminders created, peak memory."""
    import resource

    from django.db import transaction
    from django.utils import timezone

    from reminders import services

    now = timezone.now()
    try:
        with transaction.atomic():
            for label in ("lần rà soát đầu", "lần rà soát thứ hai cùng ngày"):
                started = time.perf_counter()
                created = services.run_scan(now)
                seconds = time.perf_counter() - started
                peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                out(f"nhắc việc, {label}: {seconds:.1f} s, {created} nhắc việc, bộ nhớ đỉnh {peak:.0f} MB")
            raise _Rollback
    except _Rollback:
        pass
