"""The case grammar's happy path: literals become exact values, statements keep their shape,
and every value keeps the line and column it was written at."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies

from pos_logic.errors import Span
from pos_logic.language.load import load_case_text
from pos_logic.language.parse import parse_text
from pos_logic.language.syntax import Statement, Value
from pos_logic.language.values import MAX_CENTS, MAX_INT, Money, Percent

FILE = "p.pos"


def statements(text: str) -> tuple[Statement, ...]:
    return parse_text(text, FILE)


def value(literal: str) -> Value:
    """The one value of `x <literal>`."""
    (st,) = statements(f"x {literal}\n")
    (v,) = st.values()
    return v


def attribute(case, name: str, entity=None):
    entity = entity or case.agreements[0]
    return next(a for a in entity.attributes if a.name == name)


# -- literals -----------------------------------------------------------------------------------

@pytest.mark.parametrize("literal, cents", [
    ("$48,000.00", 4_800_000),
    ("$48000", 4_800_000),
    ("$48000.00", 4_800_000),
    ("$48,000", 4_800_000),
    ("$0.05", 5),
    ("$0", 0),
    ("$18.75", 1875),
    ("$1,234,567.89", 123_456_789),
    ("$999,999,999,999.99", MAX_CENTS),
])
def test_an_amount_is_exact_integer_cents(literal, cents):
    v = value(literal)
    assert (v.kind, v.value, v.text) == ("money", Money(cents), literal)


@pytest.mark.parametrize("literal, basis_points", [
    ("12.5%", 1250), ("12%", 1200), ("12.50%", 1250), ("0.25%", 25), ("0%", 0), ("100%", 10_000),
    ("7.05%", 705),
])
def test_a_percentage_is_exact_basis_points(literal, basis_points):
    v = value(literal)
    assert (v.kind, v.value) == ("percent", Percent(basis_points))


@pytest.mark.parametrize("literal, date", [
    ("2025-07-01", dt.date(2025, 7, 1)),
    ("2024-02-29", dt.date(2024, 2, 29)),
    ("2000-02-29", dt.date(2000, 2, 29)),
    ("2025-12-31", dt.date(2025, 12, 31)),
])
def test_a_date_is_a_calendar_date(literal, date):
    v = value(literal)
    assert (v.kind, v.value, v.text) == ("date", date, literal)


def test_a_period_is_a_pair_of_dates_spanning_both():
    v = value("2025-07-01 to 2026-06-30")
    assert v.kind == "period"
    assert v.value == (dt.date(2025, 7, 1), dt.date(2026, 6, 30))
    assert v.text == "2025-07-01 to 2026-06-30"
    assert (v.span.line, v.span.column, v.span.end_column) == (1, 3, 27)


def test_a_period_of_one_day_is_a_period():
    assert value("2025-07-01 to 2025-07-01").value == (dt.date(2025, 7, 1),) * 2


def test_a_period_may_be_spaced_freely_on_its_line():
    assert value("2025-07-01\tto   2026-06-30").value == (dt.date(2025, 7, 1), dt.date(2026, 6, 30))


@pytest.mark.parametrize("literal, number", [("0", 0), ("3", 3), ("007", 7), (str(MAX_INT), MAX_INT)])
def test_a_whole_number_up_to_two_to_the_31_minus_one_is_an_int(literal, number):
    v = value(literal)
    assert (v.kind, v.value) == ("number", number)


@pytest.mark.parametrize("literal, text", [
    ('"Acme Counseling Services, Inc."', "Acme Counseling Services, Inc."),
    ('"Acme \\"Counseling\\" LLC"', 'Acme "Counseling" LLC'),
    ('"back\\\\slash"', "back\\slash"),
    ('"a\\\\"', "a\\"),
    ('""', ""),
    ('"# not a comment; not a separator { }"', "# not a comment; not a separator { }"),
    ('"Café 日本"', "Café 日本"),
])
def test_a_quoted_name_is_its_text_with_escapes_resolved(literal, text):
    v = value(literal)
    assert (v.kind, v.value, v.text) == ("string", text, literal)


def test_backslash_n_and_backslash_t_in_a_quoted_name_are_a_newline_and_a_tab():
    assert value('"line one\\nline two\\tend"').value == "line one\nline two\tend"


@pytest.mark.parametrize("literal", ["DCFS", "OSP-1", "DHS-1366-A", "nonprofit_corporation", "yes",
                                     "_x", "to"])
def test_a_bare_word_is_a_name(literal):
    v = value(literal)
    assert (v.kind, v.value) == ("name", literal)


def test_a_list_holds_its_values_in_order():
    v = value('[OSP-1, "PCS-D", $5.00, 12%]')
    assert v.kind == "list"
    assert [(i.kind, i.value) for i in v.value] == [
        ("name", "OSP-1"), ("string", "PCS-D"), ("money", Money(500)), ("percent", Percent(1200))]


def test_an_empty_list_is_a_list_of_nothing():
    v = value("[]")
    assert (v.kind, v.value) == ("list", ())


def test_a_list_may_span_lines_with_comments_between_items():
    (st,) = statements("on_file [\n    OSP-1,   # the contract\n    PCS-D\n    # more to come\n]\n")
    (v,) = st.values()
    assert [i.value for i in v.value] == ["OSP-1", "PCS-D"]
    assert (v.span.line, v.span.end_line) == (1, 5)
    assert [i.span.line for i in v.value] == [2, 3]


def test_a_call_holds_its_name_and_arguments():
    v = value("total($48,000.00, [a,\n b])")
    name, args = v.value
    assert (v.kind, name) == ("call", "total")
    assert [a.kind for a in args] == ["money", "list"]
    assert [i.value for i in args[1].value] == ["a", "b"]


# -- statements -----------------------------------------------------------------------------------

def test_values_separated_by_spaces_form_one_group_and_commas_start_another():
    (st,) = statements('funding federal "SSBG" $30,000.00, state "GR" $18,000.00\n')
    assert [[v.value for v in g] for g in st.groups] == [
        ["federal", "SSBG", Money(3_000_000)], ["state", "GR", Money(1_800_000)]]
    assert [v.kind for v in st.values()] == ["name", "string", "money", "name", "string", "money"]


def test_a_comma_at_the_end_of_a_line_continues_the_statement_on_the_next():
    (st,) = statements("approved css,\n         dfa,\n         osp\nnext 1\n")[:1]
    assert [v.value for v in st.values()] == ["css", "dfa", "osp"]


def test_semicolons_separate_statements_like_newlines():
    by_semicolon = statements('case "x"; jurisdiction arkansas;; as_of 2025-01-01;\n')
    by_newline = statements('case "x"\njurisdiction arkansas\n\nas_of 2025-01-01\n')
    assert [(s.name, s.values()[0].value) for s in by_semicolon] == \
        [(s.name, s.values()[0].value) for s in by_newline]


def test_a_block_holds_its_statements_on_one_line_or_many():
    one_line = statements('interest "Jane Roe" { role state_employee; link spouse; ownership 12% }\n')
    many = statements('interest "Jane Roe" {\n  role state_employee\n  link spouse\n\n  ownership 12%\n}\n')
    for (st,) in (one_line, many):
        assert st.values()[0].value == "Jane Roe"
        assert [(s.name, s.values()[0].value) for s in st.block] == [
            ("role", "state_employee"), ("link", "spouse"), ("ownership", Percent(1200))]


def test_an_empty_block_is_an_empty_tuple_and_no_block_is_none():
    with_block, without = statements("contractor { }\ncontractor\n")
    assert with_block.block == ()
    assert without.block is None


def test_blocks_nest():
    (st,) = statements('contract "A" {\n  contractor {\n    interest "J" { role self }\n  }\n}\n')
    (contractor,) = st.block
    (interest,) = contractor.block
    assert (contractor.name, interest.name, interest.block[0].name) == ("contractor", "interest", "role")


def test_comments_and_blank_lines_are_ignored_wherever_they_fall():
    text = ("# leading comment\n\n"
            "case \"x\"   # trailing comment\n"
            "   # indented comment\n"
            "contract \"A\" { # after a brace\n"
            "  # inside a block\n"
            "  compensation $5.00 # after a value\n"
            "}\n"
            "# last line without newline")
    sts = statements(text)
    assert [s.name for s in sts] == ["case", "contract"]
    assert [s.name for s in sts[1].block] == ["compensation"]


def test_a_file_without_statements_parses_to_nothing():
    for text in ("", "\n\n", "# only a comment", ";;\n;"):
        assert statements(text) == ()


def test_a_name_is_a_statement_without_values_or_block():
    (st,) = statements("handles_phi\n")
    assert (st.name, st.groups, st.block) == ("handles_phi", (), None)


# -- spans ------------------------------------------------------------------------------------

SPANNED = (
    'case "Acme"\n'                                  # 1
    'contract "Acme" {\n'                            # 2
    '    compensation   $48,000.00\n'                # 3
    '\tterm 2025-07-01 to 2026-06-30\n'              # 4
    '    on_file [OSP-1, PCS-D]\n'                   # 5
    '}\n'                                            # 6
)


def test_every_value_keeps_the_line_and_columns_it_was_written_at():
    _, contract = statements(SPANNED)
    comp, term, on_file = contract.block
    assert comp.values()[0].span == Span(FILE, 3, 20, 3, 30)
    assert term.values()[0].span == Span(FILE, 4, 7, 4, 31)
    docs = on_file.values()[0]
    assert docs.span == Span(FILE, 5, 13, 5, 27)
    assert [i.span for i in docs.value] == [Span(FILE, 5, 14, 5, 19), Span(FILE, 5, 21, 5, 26)]


def test_a_statement_keeps_the_span_of_its_name_and_of_its_whole_text():
    case, contract = statements(SPANNED)
    assert case.name_span == Span(FILE, 1, 1, 1, 5)
    assert contract.span.line == 2 and contract.span.end_line == 6
    assert contract.block[0].name_span == Span(FILE, 3, 5, 3, 17)


def test_a_statement_ends_where_its_block_its_last_list_or_its_last_call_closes():
    case, contract = statements(SPANNED)
    assert case.span == Span(FILE, 1, 1, 1, 12)
    assert contract.span == Span(FILE, 2, 1, 6, 2)                 # the closing brace
    assert contract.block[2].span == Span(FILE, 5, 5, 5, 27)       # the list's closing bracket
    (st,) = statements("x f(1,\n  [ ]\n)\n")
    (call,) = st.values()
    assert (call.span, st.span) == (Span(FILE, 1, 3, 3, 2), Span(FILE, 1, 1, 3, 2))
    assert call.value[1][1].span == Span(FILE, 2, 3, 2, 6)          # an empty list: its brackets


def test_files_parsed_at_once_in_threads_keep_their_own_names_and_errors():
    """One parser serves every thread; what it is building belongs to one file at a time."""
    from concurrent.futures import ThreadPoolExecutor
    from pos_logic.errors import InputError

    def parsed(n: int):
        name = f"f{n}.pos"
        text = SPANNED if n % 3 else "x $1,00\n" + "y [1, 2]\n" * 50
        try:
            return [str(st.span) for st in parse_text(text, name)]
        except InputError as err:
            return [f"{d.file}:{d.line}:{d.column}: {d.message}" for d in err.diagnostics]

    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(parsed, range(60)))
    assert together == [parsed(n) for n in range(60)]
    assert together[0] == ["f0.pos:1:3: $1,00 is not an amount: write dollars and cents like $48,000.00 or $48000"]


def test_a_span_prints_as_file_line_column():
    _, contract = statements(SPANNED)
    assert str(contract.block[0].values()[0].span) == "p.pos:3:20"


def test_crlf_line_endings_give_the_same_statements_and_spans_as_lf():
    assert statements(SPANNED.replace("\n", "\r\n")) == statements(SPANNED)


def test_crlf_line_endings_do_not_end_up_in_values():
    (st,) = statements('on_file [OSP-1,\r\n  PCS-D]\r\ncost_center "4410"\r\n')[:1]
    assert [i.value for i in st.values()[0].value] == ["OSP-1", "PCS-D"]


def test_the_checked_case_keeps_the_spans_of_its_values():
    case = load_case_text('jurisdiction arkansas\ncontract "Acme" {\n  term 2025-07-01 to 2026-06-30\n'
                          '  compensation $48,000.00\n  contractor { }\n}\n', FILE)
    (comp,) = attribute(case, "compensation").items[0]
    assert comp.span == Span(FILE, 4, 16, 4, 26)
    assert case.source_line(comp.span.line) == "compensation $48,000.00"


# -- a whole case, checked --------------------------------------------------------------------

CASE = '''\
# Acme counseling: new standard PCS contract for FY2026
case "Acme \\"counseling\\", new FY2026 contract"
jurisdiction arkansas          # selects policies/arkansas
as_of 2025-05-20

contract "Acme Counseling Services, Inc." {
    division       dcfs
    kind           professional;  action new
    term           2025-07-01 to 2026-06-30
    compensation   $40,000.00
    reimbursable   $8000
    cost_center    "4410"
    on_file        [osp-1,
                    PCS-D]
    approved       css, dfa
    contractor {
        entity     nonprofit_corporation
        interest "Jane Roe" { role state_employee; link spouse; ownership 12.5% }
    }
}

expect {
    approval    dfa, review_subcommittee
    violation   none
}
'''


def test_a_whole_case_loads_into_typed_values():
    case = load_case_text(CASE, FILE)
    assert case.title == 'Acme "counseling", new FY2026 contract'
    assert (case.jurisdiction, case.as_of) == ("arkansas", dt.date(2025, 5, 20))
    (contract,) = case.agreements
    assert contract.title == "Acme Counseling Services, Inc."
    assert attribute(case, "compensation").items == (
        (Value("money", Money(4_000_000), Span(FILE, 10, 20, 10, 30), "$40,000.00"),),)
    assert attribute(case, "reimbursable").items[0][0].value == Money(800_000)
    assert attribute(case, "term").items[0][0].value == (dt.date(2025, 7, 1), dt.date(2026, 6, 30))
    assert attribute(case, "action").items[0][0].value == "new"
    assert attribute(case, "cost_center").items[0][0].value == "4410"
    (contractor,) = contract.children
    (interest,) = contractor.children
    assert interest.title == "Jane Roe"
    assert attribute(case, "ownership", interest).items[0][0].value == Percent(1250)


def test_enum_values_and_document_names_take_the_schemas_spelling():
    case = load_case_text(CASE, FILE)
    assert attribute(case, "division").items[0][0].value == "DCFS"
    assert [item[0].value for item in attribute(case, "on_file").items] == ["OSP-1", "PCS-D"]
    assert [item[0].value for item in attribute(case, "approved").items] == ["css", "dfa"]


def test_expect_lines_become_expectations():
    case = load_case_text(CASE, FILE)
    assert [(e.mode, e.kind, e.key) for e in case.expectations] == [
        ("present", "approval", ("dfa",)), ("present", "approval", ("review_subcommittee",)),
        ("none", "violation", ())]


def test_a_case_in_crlf_loads_like_the_same_case_in_lf():
    crlf, lf = load_case_text(CASE.replace("\n", "\r\n"), FILE), load_case_text(CASE, FILE)
    assert (crlf.title, crlf.agreements, crlf.expectations) == (lf.title, lf.agreements, lf.expectations)


def test_the_source_line_of_a_value_after_a_form_feed_is_the_line_it_is_on():
    case = load_case_text('jurisdiction arkansas\f\ncontract "Acme" {\n  term 2025-07-01 to 2026-06-30\n'
                          '  compensation $48,000.00\n  contractor { }\n}\n', FILE)
    (comp,) = attribute(case, "compensation").items[0]
    assert case.source_line(comp.span.line) == "compensation $48,000.00"


def test_amounts_separated_by_commas_are_separate_values():
    from pos_logic.language.parse import parse_text
    [st] = parse_text("x [$5, $6], $7\n", "m.pos")
    items = st.groups[0][0].value
    assert [v.value.cents for v in items] == [500, 600]
    assert st.groups[1][0].value.cents == 700


# -- the fast parser and the careful one ---------------------------------------------------------

def _by(which: str, text: str):
    """What one of the two parsers makes of `text` (a newline added, as parse_text does): its
    statements and literal errors, or the kind of syntax error that stops it."""
    from lark.exceptions import UnexpectedInput

    from pos_logic.language import parse

    parsers = parse._parsers()
    with parsers.lock:
        parsers.builder.begin(FILE)
        try:
            made = getattr(parsers, which).parse(parse.one_newline(text) + "\n")
        except UnexpectedInput:
            return "syntax error"
        return made, [str(d) for d in parsers.builder.errors]


#: pieces of case text an edit inserts: every kind of token, and what breaks one
_PIECES = ["{", "}", "[", "]", "(", ")", ",", ";", "\n", " ", "#note\n", '"a b"', '"', "$1,000.00", "$",
           "-$5", "12.5%", "2025-07-01", "2025-13-01", "to", "through", "x", "-", "07/01/2025", "1.5", "0"]
_SEEDS = sorted(p for p in (Path(__file__).parent.parent / "cases").rglob("*.pos"))


def test_the_fast_parser_is_lark_cythons_where_it_is_installed(monkeypatch):
    """pyproject.toml installs lark-cython wherever it has a wheel: without it every file is
    parsed at Lark's own speed, a fifth slower or more (bench/README.md), which nothing else
    would show."""
    lark_cython = pytest.importorskip("lark_cython", reason="no lark-cython wheel for this Python")

    from pos_logic.errors import InputError
    from pos_logic.language import parse

    parsers = parse._Parsers()
    assert parsers.fast.options._plugins is lark_cython.plugins
    monkeypatch.setattr(parse, "_parsers", lambda: parsers)
    statements(SPANNED)
    assert "careful" not in vars(parsers)  # made only for a file the fast one rejects: a second Lark is ~5 ms
    with pytest.raises(InputError):
        statements("x )\n")
    assert parsers.careful.options._plugins == {}


_EDIT = strategies.tuples(strategies.floats(0, 1), strategies.integers(0, 6), strategies.sampled_from(_PIECES))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=strategies.sampled_from(_SEEDS), edits=strategies.lists(_EDIT, max_size=4))
def test_the_fast_parser_makes_what_the_careful_one_makes(seed, edits):
    """A file is parsed by lark-cython; one it rejects is parsed again by Lark's own parser,
    which reports every error. So on any text the fast one accepts it must make the careful
    one's statements and literal errors, and it must accept every text the careful one does."""
    text = seed.read_text(encoding="utf-8")
    for where, cut, piece in edits:  # replace a few characters somewhere with a piece
        at = int(where * len(text))
        text = text[:at] + piece + text[at + cut:]
    assert _by("fast", text) == _by("careful", text)


