"""The calendar library (policies/arkansas/calendar.lp) against Python's own calendar: day
numbers both ways for every date it may meet, and observed state holidays of known years."""

import datetime as dt

import clingo
import pytest

from pos_logic.policy.policy import policy_files
from pos_logic.policy.resources import bundled_policies

EPOCH = dt.date(1970, 1, 1)


@pytest.fixture(scope="module")
def solved():
    """The Arkansas files as written (unthreaded), asked for a wide spread of dates."""
    dates = [dt.date(1901, 1, 1) + dt.timedelta(days=k) for k in range(0, 73_000, 13)]
    dates += [dt.date(y, m, 1) - dt.timedelta(days=1) for y in (1904, 1999, 2000, 2024, 2100) for m in (1, 3, 12)]
    facts = [f"day_number_needed(d({d.year},{d.month},{d.day})). calendar_day({(d - EPOCH).days})." for d in dates]
    ctl = clingo.Control(["--warn=none"])
    for path in policy_files("arkansas", bundled_policies()):
        ctl.add("base", [], path.read_text(encoding="utf-8"))
    ctl.add("base", [], "\n".join(facts))
    ctl.ground([("base", [])])
    with ctl.solve(yield_=True) as handle:
        atoms = next(iter(handle)).symbols(atoms=True)
    return dates, atoms


def _date(sym):
    y, m, d = (a.number for a in sym.arguments)
    return dt.date(y, m, d)


def test_day_numbers_are_days_since_1970_both_ways(solved):
    dates, atoms = solved
    numbers = {_date(s.arguments[0]): s.arguments[1].number for s in atoms if s.name == "day_number"}
    back = {s.arguments[0].number: _date(s.arguments[1]) for s in atoms if s.name == "date_of_day_number"}
    for d in dates:
        assert numbers[d] == (d - EPOCH).days, d
        assert back[(d - EPOCH).days] == d, d


@pytest.mark.parametrize("day, holiday", [
    ("2025-01-20", True),  # third Monday of January
    ("2025-02-17", True),  # third Monday of February
    ("2025-05-26", True),  # last Monday of May
    ("2025-05-19", False),  # the Monday before it
    ("2025-07-04", True),
    ("2025-09-01", True),  # first Monday of September
    ("2025-11-27", True),  # fourth Thursday of November
    ("2025-11-20", False),
    ("2025-12-24", True), ("2025-12-25", True), ("2025-12-26", False),
    ("2026-07-03", True),  # Independence Day on a Saturday: observed the Friday before
    ("2027-07-05", True),  # on a Sunday: observed the Monday after
    ("2027-07-02", False),
])
def test_observed_state_holidays(solved, day, holiday):
    _, atoms = solved
    holidays = {s.arguments[0].number for s in atoms if s.name == "state_holiday_number"}
    assert ((dt.date.fromisoformat(day) - EPOCH).days in holidays) is holiday
