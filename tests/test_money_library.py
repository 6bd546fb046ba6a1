"""policies/common/money.lp: sums, differences and scaling stay exact far past clingo's 32-bit
integers, checked against Python's Decimal on random and boundary values."""

from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

import clingo
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_logic.policy.resources import bundled_policies
from pos_logic.language.values import MAX_CENTS, Money, money_to_symbol, value_from_symbol

LIMIT = 21_474_836  # largest numerator and denominator the library takes
TOP = 210_000_000_000_000_000  # results stay below $2,100,000,000,000,000.00 (in cents)
ROUNDINGS = {"half_up": ROUND_HALF_UP, "floor": ROUND_FLOOR, "ceiling": ROUND_CEILING}


def _solve(facts: list[clingo.Symbol]) -> list[clingo.Symbol]:
    ctl = clingo.Control(["--warn=none"])
    ctl.load(str(bundled_policies() / "common" / "money.lp"))
    with ctl.backend() as backend:
        for atom in facts:
            backend.add_rule([backend.add_atom(atom)])
    ctl.ground([("base", [])])
    with ctl.solve(yield_=True) as handle:
        return list(next(iter(handle)).symbols(atoms=True))


def _f(name, *args):
    return clingo.Function(name, list(args))


def _sum(amounts: list[int], less: list[int] = ()) -> Money:
    facts = [_f("money_addend", _f("k"), clingo.Number(i), money_to_symbol(Money(c))) for i, c in enumerate(amounts)]
    facts += [_f("money_subtrahend", _f("k"), clingo.Number(i), money_to_symbol(Money(c))) for i, c in enumerate(less)]
    [total] = [s for s in _solve(facts) if s.name == "money_sum"]
    return value_from_symbol(total.arguments[1])


def _scale(cents: int, factor: clingo.Symbol) -> tuple[dict[str, Money], list[str]]:
    atoms = _solve([_f("money_scale", _f("k"), money_to_symbol(Money(cents)), factor)])
    scaled = {s.arguments[1].name: value_from_symbol(s.arguments[2]) for s in atoms if s.name == "money_scaled"}
    errors = [s.arguments[1].name for s in atoms if s.name == "money_error"]
    return scaled, errors


def _ratio(n: int, d: int) -> clingo.Symbol:
    return _f("ratio", clingo.Number(n), clingo.Number(d))


def _expected(cents: int, n: int, d: int) -> dict[str, Money]:
    exact = Decimal(cents) * n / Decimal(d)
    return {name: Money(int(exact.quantize(Decimal(1), rounding=mode))) for name, mode in ROUNDINGS.items()}


@pytest.fixture(autouse=True)
def _exact_decimal():
    from decimal import localcontext
    with localcontext() as ctx:
        ctx.prec = 60
        yield


# -- sums -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("amounts", [
    [2_147_483_647, 1],                       # $21,474,836.47 + $0.01: one past 2^31 cents
    [100_000_000_000] * 3,                    # three $1,000,000,000.00 agreements
    [99_999_999_999_999] * 20,                # twenty of the largest amount a case may state
    [99_999_999_999_999] * 3000 + [-99_999_999_999_999] * 1000,   # past the 2,147 addends of old
    [99, 1, 99_999_999, 1],                   # carries through cents and dollars
    [2_500_000, 1],                           # $25,000.01
])
def test_money_sum_is_exact_for_large_aggregates(amounts):
    assert _sum(amounts) == Money(sum(amounts))


def test_a_sum_past_the_representable_range_is_an_error_not_a_wrapped_total():
    facts = [_f("money_addend", _f("k"), clingo.Number(i), money_to_symbol(Money(99_999_999_999_999)))
             for i in range(2148)]
    atoms = _solve(facts)
    assert [s for s in atoms if s.name == "money_sum"] == []
    assert [str(s) for s in atoms if s.name == "money_error"] == ["money_error(k,sum_out_of_range)"]


@pytest.mark.parametrize("amounts, less", [
    ([500], [725]),                           # $5.00 - $7.25 = -$2.25
    ([2_463_000], [0]),                       # nothing subtracted
    ([0], [1]),                               # -$0.01
    ([100_000_000], [1]),                     # $1,000,000.00 - $0.01 borrows across every limb
    ([1], [100_000_000]),                     # and the other way round
    ([], [99_999_999_999_999] * 2),           # only subtrahends: -$1,999,999,999,999.98
    ([2_147_483_647, 2_147_483_647], [2_147_483_647]),
])
def test_money_sum_subtracts(amounts, less):
    assert _sum(amounts, less) == Money(sum(amounts) - sum(less))


_amount = st.integers(-99_999_999_999_999, 99_999_999_999_999)
_boundary = st.sampled_from([0, 1, -1, 99, 100, 2_147_483_647, 2_147_483_648, -2_147_483_648, 99_999_999,
                             100_000_000, -100_000_000, 99_999_999_999_999, -99_999_999_999_999])


