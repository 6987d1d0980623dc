"""A clearly labelled, seeded, repeatable simulated series of reported values for the demo.

The documents say what the targets are, never what the figures turned out to be. So that the
targets pages have something to show, this writes (through services.record_actual, with
is_simulated=True) a plausible series for every real target — baselines the texts do not give,
monthly, quarterly or yearly values — and adds three simulated targets of the current year with
values up to last month, so that today's dashboard has targets on track and at risk.
Every value is marked "mô phỏng" on the pages.
"""

import dataclasses
import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from intake.loading.targets import load_targets
from targets.models import Actual, Target
from targets.progress import period_ends
from targets.services import record_actual
from tracking.permissions import SYSTEM

CURRENT_DIRECTIVE = "MO-PHONG-HIEN-HANH"  # the simulated directive of demo.simulation.work

# Shapes of the simulated figures of the real targets: (baseline or None, values of the periods in
# order). Values are before noise; the story: some 2023 targets met, some missed; by 2026 the
# public-employee reduction is on track and the civil-servant one is unlikely to be met.
REAL = {
    "2023-GRDP": (None, [5.6, 5.9, 6.2, 6.4]),
    "2023-GIAI-NGAN": (None, [2.1, 6.5, 15.8, 22.0, 29.5, 41.2, 47.0, 54.3, 63.0, 70.4, 78.9, 87.6, 93.4]),
    "2023-TMDT": (6.2, [6.3, 6.4, 6.6, 6.7, 6.9, 7.0, 7.2, 7.4, 7.5, 7.7, 7.9, 8.1]),
    "2023-HO-NGHEO": (2.95, [2.85, 2.7, 2.5, 2.1]),
    "2023-BHYT": (91.2, [91.2, 91.3, 91.4, 91.5, 91.7, 91.8, 91.9, 92.0, 92.2, 92.3, 92.5, 92.6]),
    "2023-BHXH-BB": (95.1, [95.1, 95.2, 95.2, 95.3, 95.4, 95.5, 95.5, 95.6, 95.7, 95.8, 95.9, 96.0]),
    "2023-BHXH-TN": (5.2, [5.3, 5.4, 5.6, 5.7, 5.9, 6.0, 6.2, 6.4, 6.6, 6.8, 7.0, 7.3]),
    "2023-BHTN": (86.9, [86.9, 87.0, 87.1, 87.3, 87.4, 87.5, 87.7, 87.8, 87.9, 88.1, 88.2, 88.4]),
    "2023-PAR-INDEX": (38, [31]),
    "2023-DIEN-GIO": (None, [0, 0, 4.2, 12.6, 21.0, 29.4, 37.8, 46.2, 58.8, 67.2, 79.8, 92.4]),
    "2023-CUM-CN": (None, [0, 0, 1, 1]),
    "2025-DO-THI-HOA": (26.8, [27.5, 28.4, 29.3]),
    "2025-TPCM-LOAI-I": (None, [2, 2, 2]),
    # Quarterly from Q1/2022: a reduction that slows down (civil servants), and a steady one.
    "2026-BIEN-CHE-CC": (None, [round(4.3 * (1 - (1 - i / 21) ** 2), 2) for i in range(1, 21)]),
    "2026-BIEN-CHE-VC": (None, [round(0.505 * i, 2) for i in range(1, 21)]),
    # The targets issue 13 (item 8) found by re-reading the sources (OWN_STREAM below).
    "2023-SIPAS": (40, [36]),
    "2023-DN-KHCN": (None, [0, 1, 1, 2]),
    "2023-SSCD": (None, [100, 100, 100, 100]),
    "2023-GIAI-NGAN-CHUYEN-TIEP": (
        None,
        [3.0, 9.1, 22.4, 30.5, 40.2, 55.0, 61.8, 70.1, 78.5, 84.0, 90.2, 95.8, 98.1],
    ),
    "2023-GIAI-NGAN-KHOI-CONG-MOI": (
        None,
        [0.5, 2.0, 8.3, 12.5, 19.0, 30.2, 36.4, 42.1, 50.7, 57.3, 66.0, 78.2, 88.5],
    ),
}
OWN_STREAM = {
    "2023-SIPAS",
    "2023-DN-KHCN",
    "2023-SSCD",
    "2023-GIAI-NGAN-CHUYEN-TIEP",
    "2023-GIAI-NGAN-KHOI-CONG-MOI",
}
# Ranks, counts and yearly figures are exact; the noise only touches the monthly and quarterly rates.
NO_NOISE = {
    "2023-PAR-INDEX",
    "2023-SIPAS",
    "2023-CUM-CN",
    "2023-DN-KHCN",
    "2023-SSCD",
    "2025-TPCM-LOAI-I",
    "2023-DIEN-GIO",
    "2025-DO-THI-HOA",
}
# The PAR INDEX of a year is published in the spring of the next one.
REPORTED_ON = {"2023-PAR-INDEX": [datetime.date(2024, 5, 20)], "2023-SIPAS": [datetime.date(2024, 5, 20)]}


