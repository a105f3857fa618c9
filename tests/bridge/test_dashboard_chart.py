"""The history chart's days: runs become per-day bars, days without a run stay gaps (pure, no bridge)."""

from __future__ import annotations

import datetime as dt
import re

from fedstack.bridge.dashboard._chart import Failing, RunMark, daily, history_chart

TODAY = dt.date(2026, 3, 20)


def _at(day: int, hour: int = 12) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, tzinfo=dt.UTC)


def test_one_run_is_one_bar_among_two_weeks_of_gaps() -> None:
    days = daily([RunMark(_at(20), 3, "/r/1")], [], today=TODAY, policy_since=None)
    assert len(days) == 14 and days[0].day == dt.date(2026, 3, 7)
    assert [(d.day.day, d.drifted) for d in days if d.drifted is not None] == [(20, 3)]
    assert all(d.failing is None for d in days)  # no policy: findings not measured, not zero
    svg = history_chart(days, [RunMark(_at(20), 3, "/r/1")], title="t")
    assert svg.count('class="bar drift"') == 1 and svg.count('class="norun"') == 13 + 1  # + legend
    assert svg.count('<path class="run"') == 1 + 1 and 'href="/r/1"' in svg


def test_two_runs_days_apart_are_two_bars_with_a_gap_not_a_slope() -> None:
    runs = [RunMark(_at(10), 3, "/r/1"), RunMark(_at(13), 0, "/r/2")]
    days = {d.day.day: d for d in daily(runs, [], today=TODAY, policy_since=None)}
    assert (days[10].drifted, days[11].drifted, days[12].drifted, days[13].drifted) == (
        3,
        None,
        None,
        0,
    )
    svg = history_chart(list(days.values()), runs, title="t")
    assert re.findall(r'class="bar drift" data-day="([\d-]+)" data-value="(\d+)"', svg) == [
        ("2026-03-10", "3"),
        ("2026-03-13", "0"),
    ]
    assert "polyline" not in svg


def test_runs_of_one_day_show_the_most_drift_and_findings_count_on_each_day_they_fail() -> None:
    runs = [RunMark(_at(19, 8), 1, "/r/1"), RunMark(_at(19, 18), 4, "/r/2")]
    findings = [Failing(_at(17), _at(18, 9)), Failing(_at(18, 20), None)]
    days = {d.day.day: d for d in daily(runs, findings, today=TODAY, policy_since=_at(16))}
    assert (days[19].drifted, days[19].runs) == (4, 2)
    assert days[15].failing is None  # before the policy applied
    assert [days[n].failing for n in (16, 17, 18, 19, 20)] == [0, 1, 2, 1, 1]


def test_the_window_is_at_most_ninety_days() -> None:
    old = RunMark(dt.datetime(2025, 1, 1, tzinfo=dt.UTC), 2, "/r/0")
    days = daily([old], [], today=TODAY, policy_since=None)
    assert len(days) == 90 and days[-1].day == TODAY
    assert 'href="/r/0"' not in history_chart(days, [old], title="t")  # outside: not marked
