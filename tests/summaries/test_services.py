"""Producing summaries: the figures recomputed independently, the freeze, versions, the beat job,
permissions and bad input."""

import datetime
import threading
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.db.models import Min

from demo.simulation.summaries import produce_demo_summaries
from directives.models import Assignment, Task
from summaries import jobs
from summaries.models import Summary
from summaries.periods import Kind, period_containing
from summaries.services import SummaryConflict, SummaryError, ensure_summary, produce_summary
from summaries.tasks import produce_due_summaries as produce_due_summaries_task
from tracking import services
from tracking.models import Extension, ProgressReport, Urging
from tracking.permissions import SYSTEM

from ..conftest import NOW, TODAY, VN
from .conftest import CUT_OFF, START, at

D = datetime.date
pytestmark = pytest.mark.django_db
STANDARD = ("done_on_time", "done_late", "in_progress", "overdue", "overdue_long", "no_deadline")


# --- An independent classification: plain Python over the rows, written from docs/domain.md,
# "How assignments are counted" ----------------------------------------------------------------------


def classify_rows(as_of: datetime.date) -> dict[int, tuple[str, datetime.date | None]]:
    """{assignment id: (class, deadline in force)} as of a date, without the database's expressions."""
    task_deadline = dict(Task.objects.values_list("id", "deadline"))
    approved: dict[int, list] = {}
    for e in Extension.objects.filter(status=Extension.Status.APPROVED).values(
        "id", "assignment_id", "decided_on", "new_deadline"
    ):
        approved.setdefault(e["assignment_id"], []).append(e)
    result = {}
    for a in Assignment.objects.values():
        if a["assigned_on"] and a["assigned_on"] > as_of:
            continue
        known = [e for e in approved.get(a["id"], []) if e["decided_on"] <= as_of]
        if known:
            deadline = max(known, key=lambda e: (e["decided_on"], e["id"]))["new_deadline"]
        else:
            deadline = task_deadline[a["task_id"]]
        if a["cancelled_on"] and a["cancelled_on"] <= as_of:
            status = "cancelled"
        elif a["completed_on"] and a["completed_on"] <= as_of:
            status = "done_on_time" if deadline is None or a["completed_on"] <= deadline else "done_late"
        elif (
            a["paused_on"] and a["paused_on"] <= as_of and not (a["resumed_on"] and a["resumed_on"] <= as_of)
        ):
            status = "paused"
        elif deadline is None:
            status = "no_deadline"
        elif as_of <= deadline:
            status = "in_progress"
        elif (as_of - deadline).days > 30:
            status = "overdue_long"
        else:
            status = "overdue"
        result[a["id"]] = (status, deadline)
    return result


def table_of(statuses: list[str]) -> dict:
    n = {
        s: statuses.count(s) for s in ("done_on_time", "done_late", "in_progress", "overdue", "overdue_long")
    }
    n |= {s: statuses.count(s) for s in ("no_deadline", "paused", "cancelled")}
    overdue = n["overdue"] + n["overdue_long"]
    total = n["done_on_time"] + n["done_late"] + n["in_progress"] + overdue + n["no_deadline"]
    rate = None
    if total:  # one decimal, half up (README "Counting rules")
        rate = float(
            (Decimal(100 * n["done_on_time"]) / Decimal(total)).quantize(Decimal("0.1"), ROUND_HALF_UP)
        )
    return {
        "total": total,
        "done_on_time": n["done_on_time"],
        "done_late": n["done_late"],
        "in_progress": n["in_progress"],
        "overdue": overdue,
        "overdue_long": n["overdue_long"],
        "no_deadline": n["no_deadline"],
        "paused": n["paused"],
        "cancelled": n["cancelled"],
        "on_time_rate": rate,
    }


def figures_only(row: dict) -> dict:
    return {k: row[k] for k in (*table_of([]).keys(),)}


# --- The figures ------------------------------------------------------------------------------------