def _reported(text: str) -> list[str]:
    from pos_logic.errors import InputError

    with pytest.raises(InputError) as caught:
        statements(text)
    return [str(d) for d in caught.value.diagnostics]


def _without_lark_cython(monkeypatch, work):
    """work() with Lark's own parser alone, as where lark-cython has no wheel (pyproject.toml)."""
    from pos_logic.language import parse

    monkeypatch.setattr(parse, "_compiled", None)
    parse._parsers.cache_clear()
    try:
        assert parse._parsers().fast is parse._parsers().careful
        return work()
    finally:
        parse._parsers.cache_clear()


@pytest.mark.parametrize("text", [
    "a $1,00\nb ) 1\nc 2025-07-01 to\nd { e 1\n",  # a literal error, then syntax errors on later lines
    "a [1, 2\nb 3\n",                                  # a list left open
    "a $1,00 2025-02-30\n",                            # literal errors alone: the fast parser accepts it
])
def test_a_file_with_errors_reports_what_larks_own_parser_reports(monkeypatch, text):
    """lark-cython cannot resume after an error: a file it rejects is parsed again by Lark's
    own parser, so every error is reported, and nothing of the failed try is kept."""
    with_it = _reported(text)
    assert with_it == _without_lark_cython(monkeypatch, lambda: _reported(text))


def test_without_lark_cython_files_parse_alike(monkeypatch):
    assert statements(SPANNED) == _without_lark_cython(monkeypatch, lambda: statements(SPANNED))