@settings(max_examples=60, deadline=None)
@given(st.lists(_amount | _boundary, max_size=12), st.lists(_amount | _boundary, max_size=12))
def test_money_sum_matches_decimal(amounts, less):
    if not amounts and not less:
        return
    assert _sum(amounts, less) == Money(sum(amounts) - sum(less))


@settings(max_examples=60, deadline=None)
@given(_amount | _boundary, _amount | _boundary)
def test_signed_amounts_order_as_numbers(a, b):
    ctl = clingo.Control(["--warn=none"])
    x, y = money_to_symbol(Money(a)), money_to_symbol(Money(b))
    ctl.add("base", [], f"lt :- {x} < {y}. eq :- {x} = {y}.")
    ctl.ground([("base", [])])
    with ctl.solve(yield_=True) as handle:
        shown = {s.name for s in next(iter(handle)).symbols(atoms=True)}
    assert ("lt" in shown, "eq" in shown) == (a < b, a == b)


# -- scaling ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("cents, n, d, half_up", [
    (2_463_000, 1, 10_000, 246),              # Appendix C case 1: 2.463 -> $2.46
    (2_429_500, 1, 10_000, 243),              # case 2: 2.4295 -> $2.43 (truncation gives 2.42)
    (2_378_000, 1, 36_500, 65),               # case 3: 0.651506... -> $.65
    (4_125_000, 1, 7_500, 550),               # case 4: exactly $5.50
    (2_425_000, 1, 10_000, 243),              # a half cent: 2.425 -> 2.43 (up)
    (2_424_999, 1, 10_000, 242),              # a hair under the half: down
    (410_500, 1, 1_000, 411),                 # 4.105 -> 4.11 (binary floating point is no guide)
    (-2_425_000, 1, 10_000, -243),            # a negative half cent rounds away from zero
    (300_000_000_000, 1, 15, 20_000_000_000),  # 6 2/3% of $3,000,000,000.00
    (100, 1, 15, 7),                          # 6 2/3% of $1.00 = 6.666... cents
    (99_999_999_999_999, 2, 100, 1_999_999_999_999 + 1),   # 2% of the largest amount, 0.98 of a cent up
])
def test_money_scale_rounds_once_half_up(cents, n, d, half_up):
    scaled, errors = _scale(cents, _ratio(n, d))
    assert errors == [] and scaled["half_up"] == Money(half_up) == _expected(cents, n, d)["half_up"]


def test_basis_points_scale_by_ten_thousandths():
    scaled, _ = _scale(2_500_000, _f("pct", clingo.Number(1250)))   # 12.5% of $25,000.00
    assert scaled == {"half_up": Money(312_500), "floor": Money(312_500), "ceiling": Money(312_500)}


@pytest.mark.parametrize("n, d, error", [
    (1, 0, "factor_out_of_range"),
    (1, -3, "factor_out_of_range"),
    (1, LIMIT + 1, "factor_out_of_range"),
    (LIMIT + 1, 1, "factor_out_of_range"),
    (-LIMIT - 1, 1, "factor_out_of_range"),
    (LIMIT, 1, "result_out_of_range"),        # $999,999,999,999.99 x 21,474,836 is past the top
])
def test_money_scale_refuses_what_it_cannot_compute(n, d, error):
    scaled, errors = _scale(99_999_999_999_999, _ratio(n, d))
    assert scaled == {} and errors == [error]


@settings(max_examples=150, deadline=None)
@given(_amount | _boundary,
       st.integers(-LIMIT, LIMIT) | st.sampled_from([0, 1, -1, LIMIT, -LIMIT, 10_000, 2, 20]),
       st.integers(1, LIMIT) | st.sampled_from([1, 2, 3, 15, 100, 10_000, 36_500, LIMIT]))
def test_money_scale_matches_decimal(cents, n, d):
    expected = _expected(cents, n, d)
    scaled, errors = _scale(cents, _ratio(n, d))
    if max(abs(m.cents) for m in expected.values()) >= TOP:
        assert scaled == {} and errors == ["result_out_of_range"]
    else:
        assert errors == [] and scaled == expected


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 10_000).flatmap(lambda d: st.tuples(st.integers(0, (MAX_CENTS // d - 1) // 2), st.just(d))))
def test_half_cents_round_up(whole_and_d):
    """(2w + 1)/2 cents is exactly half a cent above w: up; one part in 2d less is below: down.
    Every amount scaled is one a case can state (at most MAX_CENTS)."""
    whole, d = whole_and_d
    half, _ = _scale(2 * whole + 1, _ratio(1, 2))
    below, _ = _scale((2 * whole + 1) * d - 1, _ratio(1, 2 * d))
    assert half["half_up"] == Money(whole + 1) and below["half_up"] == Money(whole)