def test_the_numbers_of_a_summary_recomputed_independently(scenario):
    summary = produce_summary(Kind.MONTH, CUT_OFF, actor=scenario.people["office"])
    data = summary.data
    rows = classify_rows(CUT_OFF)
    agency_of = dict(Assignment.objects.values_list("id", "agency__code"))
    task_of = dict(Assignment.objects.values_list("id", "task_id"))
    leader_of = dict(Task.objects.values_list("id", "leader_id"))
    groups_of: dict[int, list[str]] = {}
    for task_id, code in Task.groups.through.objects.values_list("task_id", "prioritygroup__code"):
        groups_of.setdefault(task_id, []).append(code)

    assert figures_only(data["figures"]["totals"]) == table_of([s for s, _d in rows.values()])
    by_agency: dict[str, list[str]] = {}
    by_leader: dict[str, list[str]] = {}
    by_group: dict[str, list[str]] = {}
    for pk, (status, _deadline) in rows.items():
        by_agency.setdefault(agency_of[pk], []).append(status)
        leader = leader_of[task_of[pk]]
        by_leader.setdefault(str(leader) if leader else "-", []).append(status)
        for code in groups_of.get(task_of[pk]) or ["-"]:
            by_group.setdefault(code, []).append(status)
    for name, expected in (("agencies", by_agency), ("leaders", by_leader), ("groups", by_group)):
        stored = {row["key"]: figures_only(row) for row in data["figures"][name]}
        assert stored == {key: table_of(statuses) for key, statuses in expected.items()}, name

    # The lists, by their rules.
    assignments = {a["id"]: a for a in Assignment.objects.values("id", "completed_on")}
    completed = sorted(
        pk
        for pk, (status, _d) in rows.items()
        if status.startswith("done") and START <= assignments[pk]["completed_on"] <= CUT_OFF
    )
    became = sorted(
        pk
        for pk, (status, deadline) in rows.items()
        if status.startswith("overdue")
        and START - datetime.timedelta(1) <= deadline <= CUT_OFF - datetime.timedelta(1)
    )
    drill = summary.drill["list"]
    assert sorted(drill["completed"]) == completed
    assert sorted(drill["became_overdue"]) == became
    assert sorted(drill["overdue_long"]) == sorted(pk for pk, (s, _d) in rows.items() if s == "overdue_long")
    lists = data["figures"]["lists"]
    assert lists["completed"] == len(completed) and lists["became_overdue"] == len(became)
    assert (
        lists["extensions"]
        == Extension.objects.filter(status="approved", decided_on__gte=START, decided_on__lte=CUT_OFF).count()
    )
    begin = datetime.datetime.combine(START, datetime.time(), tzinfo=VN)
    end = datetime.datetime.combine(CUT_OFF + datetime.timedelta(1), datetime.time(), tzinfo=VN)
    assert lists["urgings"] == Urging.objects.filter(at__gte=begin, at__lt=end).count()
    open_agencies = {
        agency_of[pk]
        for pk, (s, _d) in rows.items()
        if s in ("in_progress", "overdue", "overdue_long", "no_deadline")
    }
    reported = {
        code
        for code, lead in ProgressReport.objects.filter(
            reported_on__gte=START, reported_on__lte=CUT_OFF
        ).values_list("agency__code", "assignment__agency__code")
        if code == lead
    }
    assert lists["agencies_expected"] == len(open_agencies)
    assert lists["agencies_reported"] == len(open_agencies & reported)
    assert {d["key"] for d in data["lists"]["discipline"] if d["on_time"]} == open_agencies & reported

    # Every drill-down cell adds up to its number.
    for row in data["figures"]["agencies"]:
        cells = summary.drill["agency"][row["key"]]
        assert sum(len(cells.get(s, [])) for s in ("overdue", "overdue_long")) == row["overdue"]


