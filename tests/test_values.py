"""Exact values and their clingo encoding: no amount may wrap, ordering must be exact."""

import datetime as dt

import clingo
import pytest
from hypothesis import given, settings, strategies as st

from pos_logic.language.values import (MAX_CENTS, Money, Percent, date_to_symbol, format_symbol,
                              money_to_symbol, percent_to_symbol, value_from_symbol)


@pytest.mark.parametrize("cents", [0, 1, 99, 100, 2_500_000, 2_500_001, 2_147_483_647, 2_147_483_648,
                                   100_000_000_000, MAX_CENTS])
def test_money_round_trips_through_its_clingo_term(cents):
    assert value_from_symbol(money_to_symbol(Money(cents))) == Money(cents)


def test_money_prints_as_people_write_it():
    assert str(Money(2_147_483_648)) == "$21,474,836.48"
    assert str(Money(100_000_000_000)) == "$1,000,000,000.00"
    assert str(Money(1)) == "$0.01"


def test_percentages_print_exactly():
    assert [str(Percent(b)) for b in (1000, 999, 1250, 5)] == ["10%", "9.99%", "12.5%", "0.05%"]


def _clingo_compare(a: clingo.Symbol, b: clingo.Symbol) -> set[str]:
    ctl = clingo.Control(["--warn=none"])
    ctl.add("base", [], "lt :- a(X), b(Y), X < Y. eq :- a(X), b(Y), X = Y. gt :- a(X), b(Y), X > Y.")
    with ctl.backend() as backend:
        backend.add_rule([backend.add_atom(clingo.Function("a", [a]))])
        backend.add_rule([backend.add_atom(clingo.Function("b", [b]))])
    ctl.ground([("base", [])])
    with ctl.solve(yield_=True) as handle:
        return {str(s) for s in next(iter(handle)).symbols(atoms=True) if s.name in ("lt", "eq", "gt")}


@settings(max_examples=200, deadline=None)
@given(st.integers(0, MAX_CENTS), st.integers(0, MAX_CENTS))
def test_clingo_orders_amounts_exactly_as_python_does(x, y):
    expected = {"lt"} if x < y else {"eq"} if x == y else {"gt"}
    assert _clingo_compare(money_to_symbol(Money(x)), money_to_symbol(Money(y))) == expected


def test_clingo_orders_the_32_bit_edge_amounts_exactly():
    assert _clingo_compare(money_to_symbol(Money(2_147_483_647)), money_to_symbol(Money(2_147_483_648))) == {"lt"}


@settings(max_examples=100, deadline=None)
@given(st.dates(), st.dates())
def test_clingo_orders_dates_chronologically(x, y):
    expected = {"lt"} if x < y else {"eq"} if x == y else {"gt"}
    assert _clingo_compare(date_to_symbol(x), date_to_symbol(y)) == expected


def test_typed_terms_format_for_people():
    assert format_symbol(date_to_symbol(dt.date(2025, 7, 1))) == "2025-07-01"
    assert format_symbol(percent_to_symbol(Percent(1250))) == "12.5%"
    assert format_symbol(clingo.String("PCS-D")) == "PCS-D"