def current_targets(year: int) -> list[dict]:
    """Three simulated targets of the current year, in the data-file format of loading.load_targets."""
    common = {
        "period_start": f"{year}-01-01",
        "directive": CURRENT_DIRECTIVE,
        "is_simulated": True,
        "clause": "",
        "quote": "",
        "agency_note": "Dữ liệu mô phỏng.",
    }
    return [
        dict(
            common,
            code=f"MP-{year}-GIAI-NGAN",
            name=f"Tỷ lệ giải ngân kế hoạch vốn đầu tư công năm {year} (mô phỏng)",
            unit="%",
            direction="at_least",
            target_value="95",
            target_text="giải ngân đạt từ 95% kế hoạch vốn",
            period_label=f"kế hoạch vốn năm {year} (giải ngân đến 31/01/{year + 1})",
            period_end=f"{year + 1}-01-31",
            baseline="0",
            cumulative=True,
            is_share=True,
            frequency="month",
            agency="SKHDT",
            groups=["2023.3.1"],
            order=101,
            milestones=[
                {"due": f"{year}-03-31", "value": "25"},
                {"due": f"{year}-06-30", "value": "50"},
                {"due": f"{year}-09-30", "value": "75"},
            ],
        ),
        dict(
            common,
            code=f"MP-{year}-THU-NSNN",
            name=f"Thu ngân sách nhà nước trên địa bàn năm {year} so với dự toán (mô phỏng)",
            unit="%",
            direction="at_least",
            target_value="100",
            target_text="đạt 100% dự toán",
            period_label=f"năm {year}",
            period_end=f"{year}-12-31",
            baseline="0",
            cumulative=True,
            frequency="month",
            agency="STC",
            groups=["B.3"],
            order=102,
        ),
        dict(
            common,
            code=f"MP-{year}-BHYT",
            name=f"Tỷ lệ dân số tham gia bảo hiểm y tế năm {year} (mô phỏng)",
            unit="%",
            direction="at_least",
            target_value="95",
            target_text="đạt 95%",
            period_label=f"năm {year}",
            period_end=f"{year}-12-31",
            is_share=True,
            frequency="month",
            agency="BHXH",
            groups=["2023.5"],
            order=103,
        ),
    ]


CURRENT = {
    "GIAI-NGAN": (None, [2.5, 7.0, 16.5, 23.0, 31.0, 44.0, 50.5, 57.0, 66.0, 72.5, 80.0, 88.0, 94.0]),
    "THU-NSNN": (None, [9.8, 18.5, 27.9, 37.2, 46.0, 55.1, 64.3, 73.0, 82.4, 92.0, 101.0, 110.0]),
    "BHYT": (93.0, [93.0, 93.1, 93.1, 93.2, 93.2, 93.3, 93.3, 93.4, 93.5, 93.6, 93.6, 93.7]),
}


@dataclasses.dataclass(frozen=True)
class Planned:
    code: str
    period_end: datetime.date
    value: Decimal
    reported_on: datetime.date


def plan(targets: list[Target], today: datetime.date, seed: int) -> list[Planned]:
    """The simulated values, computed without writing: the same seed and day give the same plan.

    A value is reported 5 to 15 days after its period ends and only if that is on or before today.
    """
    shared = random.Random(seed)
    result = []
    for target in sorted(targets, key=lambda t: t.code):
        key = target.code.split("-", 2)[-1] if target.is_simulated else target.code
        shape = (CURRENT if target.is_simulated else REAL).get(key)
        if shape is None:
            continue
        baseline, values = shape
        # Targets added later draw from their own stream, so the older ones keep their simulated values.
        rng = random.Random(f"{seed}-{target.code}") if target.code in OWN_STREAM else shared
        noisy = target.code not in NO_NOISE
        step = 0.05 if target.unit == "%" else 0.0
        if baseline is not None and target.takes_reported_baseline:
            day = target.period_start + datetime.timedelta(days=rng.randint(10, 20))
            if day <= today:
                result.append(Planned(target.code, target.baseline_start, Decimal(str(baseline)), day))
        ends = period_ends(target.period_start, target.period_end, target.frequency)
        previous = None
        for index, (end, value) in enumerate(zip(ends, values, strict=False)):
            reported_on = REPORTED_ON.get(target.code, [None] * len(values))[index] or (
                end + datetime.timedelta(days=rng.randint(5, 15))
            )
            if noisy:
                value = value + rng.choice((-1, 0, 1)) * step
            if target.cumulative and previous is not None:
                value = max(value, previous)  # a cumulative figure never falls
            previous = value
            if reported_on > today:
                break
            result.append(Planned(target.code, end, Decimal(str(round(value, 2))), reported_on))
    return result


def already_simulated() -> bool:
    return Actual.objects.filter(is_simulated=True).exists()


@transaction.atomic
def simulate_actuals(seed: int = 2023, today: datetime.date | None = None) -> dict[str, int]:
    """Write the simulated targets and values once (a second run changes nothing).

    Loads the real targets first when they are missing (the browser tests' demo fixture relies on it).
    """
    if already_simulated():
        return {"skipped": 1}
    today = today or timezone.localdate()
    if not Target.objects.filter(is_simulated=False).exists():
        load_targets()
    # Linked to the simulated directive of demo.simulation.work when it exists, else to none.
    items = current_targets(today.year)
    load_targets({"targets": items})
    targets = {t.code: t for t in Target.objects.all()}
    planned = plan(list(targets.values()), today, seed)
    for entry in planned:
        record_actual(
            targets[entry.code],
            entry.period_end,
            entry.value,
            by=SYSTEM,
            note="Số liệu mô phỏng.",
            confirm=True,
            today=entry.reported_on,
            at=timezone.make_aware(datetime.datetime.combine(entry.reported_on, datetime.time(9))),
            is_simulated=True,
        )
    return {"targets": len(items), "values": len(planned)}