def test_the_scenario_on_the_rules_edges(scenario):
    summary = produce_summary(Kind.MONTH, CUT_OFF, actor=SYSTEM)
    data, drill = summary.data, summary.drill
    s = scenario
    status = {pk: st for st, pks in drill["total"].items() for pk in pks}
    assert status[s["A"].pk] == "done_on_time" and status[s["C"].pk] == "done_late"
    assert status[s["B"].pk] == "overdue" and status[s["D"].pk] == "overdue_long"
    assert status[s["E"].pk] == "in_progress" and status[s["K"].pk] == "in_progress"
    assert status[s["F"].pk] == "no_deadline" and status[s["H"].pk] == "paused"
    assert s["L"].pk not in status  # assigned after the cut-off
    assert drill["list"]["completed"] == [s["C"].pk, s["A"].pk]  # by completion date
    assert drill["list"]["completed_on_time"] == [s["A"].pk]
    assert drill["list"]["completed_late"] == [s["C"].pk]
    assert set(drill["list"]["became_overdue"]) == {s["B"].pk, s["I"].pk}  # not J (13/10), not D, not K
    assert s["D"].pk in drill["list"]["overdue_long"]
    assert drill["list"]["extensions"] == [s["E"].pk]
    assert drill["list"]["urgings"] == [s["G"].pk]
    details = {row["id"]: row for row in data["lists"]["became_overdue"]}
    assert details[s["B"].pk]["days_overdue"] == 25 and details[s["B"].pk]["text"] == s["B"].task.text
    assert details[s["I"].pk]["deadline"] == "2026-10-14"
    (extension,) = data["lists"]["extensions"]
    assert (extension["old_deadline"], extension["new_deadline"], extension["decided_on"]) == (
        "2026-11-10",
        "2026-12-15",
        "2026-11-06",
    )
    discipline = {d["key"]: d for d in data["lists"]["discipline"]}
    # F's progress report and A's result (a report that proposes completion), both in the month.
    assert discipline["SKHDT"]["on_time"] and (
        discipline["SKHDT"]["reports"],
        discipline["SKHDT"]["tasks_reported"],
    ) == (2, 2)
    assert discipline["STC"]["on_time"]  # C's result, 20/10
    assert not discipline["SYT"]["on_time"]  # asked an extension, was urged, never reported
    assert data["lists"]["urgings_by_agency"][0]["key"] == "SYT"
    # The leader's row holds A, C and E.
    leader = next(r for r in data["figures"]["leaders"] if r["key"] == str(s.people["leader"].pk))
    assert (leader["done_on_time"], leader["done_late"], leader["in_progress"], leader["total"]) == (
        1,
        1,
        1,
        3,
    )
    assert data["label"] == "Tháng 11/2026" and data["span"] == "từ ngày 15/10/2026 đến ngày 14/11/2026"


def test_change_from_the_previous_month_uses_its_stored_summary(scenario):
    october = produce_summary(Kind.MONTH, D(2026, 10, 14), actor=SYSTEM)
    assert october.data["previous"]["source"] == "computed"
    # Afterwards, a completion is backdated into October: the stored October summary does not move,
    # and November compares with what October's summary said.
    with at(D(2026, 11, 21)):
        j = Assignment.objects.get(pk=scenario["J"].pk)
        services.propose_completion(
            scenario.people["unrelated_officer"],
            j,
            version=j.version,
            delivered_on=D(2026, 10, 12),
            text="Xong",
        )
        j.refresh_from_db()
        services.confirm_completion(scenario.people["office"], j, version=j.version)
    november = produce_summary(Kind.MONTH, CUT_OFF, actor=SYSTEM)
    before = november.data["previous"]
    assert before["source"] == "summary" and before["summary_id"] == october.pk
    assert before["figures"] == Summary.objects.get(pk=october.pk).data["figures"]
    syt_now = next(r for r in november.data["figures"]["agencies"] if r["key"] == "SYT")
    syt_then = next(r for r in october.data["figures"]["agencies"] if r["key"] == "SYT")
    change = november.data["change"]["agencies"]["SYT"]
    assert change["done_on_time"] == syt_now["done_on_time"] - syt_then["done_on_time"] == 1
    assert november.data["change"]["totals"]["total"] == (
        november.data["figures"]["totals"]["total"] - october.data["figures"]["totals"]["total"]
    )
    assert november.data["change"]["lists"]["completed"] == (
        november.data["figures"]["lists"]["completed"] - october.data["figures"]["lists"]["completed"]
    )
    # The trend holds October's stored point, then November's own.
    assert [p["label"] for p in november.data["trend"]] == ["T10", "T11"]


