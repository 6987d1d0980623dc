"""`manage.py remind`: run the reminder jobs now, or show what they would do (--dry-run)."""

import datetime
from collections import Counter, defaultdict

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count
from django.utils import timezone

from accounts.models import User
from core.dates import format_day
from core.inputs import check_day
from directives.models import Agency, Assignment
from reminders import jobs, planning, services, texts
from reminders.calendar import WorkingCalendar
from reminders.models import DigestOutbox, Notification, ReminderPolicy, ScanState

WEEKDAYS = ["thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật"]
KIND_LABELS = {
    "before": "sắp đến hạn",
    "due": "đến hạn",
    "overdue": "quá hạn",
    "escalation": "báo cáo lãnh đạo",
    "no_report": "lâu chưa báo cáo",
}


def parse_day(text: str) -> datetime.date:
    try:
        day = datetime.datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        raise CommandError(
            f"Ngày “{text}” không hợp lệ: nhập theo dạng dd/mm/yyyy, ví dụ 23/11/2026."
        ) from None
    try:
        check_day(day, text)
    except ValidationError as error:
        raise CommandError(" ".join(error.messages)) from None
    return day


class Command(BaseCommand):
    help = (
        "Chạy rà soát nhắc việc và gửi thư tổng hợp ngay. Với --dry-run: chỉ in ra những nhắc việc "
        "và thư sẽ tạo, gửi hôm nay (hoặc ngày --date), không ghi và không gửi gì."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Chạy thử: không ghi, không gửi gì.")
        parser.add_argument(
            "--date", help="Ngày cần xem (dd/mm/yyyy), chỉ dùng với --dry-run. Mặc định: hôm nay."
        )
        parser.add_argument(
            "--limit",
            type=int,
            default=200,
            help="Số dòng chi tiết tối đa được in (0: in hết). Mặc định 200.",
        )

    def handle(self, *args, dry_run=False, date=None, limit=200, **options):
        if limit < 0:
            raise CommandError("--limit phải là số không âm.")
        if date and not dry_run:
            raise CommandError("--date chỉ dùng cùng --dry-run: nhắc việc thật luôn tính theo hôm nay.")
        if not dry_run:
            now = timezone.now()
            created = jobs.scan_and_create_reminders(now)
            sent = jobs.send_due_digests(now)
            self.stdout.write(f"Đã tạo {created} nhắc việc và gửi {sent} thư tổng hợp.")
            return
        self.dry_run(parse_day(date) if date else None, limit)

    def dry_run(self, day: datetime.date | None, limit: int) -> None:
        out = self.stdout.write
        now = timezone.now()
        today = day or timezone.localdate(now)
        if day:
            now = timezone.make_aware(datetime.datetime.combine(day, timezone.localtime(now).time()))
        cal = WorkingCalendar.load()
        policy = ReminderPolicy.current()
        state = ScanState.objects.filter(pk=1).first()
        window_start = today if day else planning.window_start_for(today, state and state.last_completed_on)
        the_plan = planning.plan(today, cal, policy, window_start=window_start)

        out(f"CHẠY THỬ: không ghi, không gửi gì. Ngày {format_day(today)} ({WEEKDAYS[today.weekday()]}).")
        if not the_plan.working_day:
            reason = cal.holiday_name(today) or "ngày nghỉ"
            out(f"Đây là ngày nghỉ ({reason}): không nhắc việc; ngày làm việc kế tiếp sẽ nhắc bù.")
            next_day = cal.next_working_day(today, strictly_after=True)
            out(f"Ngày làm việc kế tiếp: {format_day(next_day)} ({WEEKDAYS[next_day.weekday()]}).")
        else:
            if window_start < today:
                out(
                    f"Nhắc bù cho các ngày chưa rà soát: từ {format_day(window_start)} đến {format_day(today)}."
                )
            self._print_reminders(the_plan, limit)
            self._print_digests(the_plan, today, now, cal, policy)

    def _print_reminders(self, the_plan, limit: int) -> None:
        out = self.stdout.write
        counts = Counter(p.notice.kind for p in the_plan.reminders)
        detail = ", ".join(f"{counts[kind]} {label}" for kind, label in KIND_LABELS.items() if counts[kind])
        out(f"Sẽ tạo {len(the_plan.reminders)} nhắc việc" + (f": {detail}." if detail else "."))
        shown = the_plan.reminders if limit == 0 else the_plan.reminders[:limit]
        assignments = Assignment.objects.select_related("task__directive", "agency").in_bulk(
            [p.assignment_id for p in shown]
        )
        for planned in shown:
            a = assignments[planned.assignment_id]
            n = planned.notice
            text = texts.describe(n.kind, n.step, n.due_date, n.days, n.is_occurrence)
            number = a.task.directive.number or a.task.directive.reference
            out(f"  [{a.agency.short_name}] {text} — {number} · {a.task.clause_display}: {a.task.text[:90]}")
        if len(shown) < len(the_plan.reminders):
            out(f"  … và {len(the_plan.reminders) - len(shown)} nhắc việc khác (dùng --limit 0 để in hết).")

    def _print_digests(self, the_plan, today, now, cal, policy) -> None:
        out = self.stdout.write
        routing = services.route(the_plan)
        new_lines = Counter(target for target, _index in routing.lines)
        waiting = Counter()
        for agency_id, user_id, lines in (
            DigestOutbox.objects.filter(sent_at__isnull=True, day__lte=today)
            .values_list("agency_id", "user_id")
            .annotate(n=Count("lines"))
        ):
            waiting[("agency", agency_id) if agency_id else ("user", user_id)] += lines
        targets = sorted(set(new_lines) | set(waiting))
        send_at = services.local_datetime(today, policy.digest_time)
        out(
            f"Sẽ gửi {len(targets)} thư tổng hợp (mỗi cơ quan, mỗi người một thư) từ {send_at:%H:%M} "
            f"ngày {format_day(today)}"
            + ("." if policy.send_email else ", nhưng việc gửi thư điện tử đang TẮT trong quy tắc nhắc việc.")
        )
        agencies = Agency.objects.in_bulk([pk for kind, pk in targets if kind == "agency"])
        people = defaultdict(list)
        for user in User.objects.filter(is_active=True).filter(
            agency_id__in=[pk for kind, pk in targets if kind == "agency"]
        ):
            people[("agency", user.agency_id)].append(user)
        for user in User.objects.filter(
            pk__in=[pk for kind, pk in targets if kind == "user"], is_active=True
        ):
            people[("user", user.pk)].append(user)
        for target in targets:
            name = agencies[target[1]].short_name if target[0] == "agency" else _person(people[target])
            addresses = [u.email for u in people[target] if u.email]
            skipped = [u.username for u in people[target] if not u.email]
            line = f"  {name}: {new_lines[target]} dòng mới"
            if waiting[target]:
                line += f", {waiting[target]} dòng đang chờ gửi"
            line += f" → {', '.join(addresses)}" if addresses else " → KHÔNG có địa chỉ thư điện tử nào"
            if skipped:
                line += f" (bỏ qua người chưa có thư điện tử: {', '.join(skipped)})"
            out(line)
        unread = Notification.objects.filter(read_at__isnull=True).count()
        out(
            f"Thông báo trên hệ thống: {len(routing.notifications)} thông báo mới; hiện có {unread} chưa đọc."
        )


def _person(users) -> str:
    return str(users[0]) if users else "(người dùng không còn hoạt động)"
