"""Exact values of the case language and their clingo encoding.

clingo's integers are 32-bit and wrap silently above 2,147,483,647, so money is never one
integer of cents in ASP. It is the term `usd(Millions, Dollars, Cents)` with |Dollars| <
1,000,000 and |Cents| < 100, every limb with the amount's sign: clingo orders terms of one name
and arity argument by argument, so `>`, `<=`, `=` compare signed amounts exactly, and arithmetic
is done limb by limb (policies/common/money.lp). Dates are `d(Year, Month, Day)`, which order chronologically the same way;
percentages are `pct(BasisPoints)` (12.5% is pct(1250)).

    >>> money_to_symbol(Money(4_800_000))
    Function('usd', [Number(0), Number(48000), Number(0)], True)
    >>> str(value_from_symbol(money_to_symbol(Money(2_500_001))))
    '$25,000.01'
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from clingo import Function, Number, Symbol, SymbolType

#: The largest amount a case may state: $999,999,999,999.99. policies/common/money.lp sums up to
#: 2,147,483 such amounts without a limb wrapping, so a case states at most MAX_AMOUNTS.
MAX_CENTS = 99_999_999_999_999
MAX_AMOUNTS = 2_147_483
MAX_INT = 2**31 - 1
_MILLION_CENTS = 100_000_000


@dataclass(frozen=True, order=True)
class Money:
    """An amount in integer cents."""

    cents: int

    def __str__(self) -> str:
        sign = "-" if self.cents < 0 else ""
        dollars, cents = divmod(abs(self.cents), 100)
        return f"{sign}${dollars:,}.{cents:02d}"


@dataclass(frozen=True, order=True)
class Percent:
    """A percentage in basis points (hundredths of a percent), exact."""

    basis_points: int

    def __str__(self) -> str:
        whole, frac = divmod(self.basis_points, 100)
        return f"{whole}%" if frac == 0 else f"{whole}.{frac:02d}".rstrip("0") + "%"


#: a value's symbol is worked out once a process (clingo symbols are interned values, and
#: building one is a call into C per part): amounts and dates recur across a run's cases
_SYMBOLS = 1 << 14


@lru_cache(maxsize=_SYMBOLS)
def money_to_symbol(m: Money) -> Symbol:
    """Every limb carries the amount's sign (-$5.25 is usd(0,-5,-25)), so terms still order as amounts."""
    sign = -1 if m.cents < 0 else 1
    millions, rest = divmod(abs(m.cents), _MILLION_CENTS)
    dollars, cents = divmod(rest, 100)
    return Function("usd", [Number(sign * millions), Number(sign * dollars), Number(sign * cents)])


@lru_cache(maxsize=_SYMBOLS)
def date_to_symbol(d: dt.date) -> Symbol:
    return Function("d", [Number(d.year), Number(d.month), Number(d.day)])


@lru_cache(maxsize=_SYMBOLS)
def percent_to_symbol(p: Percent) -> Symbol:
    return Function("pct", [Number(p.basis_points)])


@lru_cache(maxsize=1 << 16)  # clingo symbols are interned values; reading one is a C call per part
def value_from_symbol(sym: Symbol):
    """The Python value a typed term stands for (Money, date, Percent), or None."""
    if sym.type is not SymbolType.Function:
        return None
    args = sym.arguments
    if not all(a.type is SymbolType.Number for a in args):
        return None
    nums = [a.number for a in args]
    if sym.name == "usd" and len(nums) == 3:
        return Money(nums[0] * _MILLION_CENTS + nums[1] * 100 + nums[2])
    if sym.name == "d" and len(nums) == 3:
        try:
            return dt.date(*nums)
        except ValueError:
            return None
    if sym.name == "pct" and len(nums) == 1:
        return Percent(nums[0])
    return None


@lru_cache(maxsize=1 << 16)
def format_symbol(sym: Symbol) -> str:
    """A term as a person reads it: $48,000.00, 2025-07-01, 12%, plain text for the rest."""
    value = value_from_symbol(sym)
    if value is not None:
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    if sym.type is SymbolType.String:
        return sym.string
    if sym.type is SymbolType.Function and sym.arguments:
        inner = ", ".join(format_symbol(a) for a in sym.arguments)
        return f"{sym.name}({inner})" if sym.name else f"({inner})"
    return str(sym)