def test_the_previous_period_is_computed_when_it_has_no_summary(scenario):
    data = produce_summary(Kind.MONTH, CUT_OFF, actor=SYSTEM).data
    before = data["previous"]
    assert before["source"] == "computed" and before["cut_off"] == "2026-10-14"
    october = classify_rows(D(2026, 10, 14))
    assert figures_only(before["figures"]["totals"]) == table_of([s for s, _d in october.values()])


# --- The freeze and the versions --------------------------------------------------------------------


def test_later_edits_never_move_a_summary_and_producing_again_keeps_version_one(scenario):
    office = scenario.people["office"]
    first = produce_summary(Kind.MONTH, CUT_OFF, actor=office)
    stored = Summary.objects.get(pk=first.pk)
    frozen, frozen_drill = stored.data, stored.drill
    b = Assignment.objects.get(pk=scenario["B"].pk)
    # After the cut-off: B is completed with a delivery date before it, D's task gets a later
    # deadline, a report is backdated into the month.
    services.propose_completion(
        scenario.people["lead_officer"], b, version=b.version, delivered_on=D(2026, 11, 10), text="Đã xong"
    )
    b.refresh_from_db()
    services.confirm_completion(office, b, version=b.version)
    d_task = Task.objects.get(pk=scenario["D"].task_id)
    services.update_task(office, d_task, version=d_task.version, deadline=D(2026, 12, 31))
    g = Assignment.objects.get(pk=scenario["G"].pk)
    services.record_progress(
        scenario.people["unrelated_officer"],
        g,
        version=g.version,
        reported_on=D(2026, 11, 13),
        percent=50,
        text="Báo cáo",
    )

    # Asking for it again gives the same, unchanged summary.
    assert produce_summary(Kind.MONTH, CUT_OFF, actor=office).pk == first.pk
    assert ensure_summary(Kind.MONTH, CUT_OFF, actor=SYSTEM) == (first, False)
    stored = Summary.objects.get(pk=first.pk)
    assert (stored.data, stored.drill) == (frozen, frozen_drill)

    second = produce_summary(Kind.MONTH, CUT_OFF, actor=office, again=True, based_on=1)
    assert second.version == 2 and second.is_current and second.produced_by == office
    first.refresh_from_db()
    assert not first.is_current and first.superseded_at is not None
    assert (first.data, first.drill) == (frozen, frozen_drill)
    status = {pk: st for st, pks in second.drill["total"].items() for pk in pks}
    old_status = {pk: st for st, pks in frozen_drill["total"].items() for pk in pks}
    assert old_status[b.pk] == "overdue" and status[b.pk] == "done_late"
    assert old_status[scenario["D"].pk] == "overdue_long" and status[scenario["D"].pk] == "in_progress"
    assert (
        second.data["figures"]["lists"]["agencies_reported"]
        == frozen["figures"]["lists"]["agencies_reported"] + 1
    )
    assert Summary.objects.filter(kind=Kind.MONTH, cut_off=CUT_OFF).count() == 2


def test_producing_again_from_an_outdated_page_is_refused(scenario):
    office = scenario.people["office"]
    produce_summary(Kind.MONTH, CUT_OFF, actor=office)
    produce_summary(Kind.MONTH, CUT_OFF, actor=office, again=True, based_on=1)
    with pytest.raises(SummaryConflict) as caught:
        produce_summary(Kind.MONTH, CUT_OFF, actor=office, again=True, based_on=1)
    assert caught.value.current.version == 2
    assert Summary.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_beats_at_once_produce_one_summary(people, frozen):
    """Two workers run the job at the same moment, each on its own connection."""
    barrier = threading.Barrier(2)
    results, errors = [], []

    def beat():
        try:
            barrier.wait(timeout=10)
            results.append(ensure_summary(Kind.MONTH, CUT_OFF, actor=SYSTEM)[1])
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=beat) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert sorted(results) == [False, True]
    assert Summary.objects.filter(kind=Kind.MONTH, cut_off=CUT_OFF).count() == 1


