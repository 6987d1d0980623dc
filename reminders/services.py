"""Every write of the reminders app: the scan, the outbox sender, the bell, the office's calendar.

Tests build their data through these functions, as the jobs and views do.
"""

import contextlib
import dataclasses
import datetime
import hashlib
import logging
import time
import uuid
from collections import defaultdict
from email.utils import parseaddr

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import (
    DatabaseError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    connection,
    connections,
    transaction,
)
from django.db.models import F, Max, Min, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.dates import format_day
from directives.models import Assignment, Task

from . import planning, rules, texts
from .calendar import WorkingCalendar
from .models import (
    DigestLine,
    DigestOutbox,
    Notification,
    OfficeDay,
    Reminder,
    ReminderPolicy,
    ScanState,
)

logger = logging.getLogger("camau.reminders")

BATCH = 1000
# Assignment ids planned and written per transaction by the scan (run_scan).
SCAN_BATCH = 50_000
SEND_BATCH = 200
# A readable e-mail lists the most urgent lines; the rest are counted and wait under the bell.
MAX_EMAIL_LINES = 200
OFFICE_ROLES = (User.Role.OFFICE, User.Role.ADMIN)
LEVEL_PRIORITY = {Notification.Level.LEAD: 0, Notification.Level.ESCALATION: 1, Notification.Level.SUPPORT: 2}


def _chunks(items: list, size: int = 500):
    for index in range(0, len(items), size):
        yield items[index : index + size]


def local_datetime(day: datetime.date, at: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, at))


# The office's settings ---------------------------------------------------------------------


def set_office_day(day: datetime.date, kind: str, note: str = "") -> OfficeDay:
    """Add or change a day the office takes off or works (make-up Saturday)."""
    if kind not in OfficeDay.Kind.values:
        raise ValidationError(_("Loại ngày không hợp lệ."))
    office_day, _created = OfficeDay.objects.update_or_create(day=day, defaults={"kind": kind, "note": note})
    return office_day


def update_policy(**values) -> ReminderPolicy:
    """Change the office's rules; refuses bad values with a Vietnamese message and saves nothing."""
    with transaction.atomic():
        policy = ReminderPolicy.objects.select_for_update().filter(pk=1).first() or ReminderPolicy(pk=1)
        for name, value in values.items():
            setattr(policy, name, value)
        policy.full_clean()
        policy.save()
    return policy


# The scan ------------------------------------------------------------------------------------


def _ensure_scan_state() -> None:
    try:
        with transaction.atomic():
            ScanState.objects.get_or_create(pk=1)
    except IntegrityError:  # another scan created it at the same moment
        pass


def run_scan(now: datetime.datetime, batch: int | None = None) -> int:
    """Decide and store today's reminders, their notifications and digest lines. Returns how many.

    1. read the window under a lock on the one ScanState row: a clock set back behind the last
       completed scan, or a day off, decides nothing;
    2. plan and write batch by batch, each a range of `SCAN_BATCH` assignment ids in its own
       transaction that locks the ScanState row again (two scans never decide at once) and writes
       reminders, notifications and digest lines together (outbox);
    3. only then move the window: the next run covers what comes after today.
    A scan stopped between two batches (a killed worker, a lost database) leaves whole batches
    behind it; the next run has the same window, finds the notices of the finished batches
    already stored (planning leaves out what was told since the window began) and does the rest,
    so nothing is lost and nothing is told twice. The unique key of Reminder is the last line of
    defence: a duplicate rolls its batch back. No transaction holds all the rows, and memory holds
    one batch.

    A clock set back behind the last completed scan decides nothing and never moves the window
    back: the days up to `last_completed_on` are done, and a window reopened over them would
    count their notices as already told and hide the genuine ones of the days after.
    """
    today = timezone.localdate(now)
    batch = batch or SCAN_BATCH
    _ensure_scan_state()
    with transaction.atomic():
        state = ScanState.objects.select_for_update().get(pk=1)
        last_completed_on = state.last_completed_on
        policy, cal = ReminderPolicy.current(), WorkingCalendar.load()
        decide = _may_decide(state, today, cal)
        if not decide:
            state.last_run_at, state.last_created = now, 0
            state.save(update_fields=["last_run_at", "last_created"])
    if not decide:
        return 0
    created, earliest = 0, planning.earliest_deadline()
    for low, high in _id_ranges(batch):
        with transaction.atomic():
            ScanState.objects.select_for_update().get(pk=1)
            the_plan = planning.plan(
                today,
                cal,
                policy,
                last_completed_on=last_completed_on,
                assignments=Assignment.objects.filter(pk__gte=low, pk__lt=high),
                earliest=earliest,
            )
            created += _write(the_plan, now, policy, cal)
    with transaction.atomic():
        state = ScanState.objects.select_for_update().get(pk=1)
        state.last_completed_on = max(today, state.last_completed_on or today)
        state.last_run_at, state.last_created = now, created
        state.save()
    if created:
        logger.info("reminders: %s created for %s", created, today)
    return created


