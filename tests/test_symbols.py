"""engine/symbols.py reads symbols through clingo's C binding: it must say what the public
properties say, for every kind of symbol clingo has."""

import clingo
import pytest
from hypothesis import given, settings, strategies as st

from pos_logic.engine import symbols

NAMES = st.sampled_from(["", "a", "h", "usd", "_pos_rn_3_h", "fiscal_year"])
LEAVES = st.one_of(
    st.integers(-(2**31), 2**31 - 1).map(clingo.Number),
    st.text(max_size=8).map(clingo.String),
    st.sampled_from([clingo.Infimum, clingo.Supremum]),
    NAMES.filter(bool).map(clingo.Function),
)
TERMS = st.recursive(LEAVES, lambda inner: st.builds(
    lambda name, args, positive: clingo.Function(name, args, positive or not name),
    NAMES, st.lists(inner, max_size=4), st.booleans()), max_leaves=12)
FUNCTIONS = st.builds(lambda name, args: clingo.Function(name, args), NAMES.filter(bool), st.lists(TERMS, max_size=6))


@settings(max_examples=300, deadline=None)
@given(TERMS)
def test_number_is_the_public_number_or_none(sym):
    assert symbols.number(sym) == (sym.number if sym.type is clingo.SymbolType.Number else None)


@settings(max_examples=300, deadline=None)
@given(FUNCTIONS)
def test_arguments_are_the_public_arguments(sym):
    assert symbols.arguments(sym) == sym.arguments


@settings(max_examples=300, deadline=None)
@given(NAMES.filter(bool), st.lists(TERMS, max_size=6))
def test_function_is_the_public_function(name, args):
    made = symbols.function(name, args)
    assert made == clingo.Function(name, args)
    assert str(made) == str(clingo.Function(name, args)) and made.arguments == args


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(-(2**31), 2**31 - 1), min_size=1, max_size=3), st.lists(TERMS, max_size=4))
def test_split_reads_the_leading_numbers_and_keeps_the_rest(numbers, rest):
    sym = clingo.Function("_pos_rn_2_h", [*map(clingo.Number, numbers), *rest])
    assert symbols.split(sym, len(numbers)) == (numbers, rest)


def test_a_record_reads_as_rule_case_head_values():
    sym = clingo.parse_term('_pos_rn_2_h(17, 4, h(document(0, "PCS-D")), usd(0, 25000, 1), "x")')
    (rule, case), (head, *values) = symbols.split(sym, 2)
    assert (rule, case) == (17, 4)
    assert head == clingo.parse_term('h(document(0, "PCS-D"))')
    assert values == [clingo.parse_term("usd(0, 25000, 1)"), clingo.String("x")]


@pytest.mark.parametrize("sym", [clingo.Number(3), clingo.String("f"), clingo.Infimum])
def test_arguments_of_what_is_not_a_function_is_an_error(sym):
    with pytest.raises(TypeError, match="not a function"):
        symbols.arguments(sym)


@pytest.mark.parametrize("text", ['r(1, "two", 3)', "r(1)", "r(x, 2)"])
def test_split_refuses_a_record_without_its_leading_numbers(text):
    with pytest.raises(TypeError, match="does not start with 2 numbers"):
        symbols.split(clingo.parse_term(text), 2)


def _model(add) -> list[clingo.Symbol]:
    ctl = clingo.Control(["--warn=none"])
    with ctl.backend() as backend:
        add(backend)
    ctl.ground([("base", [])])
    with ctl.solve(yield_=True) as handle:
        return sorted(next(iter(handle)).symbols(atoms=True))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(NAMES.filter(bool), st.lists(TERMS, max_size=4).map(tuple)), max_size=12))
def test_facts_added_through_the_c_binding_are_the_facts_the_public_backend_adds(facts):
    def public(backend):
        for name, args in facts:
            backend.add_rule([backend.add_atom(clingo.Function(name, args))])

    assert _model(lambda backend: symbols.add_facts(backend, facts)) == _model(public)
    if facts:
        assert _model(lambda backend: symbols.add_facts(backend, facts))
