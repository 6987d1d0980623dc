from django.core.management.base import BaseCommand

from demo.accounts import DEMO_PASSWORD, DEMO_USERS, DemoUsersRefused, ensure_demo_users
from intake.loading.programme import load_programme
from intake.loading.targets import load_targets


class Command(BaseCommand):
    help = "Nạp chương trình công tác năm 2023 của UBND tỉnh Cà Mau (dữ liệu thật) và các tài khoản mẫu."

    def add_arguments(self, parser):
        parser.add_argument("--no-demo-users", action="store_true", help="Không tạo tài khoản mẫu.")

    def handle(self, *args, no_demo_users=False, **options):
        counts = load_programme()
        self.stdout.write(
            "Đã nạp dữ liệu thật: {agencies} cơ quan, {groups} nhóm nhiệm vụ, {directives} văn bản, "
            "{tasks} nhiệm vụ, {assignments} phân công chủ trì mới; {changed} bản ghi cập nhật.".format(
                **counts
            )
        )
        targets = load_targets()
        self.stdout.write(
            "Đã nạp chỉ tiêu: {targets} chỉ tiêu, {milestones} mốc mới; {changed} bản ghi cập nhật.".format(
                **targets
            )
        )
        if no_demo_users:
            return
        try:
            created = ensure_demo_users()
        except DemoUsersRefused:
            self.stdout.write(self.style.WARNING("DEBUG đang tắt: không tạo tài khoản mẫu."))
            return
        if created:
            self.stdout.write("Đã tạo tài khoản mẫu: " + ", ".join(created))
        self.stdout.write(
            "Tài khoản mẫu (mật khẩu {password}): {names}".format(
                password=DEMO_PASSWORD, names=", ".join(u[0] for u in DEMO_USERS)
            )
        )
