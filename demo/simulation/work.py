"""A clearly labelled, seeded, repeatable simulated history for the demo and for load work.

The real documents say what was assigned, never how the work went. So that the dashboard has
something to show, this module writes progress reports, completions (on time and late),
extensions and still-overdue work on the real 2023 assignments, plus a small set of current
simulated tasks with deadlines around today. Every row it writes has is_simulated=True, and the
pages say so. `generate_load` adds N simulated tasks for speed measurements.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core.dates import format_day
from core.text import fold
from directives.models import Agency, Assignment, Directive, PriorityGroup, Task
from tracking.classification import refresh_deadlines
from tracking.models import Extension, ProgressReport, TaskEvent

CURRENT_REFERENCE = "MO-PHONG-HIEN-HANH"
LOAD_REFERENCE = "MO-PHONG-TAI-{index:04d}"
LOAD_TASKS_PER_DIRECTIVE = 1000

# Simulated portfolios of the Phó Chủ tịch: the documents do not say who follows which sector.
LEADERS = [
    ("pct_kinhte", "Phó Chủ tịch phụ trách khối Kinh tế (mô phỏng)"),
    ("pct_xaydung", "Phó Chủ tịch phụ trách khối Xây dựng, Tài nguyên (mô phỏng)"),
    ("pct_vanxa", "Phó Chủ tịch phụ trách khối Văn hóa – Xã hội (mô phỏng)"),
]
AREA_LEADER = {
    "C.1": "pct_kinhte", "C.3": "pct_kinhte", "C.4": "pct_kinhte",
    "C.5": "pct_xaydung", "C.6": "pct_xaydung",
    "C.2": "pct_vanxa", "C.7": "pct_vanxa", "C.8": "pct_vanxa",
}  # fmt: skip

CURRENT_TASK_TEXTS = [
    "Báo cáo tình hình giải ngân vốn đầu tư công, đề xuất điều chuyển vốn của các dự án chậm giải ngân",
    "Tham mưu Kế hoạch thực hiện các giải pháp nâng cao Chỉ số năng lực cạnh tranh cấp tỉnh (PCI)",
    "Rà soát, đề xuất tháo gỡ vướng mắc về bồi thường, giải phóng mặt bằng các công trình trọng điểm",
    "Báo cáo kết quả thực hiện Chương trình mục tiêu quốc gia xây dựng nông thôn mới",
    "Hoàn chỉnh hồ sơ thành lập cụm công nghiệp, trình Ủy ban nhân dân tỉnh",
    "Tổng hợp, báo cáo tình hình thu ngân sách nhà nước và dự kiến khả năng thu cả năm",
    "Kiểm tra, đôn đốc tiến độ các dự án điện gió đã được chấp thuận chủ trương đầu tư",
    "Tham mưu phương án sắp xếp, xử lý nhà, đất là tài sản công",
    "Báo cáo kết quả giải quyết thủ tục hành chính trên Hệ thống thông tin giải quyết thủ tục hành chính",
    "Xây dựng kế hoạch tổ chức Festival tôm và Diễn đàn kết nối sản phẩm OCOP",
    "Tổng hợp ý kiến góp ý dự thảo Nghị quyết của Hội đồng nhân dân tỉnh",
    "Báo cáo công tác phòng, chống thiên tai, sạt lở bờ sông, bờ biển",
    "Rà soát danh mục dự án kêu gọi đầu tư, cập nhật thông tin trên Cổng thông tin điện tử",
    "Báo cáo tiến độ triển khai Đề án 06 về phát triển ứng dụng dữ liệu dân cư, định danh điện tử",
    "Tham mưu tổ chức Hội nghị đối thoại doanh nghiệp, giải quyết kiến nghị của doanh nghiệp",
    "Báo cáo tình hình thực hiện chính sách bảo hiểm y tế, bảo hiểm xã hội",
]
REPORT_TEXTS = [
    "Đã ban hành văn bản triển khai, phân công cụ thể cho các phòng, đơn vị trực thuộc.",
    "Đang tổ chức thực hiện; đã hoàn thành phần lớn khối lượng theo kế hoạch.",
    "Đã tổ chức họp với các đơn vị phối hợp, thống nhất phương án thực hiện.",
    "Gặp khó khăn do chờ ý kiến của cơ quan Trung ương; tiếp tục theo dõi, đôn đốc.",
    "Đã dự thảo báo cáo, đang lấy ý kiến các sở, ngành liên quan.",
]


def _aware(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def already_simulated() -> bool:
    return Directive.objects.filter(reference=CURRENT_REFERENCE).exists()


def ensure_leaders() -> dict[str, User]:
    leaders = {}
    for username, name in LEADERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"role": User.Role.LEADER, "display_name": name, "position": "Phó Chủ tịch UBND tỉnh"},
        )
        if created:
            user.set_unusable_password()
            user.save()
        leaders[username] = user
    chairman = User.objects.filter(username="lanhdao").first()
    leaders["chairman"] = chairman or leaders["pct_kinhte"]
    return leaders


class _Writer:
    """Collects simulated rows and writes them with bulk_create."""

    def __init__(self):
        self.reports: list[ProgressReport] = []
        self.extensions: list[Extension] = []
        self.events: list[TaskEvent] = []

    def report(self, assignment, day, percent, text):
        self.reports.append(
            ProgressReport(
                assignment=assignment,
                agency_id=assignment.agency_id,
                reported_on=day,
                percent=percent,
                text=text,
                is_simulated=True,
            )
        )
        self.events.append(
            TaskEvent(
                task_id=assignment.task_id,
                assignment=assignment,
                at=_aware(day, 10),
                kind=TaskEvent.Kind.REPORT,
                summary=f"Báo cáo tiến độ {percent}%: {text}",
                after={"percent": percent},
                is_simulated=True,
            )
        )

    def extension(self, assignment, old, new, requested_on, decided_on, approved=True):
        status = Extension.Status.APPROVED if approved else Extension.Status.REJECTED
        self.extensions.append(
            Extension(
                assignment=assignment,
                requested_on=requested_on,
                reason="Cần thêm thời gian lấy ý kiến các đơn vị phối hợp.",
                old_deadline=old,
                new_deadline=new,
                status=status,
                decided_on=decided_on,
                is_simulated=True,
            )
        )
        self.events.append(
            TaskEvent(
                task_id=assignment.task_id,
                assignment=assignment,
                at=_aware(decided_on, 15),
                kind=TaskEvent.Kind.EXTENSION_DECIDED,
                summary=f"{'Đồng ý' if approved else 'Không đồng ý'} gia hạn đến {format_day(new)}.",
                before={"deadline": old.isoformat()},
                after={"deadline": new.isoformat()},
                is_simulated=True,
            )
        )

    def completed(self, assignment, day):
        assignment.state = Assignment.State.DONE
        assignment.completed_on = day
        assignment.percent = 100
        self.events.append(
            TaskEvent(
                task_id=assignment.task_id,
                assignment=assignment,
                at=_aware(day, 16),
                kind=TaskEvent.Kind.COMPLETED,
                summary=f"Văn phòng xác nhận hoàn thành ngày {format_day(day)}.",
                after={"completed_on": day.isoformat()},
                is_simulated=True,
            )
        )

    def flush(self):
        ProgressReport.objects.bulk_create(self.reports, batch_size=2000)
        Extension.objects.bulk_create(self.extensions, batch_size=2000)
        refresh_deadlines(Assignment.objects.filter(pk__in=[e.assignment_id for e in self.extensions]))
        TaskEvent.objects.bulk_create(self.events, batch_size=2000)
        self.__init__()


def _play(rng, writer, assignment, start, deadline, today):
    """Decide, at random but repeatably, how one assignment went, and record it."""
    start = min(start, today)
    roll = rng.random()
    if deadline is None:
        # Ongoing work: a few reports; some of it closed.
        horizon = min(today, start + datetime.timedelta(days=330))
        days = sorted(
            rng.sample(range(0, max((horizon - start).days, 1)), k=min(3, max((horizon - start).days, 1)))
        )
        percent = 0
        for offset in days[: rng.randint(1, 3)]:
            percent = min(95, percent + rng.randint(15, 40))
            writer.report(
                assignment, start + datetime.timedelta(days=offset), percent, rng.choice(REPORT_TEXTS)
            )
            assignment.percent, assignment.last_report_on = percent, start + datetime.timedelta(days=offset)
        if roll < 0.35 and horizon > start:
            writer.completed(assignment, horizon - datetime.timedelta(days=rng.randint(0, 20)))
        return
    span = max((deadline - start).days, 1)
    first = start + datetime.timedelta(days=rng.randint(0, span // 2))
    if first <= today:
        percent = rng.randint(20, 60)
        writer.report(assignment, first, percent, rng.choice(REPORT_TEXTS))
        assignment.percent, assignment.last_report_on = percent, first
    if roll < 0.50:  # done on time
        day = deadline - datetime.timedelta(days=rng.randint(0, min(10, span)))
        if day <= today:
            writer.completed(assignment, max(day, first))
    elif roll < 0.68:  # done late
        day = deadline + datetime.timedelta(days=rng.randint(1, 40))
        if day <= today:
            writer.completed(assignment, day)
    elif roll < 0.78:  # extended, then done within the extension (or still running)
        asked = deadline - datetime.timedelta(days=rng.randint(2, 6))
        if asked <= today:
            new = deadline + datetime.timedelta(days=rng.choice([15, 30, 45]))
            writer.extension(assignment, deadline, new, asked, asked + datetime.timedelta(days=2))
            done = new - datetime.timedelta(days=rng.randint(0, 10))
            if done <= today:
                writer.completed(assignment, done)
    elif roll < 0.80 and start < today:  # paused by decision
        assignment.state = Assignment.State.PAUSED
        assignment.paused_on = min(today, first + datetime.timedelta(days=5))
    # otherwise: still open, overdue once the deadline has passed


@transaction.atomic
def simulate_history(today: datetime.date | None = None, seed: int = 2023) -> dict[str, int]:
    """Simulate how the real 2023 work went, and add current simulated tasks. Runs once.

    1. leaders in charge of the real tasks, by task area (simulated portfolios);
    2. how the real assignments went;
    3. a small set of current tasks with deadlines around today;
    4. something for the office's review queue: proposed completions and extension requests.
    The steps draw from one seeded random generator in this order, so a seed always gives the same
    history."""
    if already_simulated():
        return {"skipped": 1}
    today = today or timezone.localdate()
    rng = random.Random(seed)
    leaders = ensure_leaders()
    writer = _Writer()
    _assign_leaders(leaders)
    real = _play_real_assignments(rng, writer, today)
    current = _current_tasks(rng, writer, leaders, today)
    _fill_review_queue(writer, current, today)
    return {"real_assignments": len(real), "current_tasks": len(current)}


def _assign_leaders(leaders: dict) -> None:
    areas = dict(
        Task.groups.through.objects.filter(prioritygroup__kind=PriorityGroup.Kind.TASK_AREA).values_list(
            "task_id", "prioritygroup__code"
        )
    )
    for task in Task.objects.filter(is_simulated=False, leader__isnull=True):
        task.leader = leaders[AREA_LEADER.get(areas.get(task.id), "chairman")]
        task.save(update_fields=["leader"])


def _play_real_assignments(rng, writer, today: datetime.date) -> list:
    real = list(
        Assignment.objects.filter(task__is_simulated=False).select_related("task__directive").order_by("id")
    )
    for assignment in real:
        start = assignment.assigned_on or assignment.task.directive.issue_date or datetime.date(2023, 1, 1)
        _play(rng, writer, assignment, start, assignment.task.deadline, today)
        assignment.is_simulated = True
    Assignment.objects.bulk_update(
        real,
        ["state", "completed_on", "paused_on", "percent", "last_report_on", "is_simulated"],
        batch_size=1000,
    )
    writer.flush()
    return real


def _current_tasks(rng, writer, leaders: dict, today: datetime.date) -> list:
    directive = Directive.objects.create(
        reference=CURRENT_REFERENCE,
        number="MP-01/TB-VP",
        type=Directive.Type.THONG_BAO,
        issue_date=today - datetime.timedelta(days=60),
        signer_title="Dữ liệu mô phỏng",
        summary="Dữ liệu mô phỏng: nhiệm vụ có thời hạn quanh ngày hiện tại, để trình diễn theo dõi, đôn đốc",
        is_simulated=True,
    )
    agencies = list(
        Agency.objects.filter(kind__in=[Agency.Kind.DEPARTMENT, Agency.Kind.DISTRICT]).order_by("code")
    )
    featured = list(Agency.objects.filter(code__in=["SKHDT", "STC"]).order_by("code"))
    current = []
    for index in range(40):
        lead = featured[index % len(featured)] if featured and index % 3 == 0 else rng.choice(agencies)
        deadline = today + datetime.timedelta(days=rng.randint(-45, 21))
        task = Task.objects.create(
            directive=directive,
            clause=str(index // 4 + 1),
            item=index % 4 + 1,
            text=CURRENT_TASK_TEXTS[index % len(CURRENT_TASK_TEXTS)],
            deadline_kind=Task.DeadlineKind.DATE,
            deadline=deadline,
            deadline_text=f"trước ngày {format_day(deadline)}",
            leader=rng.choice(list(leaders.values())),
            is_simulated=True,
        )
        supporters = rng.sample(agencies, k=rng.randint(0, 2))
        task.supporting_agencies.set([a for a in supporters if a != lead])
        assignment = Assignment.objects.create(
            task=task, agency=lead, agency_name=lead.name, assigned_on=directive.issue_date, is_simulated=True
        )
        writer.events.append(
            TaskEvent(
                task=task,
                assignment=assignment,
                at=_aware(directive.issue_date, 8),
                kind=TaskEvent.Kind.CREATED,
                summary=f"Giao {lead.name} chủ trì (mô phỏng).",
                is_simulated=True,
            )
        )
        _play(rng, writer, assignment, directive.issue_date, deadline, today)
        current.append(assignment)
    return current


def _fill_review_queue(writer, current: list, today: datetime.date) -> None:
    still_open = [a for a in current if a.state == Assignment.State.OPEN and a.task.deadline >= today]
    for assignment in still_open[:3]:
        writer.report(assignment, today, 100, "Đã hoàn thành, gửi kèm báo cáo kết quả (mô phỏng).")
        writer.reports[-1].proposes_completion = True
        assignment.state, assignment.proposed_on, assignment.percent = Assignment.State.PROPOSED, today, 100
    for assignment in still_open[3:6]:
        writer.extensions.append(
            Extension(
                assignment=assignment,
                requested_on=today,
                reason="Cần thêm thời gian lấy ý kiến các sở, ngành (mô phỏng).",
                old_deadline=assignment.task.deadline,
                new_deadline=assignment.task.deadline + datetime.timedelta(days=30),
                is_simulated=True,
            )
        )
    Assignment.objects.bulk_update(
        current, ["state", "completed_on", "paused_on", "percent", "last_report_on", "proposed_on"]
    )
    writer.flush()


@transaction.atomic
def generate_load(n_tasks: int, today: datetime.date | None = None, seed: int = 2023) -> int:
    """Add n simulated tasks (one or two lead agencies each) for load and speed work."""
    today = today or timezone.localdate()
    rng = random.Random(seed + n_tasks)
    agencies = list(Agency.objects.order_by("code"))
    leaders = list(ensure_leaders().values())
    start_index = Directive.objects.filter(reference__startswith="MO-PHONG-TAI-").count()
    made = 0
    while made < n_tasks:
        index = start_index + made // LOAD_TASKS_PER_DIRECTIVE + 1
        issued = today - datetime.timedelta(days=rng.randint(30, 700))
        directive = Directive.objects.create(
            reference=LOAD_REFERENCE.format(index=index),
            number=f"MP-{index:04d}/KH-TAI",
            type=Directive.Type.KE_HOACH,
            issue_date=issued,
            summary=f"Dữ liệu mô phỏng để đo tốc độ, lô {index}",
            is_simulated=True,
        )
        batch = min(LOAD_TASKS_PER_DIRECTIVE, n_tasks - made)
        tasks = []
        for number in range(batch):
            has_deadline = rng.random() < 0.8
            deadline = issued + datetime.timedelta(days=rng.randint(10, 500)) if has_deadline else None
            text = f"{rng.choice(CURRENT_TASK_TEXTS)} (mô phỏng số {made + number + 1})"
            tasks.append(
                Task(
                    directive=directive,
                    clause=str(number // 10 + 1),
                    item=number % 10 + 1,
                    text=text,
                    deadline_kind=Task.DeadlineKind.DATE if deadline else Task.DeadlineKind.NONE,
                    deadline=deadline,
                    leader=rng.choice(leaders),
                    is_simulated=True,
                    search_text=fold(f"{number // 10 + 1} {text}"),
                )
            )
        Task.objects.bulk_create(tasks, batch_size=2000)
        assignments, extensions = [], []
        for task in tasks:
            for agency in rng.sample(agencies, k=2 if rng.random() < 0.2 else 1):
                a = Assignment(
                    task=task,
                    agency=agency,
                    agency_name=agency.name,
                    assigned_on=issued,
                    deadline=task.deadline,
                    is_simulated=True,
                )
                roll = rng.random()
                if task.deadline and roll < 0.45:
                    day = task.deadline + datetime.timedelta(days=rng.randint(-20, 25))
                    if day <= today:
                        a.state, a.completed_on, a.percent = Assignment.State.DONE, max(day, issued), 100
                elif roll < 0.47:
                    a.state, a.paused_on = Assignment.State.PAUSED, issued + datetime.timedelta(days=5)
                else:
                    a.percent = rng.randint(0, 90)
                assignments.append(a)
        Assignment.objects.bulk_create(assignments, batch_size=2000)
        for a in assignments:
            if a.task.deadline and rng.random() < 0.03:
                extensions.append(
                    Extension(
                        assignment=a,
                        requested_on=issued,
                        reason="Mô phỏng",
                        old_deadline=a.task.deadline,
                        new_deadline=a.task.deadline + datetime.timedelta(days=30),
                        status=Extension.Status.APPROVED,
                        decided_on=min(today, a.task.deadline),
                        is_simulated=True,
                    )
                )
        Extension.objects.bulk_create(extensions, batch_size=2000)
        refresh_deadlines(Assignment.objects.filter(pk__in=[e.assignment_id for e in extensions]))
        made += batch
    return made