def _may_decide(state, today: datetime.date, cal: WorkingCalendar) -> bool:
    """Whether a scan on `today` decides anything: not on a day off (the next working day catches
    up), not with a clock behind the last completed scan."""
    if state.last_completed_on and today < state.last_completed_on:
        logger.warning(
            "reminders: the clock (%s) is behind the last completed scan (%s); nothing decided",
            today,
            state.last_completed_on,
        )
        return False
    return cal.is_working_day(today)


def _id_ranges(size: int):
    """[low, high) ranges of assignment ids covering every assignment, `size` ids each."""
    bounds = Assignment.objects.aggregate(low=Min("id"), high=Max("id"))
    if bounds["low"] is None:
        return
    for low in range(bounds["low"], bounds["high"] + 1, size):
        yield low, low + size


def _recipients_by_kind(planned, supporters, office_users):
    """(agency targets, user targets) for one planned reminder, with the level of each."""
    notice = planned.notice
    agencies, users = [], []
    if notice.kind == rules.ESCALATION:
        people = set(office_users)
        if planned.leader_id:
            people.add(planned.leader_id)
        users = [(user_id, Notification.Level.ESCALATION) for user_id in sorted(people)]
        return agencies, users
    agencies.append((planned.agency_id, Notification.Level.LEAD))
    if notice.for_supporters:
        agencies += [
            (agency_id, Notification.Level.SUPPORT)
            for agency_id in sorted(supporters.get(planned.task_id, ()))
            if agency_id != planned.agency_id
        ]
    return agencies, users


@dataclasses.dataclass
class Routing:
    """Who is told about each planned reminder (by its index in the plan)."""

    notifications: dict[tuple[int, int], str]  # (user id, index) → level
    lines: dict[tuple[tuple[str, int], int], str]  # ((“agency”|“user”, id), index) → level


def route(the_plan) -> Routing:
    """The people (bell) and digests (e-mail) of each planned reminder. Two queries."""
    supporters = defaultdict(set)
    support_tasks = sorted({p.task_id for p in the_plan.reminders if p.notice.for_supporters})
    for chunk in _chunks(support_tasks):
        for task_id, agency_id in Task.supporting_agencies.through.objects.filter(
            task_id__in=chunk
        ).values_list("task_id", "agency_id"):
            supporters[task_id].add(agency_id)
    users_by_agency = defaultdict(list)
    office_users, active = [], set()
    for user_id, agency_id, role in User.objects.filter(is_active=True).values_list(
        "id", "agency_id", "role"
    ):
        active.add(user_id)
        if agency_id:
            users_by_agency[agency_id].append(user_id)
        if role in OFFICE_ROLES:
            office_users.append(user_id)
    routing = Routing({}, {})
    for index, planned in enumerate(the_plan.reminders):
        agency_targets, user_targets = _recipients_by_kind(planned, supporters, office_users)
        for agency_id, level in agency_targets:
            routing.lines.setdefault((("agency", agency_id), index), level)
            for user_id in users_by_agency.get(agency_id, ()):
                _keep_most_direct(routing.notifications, (user_id, index), level)
        for user_id, level in user_targets:
            if user_id in active:
                routing.lines.setdefault((("user", user_id), index), level)
                _keep_most_direct(routing.notifications, (user_id, index), level)
    return routing