def test_the_unique_constraints_are_the_last_line_of_defence(scenario):
    summary = produce_summary(Kind.MONTH, CUT_OFF, actor=SYSTEM)
    for version, current in ((1, False), (2, True)):
        with pytest.raises(IntegrityError), transaction.atomic():
            Summary.objects.create(
                kind=Kind.MONTH,
                period_start=START,
                cut_off=CUT_OFF,
                version=version,
                produced_at=summary.produced_at,
                is_current=current,
                data={},
            )
    assert Summary.objects.count() == 1


# --- Permissions and bad input ------------------------------------------------------------------------


def test_jobs_produce_as_the_system_and_nobody_produces_without_an_actor(scenario):
    # The beat's job and the simulation act as SYSTEM, recorded as produced by no one.
    summary = produce_summary(Kind.MONTH, CUT_OFF, actor=SYSTEM)
    assert summary.produced_by is None
    for actor in (None, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            produce_summary(Kind.MONTH, CUT_OFF, actor=actor, again=True, based_on=1)
        with pytest.raises(PermissionDenied):
            ensure_summary(Kind.QUARTER, D(2026, 9, 14), actor=actor)
    inactive = scenario.people["office"]
    inactive.is_active = False
    with pytest.raises(PermissionDenied):
        produce_summary(Kind.MONTH, CUT_OFF, actor=inactive, again=True, based_on=1)
    assert list(Summary.objects.values_list("version", flat=True)) == [1]


@pytest.mark.parametrize("role", ["leader", "lead_officer", "unrelated_officer"])
def test_only_the_office_produces(scenario, role):
    user = scenario.people[role]
    with pytest.raises(PermissionDenied):
        produce_summary(Kind.MONTH, CUT_OFF, actor=user)
    produce_summary(Kind.MONTH, CUT_OFF, actor=scenario.people["admin"])
    with pytest.raises(PermissionDenied):
        produce_summary(Kind.MONTH, CUT_OFF, actor=user, again=True, based_on=1)
    assert Summary.objects.count() == 1


@pytest.mark.parametrize(
    ("kind", "cut_off", "message"),
    [
        (Kind.MONTH, NOW.date(), "Ngày chốt số liệu 22/11/2026 chưa qua"),
        (Kind.MONTH, D(2027, 1, 14), "Ngày chốt số liệu 14/01/2027 chưa qua"),
        (Kind.MONTH, D(1999, 12, 14), "quá xa"),
        ("fortnight", CUT_OFF, "Loại báo cáo “fortnight” không hợp lệ"),
        (Kind.MONTH, "14/11/2026", "Ngày chốt số liệu không hợp lệ"),
    ],
)
def test_bad_input_is_refused_with_a_vietnamese_message(scenario, kind, cut_off, message):
    with pytest.raises(SummaryError) as caught:
        produce_summary(kind, cut_off, actor=scenario.people["office"])
    assert message in caught.value.messages[0]
    assert not Summary.objects.exists()


def test_a_summary_for_any_past_date(scenario):
    summary = produce_summary(Kind.MONTH, D(2026, 11, 20), actor=scenario.people["office"])
    assert summary.period_start == D(2026, 11, 15) and not summary.data["complete"]
    assert summary.data["label"] == "Tháng 12/2026"
    assert summary.data["previous"]["cut_off"] == "2026-11-14"
    # L was assigned on 20/11: it counts as of that day.
    assert scenario["L"].pk in summary.drill["agency"]["SKHDT"]["in_progress"]
    quarter = produce_summary(Kind.QUARTER, CUT_OFF, actor=scenario.people["office"])
    assert quarter.period_start == D(2026, 9, 15) and quarter.data["label"] == "Quý IV/2026"
    assert scenario["D"].pk in quarter.drill["list"]["became_overdue"]  # 02/10 is in the quarter


# --- The beat ---------------------------------------------------------------------------------------------


def test_the_beat_job_produces_what_is_missing_once(scenario):
    due = jobs.due_summaries(TODAY)
    first = Assignment.objects.aggregate(first=Min("assigned_on"))["first"]
    assert due[0] == (Kind.MONTH, period_containing(Kind.MONTH, first).end)  # from the first data
    assert due[-1] == (Kind.MONTH, CUT_OFF)
    # Every quarter, 6-month, 9-month and year report of the history is due, not only the months.
    assert {kind for kind, _cut_off in due} == set(Kind)
    # The first run: the latest cut-off, then the oldest missing ones, a bounded number per run.
    assert jobs.produce_due_summaries(NOW) == 1 + min(jobs.BACKFILL_PER_RUN, len(due) - 1)
    assert Summary.objects.filter(kind=Kind.MONTH, cut_off=CUT_OFF, produced_by=None).exists()
    assert Summary.objects.filter(cut_off=due[0][1]).exists()
    # Hourly runs go on where it stopped, until everything exists; then nothing more to do.
    runs = 1
    while jobs.produce_due_summaries(NOW):
        runs += 1
    assert runs == 1 + -(-(len(due) - 1 - jobs.BACKFILL_PER_RUN) // jobs.BACKFILL_PER_RUN)
    assert set(Summary.objects.values_list("kind", "cut_off")) == set(due)
    assert Summary.objects.count() == len(due)
    # On the cut-off day itself, that day's summary is not due yet.
    with at(D(2026, 12, 14), 23):
        assert jobs.produce_due_summaries(datetime.datetime(2026, 12, 14, 23, tzinfo=VN)) == 0
    # The day after the December cut-off: the month, the quarter and the year.
    with at(D(2026, 12, 15), 0):
        assert jobs.produce_due_summaries(datetime.datetime(2026, 12, 15, 0, 5, tzinfo=VN)) == 3
    assert set(Summary.objects.filter(cut_off=D(2026, 12, 14)).values_list("kind", flat=True)) == {
        Kind.MONTH,
        Kind.QUARTER,
        Kind.YEAR,
    }


def test_the_backfill_starts_with_the_first_data(scenario):
    """Nothing before the reporting month of the first assignment; nothing at all before any data."""
    first = Assignment.objects.aggregate(first=Min("assigned_on"))["first"]
    earlier = [c for _k, c in jobs.due_summaries(TODAY) if c < period_containing(Kind.MONTH, first).end]
    assert earlier == []
    assert jobs.due_summaries(first) == []  # its own cut-off is not over yet
    before = datetime.datetime.combine(first, datetime.time(9), tzinfo=VN)
    assert jobs.produce_due_summaries(before) == 0
    assert not Summary.objects.exists()


def test_beat_schedules_the_job_every_hour(settings):
    from camau_tasks.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["summaries-produce"]
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks and entry["schedule"] == 3600


def test_the_celery_task_runs_the_job(scenario):
    result = produce_due_summaries_task.apply()
    due = jobs.due_summaries(TODAY)
    assert result.successful() and result.get() == 1 + min(jobs.BACKFILL_PER_RUN, len(due) - 1)
    assert Summary.objects.filter(kind=Kind.MONTH, cut_off=CUT_OFF).exists()


def test_demo_summaries_are_idempotent(scenario):
    produced = produce_demo_summaries()
    # 11 months of 2026 up to 14/11, and quarter III.
    assert produced == 12
    assert produce_demo_summaries() == 0
    months = list(Summary.objects.filter(kind=Kind.MONTH).order_by("cut_off"))
    assert [s.cut_off.month for s in months] == list(range(1, 12))
    assert months[-1].data["previous"]["source"] == "summary"
    assert len(months[-1].data["trend"]) == 11
    assert Summary.objects.get(kind=Kind.QUARTER).cut_off == D(2026, 9, 14)
