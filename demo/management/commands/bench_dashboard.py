"""How fast the dashboard, its JSON and the task list are on N simulated tasks (`make bench`).

Loads the real programme, tops the simulated load tasks up to --tasks with
demo.simulation.work.generate_load, then times, each after one warm-up run: the dashboard figures
(tracking.dashboard.build) as of today and as of a year ago, the full requests to "/" and
"/dashboard.json" as a signed-in office user, and the task list searched for "ke hoach".
Without --keep, what this run added (load tasks and the throwaway user) is removed at the end.
"""

import datetime
import statistics
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries, transaction
from django.db.models import Max
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from accounts.models import User
from core.dates import format_day
from demo.simulation.work import generate_load
from directives.models import Assignment, Directive, Task
from intake.loading.programme import load_programme
from tracking import dashboard

LOAD_PREFIX = "MO-PHONG-TAI-"
BENCH_USERNAME = "do-toc-do-tam"


def one_year_before(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def ms(seconds: float) -> str:
    """Milliseconds with one decimal, Vietnamese style (decimal comma)."""
    return f"{seconds * 1000:.1f}".replace(".", ",")


class Command(BaseCommand):
    help = (
        "Đo tốc độ trang tổng quan, JSON và danh sách nhiệm vụ trên N nhiệm vụ mô phỏng. "
        "LƯU Ý: lệnh GHI dữ liệu mô phỏng (văn bản MO-PHONG-TAI-…) và một tài khoản tạm vào cơ sở "
        "dữ liệu đang cấu hình (DATABASE_URL/VAR_DIR); không có --keep thì phần đã thêm được xóa khi "
        "đo xong. Nên chạy trên một cơ sở dữ liệu riêng để đo, không chạy trên dữ liệu thật đang dùng."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--tasks",
            type=int,
            default=100_000,
            help="Số nhiệm vụ mô phỏng cần có (thiếu bao nhiêu thì thêm bấy nhiêu). Mặc định 100000.",
        )
        parser.add_argument(
            "--repeat",
            type=int,
            default=5,
            help="Số lần đo mỗi phép, sau một lần chạy khởi động. Mặc định 5.",
        )
        parser.add_argument(
            "--keep",
            action="store_true",
            help="Giữ lại nhiệm vụ mô phỏng và tài khoản tạm đã thêm (lần đo sau không phải tạo lại).",
        )

    def handle(self, *args, tasks=100_000, repeat=5, keep=False, **options):
        if tasks < 0:
            raise CommandError("--tasks phải là số không âm.")
        if repeat < 1:
            raise CommandError("--repeat phải từ 1 trở lên.")
        out = self.stdout.write
        vendor = connection.vendor
        out(f"Cơ sở dữ liệu: {vendor} ({connection.settings_dict['NAME']}), DEBUG={settings.DEBUG}")
        missing, last_directive, n_tasks, n_assignments = self._ensure_data(tasks)
        user, user_created = self._bench_user()
        client = Client(raise_request_exception=True)
        client.force_login(user)
        today = timezone.localdate()
        year_ago = one_year_before(today)
        out(f"Ngày tính: {format_day(today)}; một năm trước: {format_day(year_ago)}.")
        results = self._measure(self._checks(client, today, year_ago), repeat)
        client.logout()
        if not keep:
            self._clean_up(last_directive, user if user_created else None, report=missing or user_created)
        medians = "; ".join(f"{label.split(' ', 1)[1]} {ms(value)}" for label, value in results.items())
        out(f"\nTÓM TẮT: {vendor}, {n_tasks} nhiệm vụ, {n_assignments} phân công — trung vị (ms): {medians}.")

    def _ensure_data(self, tasks: int) -> tuple[int, int, int, int]:
        """The real programme, then simulated load tasks up to `tasks`; fresh planner statistics."""
        out = self.stdout.write
        load_programme()
        load_tasks = Task.objects.filter(directive__reference__startswith=LOAD_PREFIX)
        existing = load_tasks.count()
        missing = max(tasks - existing, 0)
        last_directive = Directive.objects.aggregate(last=Max("id"))["last"] or 0
        if missing:
            out(f"Đã có {existing} nhiệm vụ mô phỏng tải; đang thêm {missing} nhiệm vụ…")
            started = time.perf_counter()
            generate_load(missing)
            out(f"Đã thêm {missing} nhiệm vụ mô phỏng trong {time.perf_counter() - started:.1f} giây.")
        else:
            out(f"Đã có {existing} nhiệm vụ mô phỏng tải: không thêm.")
        if connection.vendor == "postgresql":
            # What autovacuum would do shortly after a bulk load: fresh planner statistics.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        n_tasks, n_assignments = Task.objects.count(), Assignment.objects.count()
        out(
            f"Tổng số nhiệm vụ: {n_tasks} (mô phỏng tải: {load_tasks.count()}); "
            f"phân công chủ trì: {n_assignments}."
        )
        return missing, last_directive, n_tasks, n_assignments

    @staticmethod
    def _bench_user():
        """A throwaway office user for the HTTP requests."""
        user, created = User.objects.get_or_create(
            username=BENCH_USERNAME,
            defaults={"role": User.Role.OFFICE, "display_name": "Tài khoản tạm để đo tốc độ"},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        return user, created

    @staticmethod
    def _checks(client, today, year_ago) -> list:
        def get(url):
            def request():
                response = client.get(url, secure=True)
                if response.status_code != 200:
                    raise CommandError(f"GET {url} trả về mã {response.status_code}, không phải 200.")
                return response.content

            return request

        return [
            ("a) build(), tính đến hôm nay", lambda: dashboard.build(Assignment.objects.all(), today)),
            (
                "b) build(), tính đến một năm trước",
                lambda: dashboard.build(Assignment.objects.all(), year_ago),
            ),
            ("c) GET /", get("/")),
            ("c) GET /dashboard.json", get("/dashboard.json")),
            ("d) GET /tasks/?q=ke+hoach", get("/tasks/?q=ke+hoach")),
        ]

    def _measure(self, checks: list, repeat: int) -> dict:
        """One warm-up (counting SQL queries), then `repeat` timed runs of each check."""
        out = self.stdout.write
        out(f"Mỗi phép đo: 1 lần khởi động, {repeat} lần đo; thời gian tính bằng ms.\n")
        out(f"{'Phép đo':<38}{'nhỏ nhất':>10}{'trung vị':>10}{'lớn nhất':>10}{'số truy vấn':>13}")
        results = {}
        reset_queries()  # with DEBUG on, the loading above may have filled the query log
        with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
            for label, run in checks:
                with CaptureQueriesContext(connection) as queries:
                    run()
                # Counted now: each later request empties the connection's query log (reset_queries).
                n_queries = len(queries.captured_queries)
                timings = []
                for _ in range(repeat):
                    started = time.perf_counter()
                    run()
                    timings.append(time.perf_counter() - started)
                median = statistics.median(timings)
                results[label] = median
                out(f"{label:<38}{ms(min(timings)):>10}{ms(median):>10}{ms(max(timings)):>10}{n_queries:>13}")
        return results

    def _clean_up(self, last_directive: int, user, report: bool) -> None:
        """Put back what this run added (load tasks past `last_directive`, the throwaway user)."""
        started = time.perf_counter()
        with transaction.atomic():
            added = Directive.objects.filter(reference__startswith=LOAD_PREFIX, id__gt=last_directive)
            Task.objects.filter(directive__in=added).delete()
            added.delete()
            if user is not None:
                user.delete()
        if report:
            self.stdout.write(
                f"\nĐã xóa phần dữ liệu lần đo này thêm vào ({time.perf_counter() - started:.1f} giây); "
                "dùng --keep để giữ lại."
            )
