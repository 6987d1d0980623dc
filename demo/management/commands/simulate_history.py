import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.simulation.summaries import produce_demo_summaries
from demo.simulation.targets import simulate_actuals
from demo.simulation.work import generate_load, simulate_history


class Command(BaseCommand):
    help = (
        "Nạp lịch sử MÔ PHỎNG (báo cáo, hoàn thành, gia hạn, quá hạn) và nhiệm vụ mô phỏng hiện hành; "
        "--tasks N thêm N nhiệm vụ mô phỏng để đo tốc độ."
    )

    def add_arguments(self, parser):
        parser.add_argument("--tasks", type=int, default=0, help="Số nhiệm vụ mô phỏng thêm để đo tải.")
        parser.add_argument("--seed", type=int, default=settings.SIMULATION_SEED)

    def handle(self, *args, tasks=0, seed=2023, **options):
        if tasks < 0:
            raise CommandError("--tasks phải là số không âm.")
        result = simulate_history(seed=seed)
        simulate_actuals(seed=seed)  # the targets' simulated values (demo.simulation.targets)
        produce_demo_summaries()  # the year's monthly summaries and the last quarter's (demo.simulation.summaries)
        if result.get("skipped"):
            self.stdout.write("Lịch sử mô phỏng đã có: không nạp lại.")
        else:
            self.stdout.write(
                "Đã nạp lịch sử mô phỏng cho {real_assignments} phân công thật và {current_tasks} "
                "nhiệm vụ mô phỏng hiện hành.".format(**result)
            )
        if tasks:
            started = time.monotonic()
            made = generate_load(tasks, seed=seed)
            self.stdout.write(
                f"Đã thêm {made} nhiệm vụ mô phỏng trong {time.monotonic() - started:.1f} giây."
            )
