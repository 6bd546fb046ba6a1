"""Ground terms are evaluated as clingo evaluates them."""

import clingo
import pytest
from clingo import ast

from pos_logic.policy.ground import substitute, term_symbol


def _head(rule_text: str):
    nodes = []
    ast.parse_string(rule_text, nodes.append)
    return nodes[1].head.atom.symbol


def _clingo(expr: str) -> clingo.Symbol:
    ctl = clingo.Control(["--warn=none"])
    ctl.add("base", [], f"v({expr}).")
    ctl.ground([("base", [])])
    [sym] = [s for s in ctl.symbolic_atoms if s.symbol.name == "v"]
    return sym.symbol.arguments[0]


@pytest.mark.parametrize("expr", ["X + 0", "X - 7", "X * 3", "X / 4", "X \\ 4", "-X / 4", "-X \\ 4", "(X + 3) / 2"])
def test_arithmetic_matches_clingo(expr):
    for x in (0, 1, 7, -9, 2147483):
        ours = term_symbol(substitute(_head(f"v({expr}) :- p(X)."), {"X": clingo.Number(x)})).arguments[0]
        assert ours == _clingo(expr.replace("X", f"({x})"))


def test_division_by_zero_is_left_undefined():
    assert term_symbol(substitute(_head("v(X / 0) :- p(X)."), {"X": clingo.Number(3)})) is None


def test_a_template_of_one_variable_is_the_bound_value_itself():
    """Template.value: a bound variable is its firing's own symbol (no round trip through text),
    an unbound one or `_` is None, and any other term is evaluated as symbol() evaluates it."""
    from pos_logic.policy.ground import Template
    money = clingo.Function("usd", [clingo.Number(0), clingo.Number(25000), clingo.Number(1)])
    binding = {"X": money, "N": clingo.String('a "quoted" name')}
    words = {k: str(v) for k, v in binding.items()}
    assert Template("X").value(binding, words) is money
    assert Template("N").value(binding, words) == Template("N").symbol(words) == binding["N"]
    assert Template("Y").value(binding, words) is None
    assert Template("_").value(binding, words) is None
    assert Template("f(X, 3)").value(binding, words) == clingo.Function("f", [money, clingo.Number(3)])
    assert Template("f(Y)").value(binding, words) is None
