"""policies/common/money.lp: sums stay exact far past clingo's 32-bit integers."""

import clingo
import pytest

from pos_logic.resources import policies_root
from pos_logic.values import Money, money_to_symbol, value_from_symbol


def _sum(amounts: list[int]) -> Money:
    ctl = clingo.Control(["--warn=none"])
    ctl.load(str(policies_root() / "common" / "money.lp"))
    with ctl.backend() as backend:
        for i, cents in enumerate(amounts):
            atom = clingo.Function("money_addend", [clingo.Function("k"), clingo.Number(i),
                                                    money_to_symbol(Money(cents))])
            backend.add_rule([backend.add_atom(atom)])
    ctl.ground([("base", [])])
    with ctl.solve(yield_=True) as handle:
        [total] = [s for s in next(iter(handle)).symbols(atoms=True) if s.name == "money_sum"]
    return value_from_symbol(total.arguments[1])


@pytest.mark.parametrize("amounts", [
    [2_147_483_647, 1],                       # $21,474,836.47 + $0.01: one past 2^31 cents
    [100_000_000_000] * 3,                    # three $1,000,000,000.00 agreements
    [99_999_999_999_999] * 20,                # twenty of the largest amount a case may state
    [99, 1, 99_999_999, 1],                   # carries through cents and dollars
    [2_500_000, 1],                           # $25,000.01
])
def test_money_sum_is_exact_for_large_aggregates(amounts):
    assert _sum(amounts) == Money(sum(amounts))