def _write(the_plan, now, policy, cal) -> int:
    if not the_plan.reminders:
        return 0
    reminders = Reminder.objects.bulk_create(
        [
            Reminder(
                assignment_id=p.assignment_id,
                agency_id=p.agency_id,
                kind=p.notice.kind,
                step=p.notice.step,
                due_date=p.notice.due_date,
                fire_on=p.notice.fire_on,
                days=p.notice.days,
                is_occurrence=p.notice.is_occurrence,
                created_at=now,
            )
            for p in the_plan.reminders
        ],
        batch_size=BATCH,
    )
    routing = route(the_plan)
    created_at = Notification._meta.get_field("created_at").get_db_prep_save(now, connection)
    _insert_rows(
        Notification,
        ("user", "reminder", "level", "created_at"),
        [
            (user_id, reminders[index].pk, level, created_at)
            for (user_id, index), level in routing.notifications.items()
        ],
    )
    digests = _open_digests({target for target, _index in routing.lines}, the_plan.today, policy, cal)
    _insert_rows(
        DigestLine,
        ("digest", "reminder", "level"),
        [(digests[target], reminders[index].pk, level) for (target, index), level in routing.lines.items()],
    )
    return len(reminders)


def _insert_rows(model, fields: tuple[str, ...], rows: list[tuple]) -> None:
    """INSERT plain rows (ids, texts, a prepared timestamp) in multi-row statements, without making a
    model instance of each: the ORM's bulk_create spent most of a large scan in Model.__init__ and
    per-field preparation (notifications and digest lines are three in four of the rows written)."""
    if not rows:
        return
    ops = connection.ops
    table = ops.quote_name(model._meta.db_table)
    columns = ", ".join(ops.quote_name(model._meta.get_field(name).column) for name in fields)
    placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
    with connection.cursor() as cursor:
        for chunk in _chunks(rows, BATCH):
            values = ", ".join([placeholders] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {values}",  # table and columns: the models own
                [value for row in chunk for value in row],
            )


def _keep_most_direct(notifications: dict, key: tuple, level: str) -> None:
    current = notifications.get(key)
    if current is None or LEVEL_PRIORITY[level] < LEVEL_PRIORITY[current]:
        notifications[key] = level


def _open_digests(targets: set[tuple[str, int]], today, policy, cal) -> dict[tuple[str, int], int]:
    """The digest each target's new lines go into: today's, unless a sender has already claimed
    or sent it, then the next working day's. Rows are locked so a sender cannot claim one while
    lines are being added to it."""
    agency_ids = sorted(pk for kind, pk in targets if kind == "agency")
    user_ids = sorted(pk for kind, pk in targets if kind == "user")
    next_day = cal.next_working_day(today, strictly_after=True)
    rows = (
        DigestOutbox.objects.select_for_update()
        .filter(day__gte=today, day__lte=next_day)
        .filter(Q(agency_id__in=agency_ids) | Q(user_id__in=user_ids))
        .values_list("id", "agency_id", "user_id", "day", "claimed_at", "sent_at")
    )
    existing = {}
    for pk, agency_id, user_id, day, claimed_at, sent_at in rows:
        target = ("agency", agency_id) if agency_id else ("user", user_id)
        existing[(target, day)] = (pk, claimed_at is None and sent_at is None)
    chosen, to_create = {}, []
    for target in sorted(targets):
        for day in (today, next_day):
            found = existing.get((target, day))
            if found is None:
                to_create.append((target, day))
                break
            if found[1]:
                chosen[target] = found[0]
                break
        else:  # both closed: cannot happen before the next day's send time; keep the line anyway
            to_create.append((target, cal.next_working_day(next_day, strictly_after=True)))
    created = DigestOutbox.objects.bulk_create(
        [
            DigestOutbox(
                agency_id=target[1] if target[0] == "agency" else None,
                user_id=target[1] if target[0] == "user" else None,
                day=day,
                send_after=local_datetime(day, policy.digest_time),
            )
            for target, day in to_create
        ],
        batch_size=BATCH,
    )
    for (target, _day), digest in zip(to_create, created, strict=True):
        chosen[target] = digest.pk
    return chosen


# The sender ----------------------------------------------------------------------------------

# Pauses (seconds) between the tries of the UPDATE that records a send: a PostgreSQL restart takes
# a few seconds, and every try given up on is an e-mail sent twice after the claim times out.
RECORD_RETRY_PAUSES = (0.5, 1, 2, 4, 8)


def claim_timeout() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.REMINDER_CLAIM_TIMEOUT)


def _clock(now: datetime.datetime) -> datetime.datetime:
    """The time a claim, a renewal or a send is made: the real clock, never before the `now` the
    batch was asked to act at (tests ask for a `now` ahead of their frozen clock)."""
    return max(now, timezone.now())


def _claimable(now: datetime.datetime) -> Q:
    return Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - claim_timeout())


