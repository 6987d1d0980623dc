"""The demo's simulated values: seeded, repeatable, labelled, written once."""

import datetime

import pytest
from django.core.management import call_command

from demo.simulation.targets import plan, simulate_actuals
from targets.evaluation import evaluate_targets
from targets.models import Actual, ActualChange, Target
from targets.progress import Status

from ..conftest import TODAY

pytestmark = pytest.mark.django_db


def test_simulation_is_labelled_and_runs_once(targets, frozen):
    result = simulate_actuals(seed=2023, today=TODAY)
    assert result == {"targets": 3, "values": Actual.objects.count()}
    assert result["values"] > 150
    assert not Actual.objects.filter(is_simulated=False).exists()
    assert not ActualChange.objects.filter(is_simulated=False).exists()
    assert set(Target.objects.filter(is_simulated=True).values_list("code", flat=True)) == {
        "MP-2026-GIAI-NGAN",
        "MP-2026-THU-NSNN",
        "MP-2026-BHYT",
    }
    assert not Actual.objects.filter(reported_on__gt=TODAY).exists()
    before = list(Actual.objects.order_by("id").values_list("id", "value", "reported_on"))
    assert simulate_actuals(seed=2023, today=TODAY) == {"skipped": 1}
    assert list(Actual.objects.order_by("id").values_list("id", "value", "reported_on")) == before


def test_the_plan_is_repeatable_for_a_seed(targets):
    real = list(Target.objects.all())
    assert plan(real, TODAY, 2023) == plan(real, TODAY, 2023)
    assert plan(real, TODAY, 2023) != plan(real, TODAY, 7)
    # Nothing after the day it is run for: on 15/07/2023 only the first half of 2023 is there.
    early = plan(real, datetime.date(2023, 7, 15), 2023)
    assert early and max(entry.reported_on for entry in early) <= datetime.date(2023, 7, 15)
    assert not any(entry.code.startswith("2025") and entry.period_end.year > 2023 for entry in early)


def test_the_demo_has_targets_on_track_and_at_risk_today(targets, frozen):
    simulate_actuals(seed=2023, today=TODAY)
    statuses = {e.target.code: e.status for e in evaluate_targets(Target.objects.all(), TODAY)}
    assert statuses["MP-2026-GIAI-NGAN"] == Status.BEHIND
    assert statuses["MP-2026-BHYT"] == Status.UNLIKELY
    assert statuses["MP-2026-THU-NSNN"] == Status.ON_TRACK
    assert statuses["2026-BIEN-CHE-VC"] == Status.ON_TRACK
    assert statuses["2023-GIAI-NGAN"] == Status.NOT_MET
    assert statuses["2023-PAR-INDEX"] == Status.MET
    assert Status.NO_DATA not in statuses.values()


def test_the_history_command_also_simulates_the_targets(targets, frozen, capsys):
    call_command("simulate_history")
    assert Actual.objects.filter(is_simulated=True).exists()
    call_command("simulate_history")
    assert "không nạp lại" in capsys.readouterr().out