def due_digest_ids(now: datetime.datetime, limit: int = SEND_BATCH) -> list[int]:
    return list(
        DigestOutbox.objects.filter(sent_at__isnull=True, send_after__lte=now)
        .filter(_claimable(now))
        .order_by("send_after", "id")
        .values_list("id", flat=True)[:limit]
    )


def claim_digest(digest_id: int, now: datetime.datetime) -> str | None:
    """Take a digest for sending: one conditional UPDATE, so only one sender can win it.

    The claim carries the time it is made, not the batch's start: a batch that has run longer
    than the timeout must not hand out claims that already look abandoned. A claim older than
    the timeout belongs to a sender that died; it is taken over."""
    token = uuid.uuid4().hex
    claimed_at = _clock(now)
    won = (
        DigestOutbox.objects.filter(pk=digest_id, sent_at__isnull=True)
        .filter(_claimable(claimed_at))
        .update(claimed_at=claimed_at, claimed_by=token, attempts=F("attempts") + 1)
    )
    return token if won else None


def _renew_claim(digest_id: int, token: str, now: datetime.datetime) -> bool:
    """Refresh our claim just before the message goes out; False when another sender has it."""
    return bool(
        DigestOutbox.objects.filter(pk=digest_id, claimed_by=token, sent_at__isnull=True).update(
            claimed_at=_clock(now)
        )
    )


def message_id(digest: DigestOutbox) -> str:
    """The Message-ID of a digest: the same for every send of it (its recipient and day), so a
    resend after a crash between the mail server's acceptance and our record of it is recognised
    as the same message by mail systems. The site's address is in it (hashed) so that a test
    server's digest is never taken for production's."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        domain = "localhost"
    target = f"agency-{digest.agency_id}" if digest.agency_id else f"user-{digest.user_id}"
    site = hashlib.sha256(settings.SITE_URL.encode()).hexdigest()[:10]
    return f"<nhacviec.{digest.day:%Y%m%d}.{target}.{site}@{domain}>"


def _record_send(digest_id: int, token: str, **values) -> bool:
    """The UPDATE that records a digest as sent, conditional on our claim.

    The e-mail is already with the mail server, so a lost database connection must not lose the
    record: reconnect (close the broken connection; the next query opens a new one) and retry
    with a short backoff. A retry may find that the first try did commit (the connection broke
    on the way back): sent by us, then. Inside a transaction a reconnect is impossible: raise."""
    rows = DigestOutbox.objects.filter(pk=digest_id, claimed_by=token)
    connection = connections[rows.db]
    for attempt, pause in enumerate((*RECORD_RETRY_PAUSES, None)):
        try:
            if rows.filter(sent_at__isnull=True).update(**values):
                return True
            return attempt > 0 and rows.filter(sent_at__isnull=False).exists()
        except (OperationalError, InterfaceError) as error:
            if pause is None or connection.in_atomic_block:
                raise
            logger.warning(
                "reminders: digest %s sent but not yet recorded (%s); reconnecting in %ss",
                digest_id,
                str(error).strip(),
                pause,
            )
            with contextlib.suppress(DatabaseError):
                connection.close()
            time.sleep(pause)
    raise AssertionError("unreachable")  # the last pause is None: the loop returns or raises


def send_digest(digest_id: int, token: str, now: datetime.datetime) -> bool:
    """Send one claimed digest; True when an e-mail went out. The claim is released on failure.

    1. read the digest and decide its outcome and message while nothing is sent yet;
    2. renew the claim (a conditional UPDATE on our token): another sender that took it over
       keeps it, and ours is fresh for the send;
    3. send over a connection opened beforehand, record the send, and only then close the
       connection (QUIT), so the window between the mail server's acceptance and our record is
       one UPDATE, retried after reconnecting if the database went away.
    """
    digest = DigestOutbox.objects.select_related("agency", "user").get(pk=digest_id)
    if digest.claimed_by != token or digest.sent_at is not None:
        logger.warning("reminders: digest %s was taken over by another sender; not sending it", digest_id)
        return False
    lines = list(
        digest.lines.select_related("reminder__assignment__task__directive", "reminder__agency").order_by(
            "reminder__due_date", "reminder_id"
        )
    )
    # Work that was completed, proposed, paused or cancelled since the scan is not urged any more.
    live = [line for line in lines if line.reminder.assignment.state == Assignment.State.OPEN]
    if digest.agency_id:
        people = list(User.objects.filter(agency_id=digest.agency_id, is_active=True).order_by("username"))
    else:
        people = [digest.user] if digest.user.is_active else []
    addresses = [person.email for person in people if person.email]
    skipped = [person.username for person in people if not person.email]
    policy = ReminderPolicy.current()
    if not policy.send_email:
        outcome = DigestOutbox.Outcome.DISABLED
    elif not live:
        outcome = DigestOutbox.Outcome.NOTHING_LEFT
    elif not addresses:
        outcome = DigestOutbox.Outcome.NO_RECIPIENTS
    else:
        outcome = DigestOutbox.Outcome.SENT
    if skipped:
        logger.info("reminders: digest %s: users without e-mail skipped: %s", digest_id, ", ".join(skipped))
    sent = outcome == DigestOutbox.Outcome.SENT
    record = {
        "outcome": outcome,
        "recipients": addresses if sent else [],
        "skipped": skipped,
        "line_count": len(live) if sent else 0,
    }
    if not sent:  # nothing goes out: the record is all there is
        _mark(digest_id, token, sent_at=_clock(now), **record)
        return False
    message = _message(digest, live, addresses)
    if not _renew_claim(digest_id, token, now):
        logger.warning("reminders: digest %s was taken over by another sender; not sending it", digest_id)
        return False
    mail_server = get_connection()
    try:
        try:
            mail_server.open()
            mail_server.send_messages([message])
        except Exception as error:  # SMTP down, refused…: release the claim and retry later
            backoff = datetime.timedelta(minutes=min(60, 2 ** min(digest.attempts, 6)))
            DigestOutbox.objects.filter(pk=digest_id, claimed_by=token).update(
                claimed_at=None, claimed_by="", send_after=_clock(now) + backoff, last_error=str(error)[:2000]
            )
            logger.warning("reminders: digest %s not sent: %s", digest_id, error)
            return False
        _mark(digest_id, token, sent_at=_clock(now), **record)
    finally:
        try:
            mail_server.close()
        except Exception as error:  # the message is accepted and recorded; a failed QUIT changes nothing
            logger.warning("reminders: digest %s: closing the mail connection failed: %s", digest_id, error)
    return True


def _mark(digest_id: int, token: str, **values) -> bool:
    if _record_send(digest_id, token, **values):
        return True
    logger.error("reminders: digest %s was taken over by another sender while this one sent it", digest_id)
    return False


def _message(digest, lines, addresses) -> EmailMessage:
    recipient = digest.agency.name if digest.agency_id else str(digest.user)
    sections, room = [], MAX_EMAIL_LINES
    for kind, title in texts.SECTION_ORDER:
        items = [
            {
                "line": line,
                "text": texts.describe_reminder(line.reminder, line.level),
                "url": settings.SITE_URL.rstrip("/") + line.reminder.assignment.task.get_absolute_url(),
            }
            for line in [line for line in lines if line.reminder.kind == kind][:room]
        ]
        room -= len(items)
        if items:
            sections.append({"title": title, "items": items})
    context = {
        "recipient": recipient,
        "day": digest.day,
        "count": len(lines),
        "sections": sections,
        "not_listed": len(lines) - (MAX_EMAIL_LINES - room),
        "site_url": settings.SITE_URL.rstrip("/"),
    }
    subject = _("[Nhắc việc] %(recipient)s: %(count)s nhiệm vụ cần chú ý ngày %(day)s") % {
        "recipient": digest.agency.short_name if digest.agency_id else recipient,
        "count": len(lines),
        "day": format_day(digest.day),
    }
    body = render_to_string("reminders/digest_email.txt", context)
    return EmailMessage(
        subject, body, settings.DEFAULT_FROM_EMAIL, addresses, headers={"Message-ID": message_id(digest)}
    )


def send_due_digests(now: datetime.datetime) -> int:
    """Claim and send every digest whose time has come. Returns how many e-mails went out."""
    sent = 0
    for digest_id in due_digest_ids(now):
        token = claim_digest(digest_id, now)
        if token and send_digest(digest_id, token, now):
            sent += 1
    return sent


# The bell --------------------------------------------------------------------------------------


def mark_read(user, notification_id: int, now: datetime.datetime | None = None) -> Notification:
    """Mark one of the user's own notifications read; another user's is a 404 (Http404)."""
    from django.shortcuts import get_object_or_404

    notification = get_object_or_404(Notification, pk=notification_id, user=user)
    if notification.read_at is None:
        notification.read_at = now or timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(user, now: datetime.datetime | None = None) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=now or timezone.now())
