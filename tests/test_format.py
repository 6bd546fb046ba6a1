"""The canonical case-file layout (`pos_logic.tools.format`): formatting is a fixed point, never changes
what a case says, keeps every comment, and never rewrites a broken file.

The properties run over every `.pos` file under cases/ (found when the tests are collected, so
new cases are covered at once) and over cases Hypothesis writes with random spellings, spacing,
line breaks and comments. The helpers here do not use the formatter's own safety net: meaning is
compared as parsed statements without positions, comments are found by a scan of their own.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from pos_logic.errors import InputError, Span
from pos_logic.tools.format import format_file, format_text
from pos_logic.language.parse import parse_text
from pos_logic.language.syntax import Statement, Value
from pos_logic.language.values import MAX_CENTS, MAX_INT, Money, Percent

FILE = "f.pos"
CASES_ROOT = Path(__file__).resolve().parent.parent / "cases"
CASE_FILES = sorted(CASES_ROOT.rglob("*.pos"))
#: where each top-level statement goes in the canonical order (anything else: agreements, 4)
RANK = {"case": 0, "jurisdiction": 1, "as_of": 2, "setting": 3, "expect": 5}


def fmt(text: str) -> str:
    return format_text(text, FILE)


# -- what a case says, and its comments, independent of the formatter ------------------------------

def shape(st_or_v):
    """A statement or value as the checker sees it: no positions, no spellings."""
    if isinstance(st_or_v, Statement):
        block = None if st_or_v.block is None else tuple(shape(s) for s in st_or_v.block)
        return (st_or_v.name, tuple(tuple(shape(v) for v in g) for g in st_or_v.groups), block)
    v = st_or_v
    if v.kind == "list":
        return ("list", tuple(shape(i) for i in v.value))
    if v.kind == "call":
        return ("call", v.value[0], tuple(shape(a) for a in v.value[1]))
    return (v.kind, v.value)


def meaning(text: str) -> list:
    """The statements of a text in canonical top-level order (a stable sort)."""
    statements = parse_text(text, FILE)
    return [shape(s) for s in sorted(statements, key=lambda s: RANK.get(s.name, 4))]


def comments(text: str) -> list[str]:
    """Every comment of a text, in order: a `#` outside a quoted string (strings stay on one line)."""
    found = []
    for row in text.split("\n"):
        in_string = escaped = False
        for i, ch in enumerate(row):
            if in_string:
                if escaped:
                    escaped = False
                elif ch == "\\":
                    escaped = True
                elif ch == '"':
                    in_string = False
            elif ch == '"':
                in_string = True
            elif ch == "#":
                found.append(row[i:].rstrip())
                break
    return found


def assert_canonical(text: str) -> str:
    """Format; check the fixed point, the meaning, the comments and the basic layout; return it."""
    once = fmt(text)
    assert fmt(once) == once, "formatting twice changes the text"
    assert meaning(once) == meaning(text), "formatting changes what the case says"
    assert sorted(comments(once)) == sorted(comments(text)), "formatting loses or changes comments"
    rows = once.split("\n")
    assert once == "" or (once.endswith("\n") and not once.endswith("\n\n"))
    assert all(row == row.rstrip() for row in rows), "a line ends in spaces"
    assert all((len(row) - len(row.lstrip(" "))) % 4 == 0 for row in rows), "indentation is not by 4"
    assert "\n\n\n" not in once, "two blank lines in a row"
    return once


# -- the case corpus -----------------------------------------------------------------------------

def _corpus_text(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    try:
        parse_text(text, str(path))
    except InputError:
        pytest.skip(f"{path.name} does not parse; its own case test reports that")
    return text


@pytest.mark.parametrize("path", CASE_FILES, ids=[str(p.relative_to(CASES_ROOT)) for p in CASE_FILES])
def test_every_case_file_formats_to_a_fixed_point_that_says_the_same_with_the_same_comments(path):
    assert_canonical(_corpus_text(path))


def test_the_case_corpus_is_not_empty():
    assert CASE_FILES, f"no .pos files under {CASES_ROOT}"


# -- generated cases -------------------------------------------------------------------------------

_SPAN = Span("gen.pos", 1, 1)
_names = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,7}(-[A-Za-z0-9_]{1,4}){0,2}", fullmatch=True) \
    .filter(lambda s: s != "to")  # `to` after a date is the period keyword
_statement_names = st.one_of(st.sampled_from(["case", "jurisdiction", "as_of", "setting", "expect",
                                              "contract", "purchase_order", "not"]), _names)
_dates = st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31))
_string_chars = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")) | st.sampled_from(
    ['"', "\\", "\n", "\t", "#", "{", "}", ";", ",", "[", "q", "n", "t"])
_comment_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")),
                        max_size=20)


def _value(kind: str, value) -> Value:
    return Value(kind, value, _SPAN, "")


_leaves = st.one_of(
    st.integers(0, MAX_CENTS).map(lambda c: _value("money", Money(c))),
    st.integers(0, 100_000_000).map(lambda b: _value("percent", Percent(b))),
    st.integers(0, MAX_INT).map(lambda n: _value("number", n)),
    _dates.map(lambda d: _value("date", d)),
    st.tuples(_dates, _dates).map(lambda p: _value("period", tuple(sorted(p)))),
    st.text(_string_chars, max_size=12).map(lambda s: _value("string", s)),
    _names.map(lambda n: _value("name", n)),
)
_values = st.recursive(_leaves, lambda inner: st.one_of(
    st.lists(inner, max_size=5).map(lambda items: _value("list", tuple(items))),
    st.tuples(_names, st.lists(inner, min_size=1, max_size=3)).map(
        lambda c: _value("call", (c[0], tuple(c[1]))))), max_leaves=10)


def _statements(depth: int = 0):
    block = st.none() if depth >= 2 else st.one_of(
        st.none(), st.lists(st.deferred(lambda: _statements(depth + 1)), max_size=5).map(tuple))
    return st.builds(
        lambda name, groups, block: Statement(name, _SPAN, groups, block, _SPAN),
        _statement_names,
        st.lists(st.lists(_values, min_size=1, max_size=3).map(tuple), max_size=3).map(tuple),
        block)


_cases = st.lists(_statements(), max_size=6)


class Messy:
    """Writes statements as a person might: any valid spelling, spacing and line breaks, with
    comments wherever the grammar lets a line end (when `with_comments`)."""

    def __init__(self, draw, with_comments: bool = True, inline_block=None, blank_lines: bool = True):
        self.draw, self.with_comments = draw, with_comments
        #: whether blank lines may separate statements (the canonical form keeps one)
        self.blank_lines = blank_lines
        #: decides which blocks are written on one line; None: at random
        self.inline_block = inline_block
        self.one_line = 0  # > 0 while writing a block that must stay on one line

    def pick(self, options):
        return self.draw(st.sampled_from(options))

    def flip(self) -> bool:
        return self.draw(st.booleans())

    def space(self) -> str:
        return self.pick([" ", "  ", "\t", " \t "])

    def comment(self) -> str:
        return "#" + self.draw(_comment_text)

    def newline(self, level: int, between_statements: bool = False) -> str:
        """One line break: maybe a trailing comment, blank and comment lines, then indentation."""
        out = ""
        if self.with_comments and self.flip():
            out += self.pick(["", " ", "   "]) + self.comment()
        out += "\n"
        more = 2 if self.blank_lines or self.with_comments or not between_statements else 0
        for _ in range(self.draw(st.integers(0, more))):
            if self.with_comments and self.flip():
                out += self.pick(["", "  ", "\t"]) * level + self.comment() + "\n"
            else:
                out += self.pick(["", "   "]) + "\n"
        return out + self.pick(["    ", "  ", "\t"]) * level

    def maybe_newline(self, level: int) -> str:
        if self.one_line or self.flip():
            return self.pick(["", " "])
        return self.newline(level)

    def separator(self, level: int) -> str:
        if self.one_line:
            return self.pick(["; ", ";", " ;; "])
        return self.pick(["; ", ";"]) if self.flip() else self.newline(level, between_statements=True)

    # -- values -------------------------------------------------------------------------------
    def value(self, v: Value, level: int) -> str:
        kind, value = v.kind, v.value
        if kind == "money":
            dollars, cents = divmod(value.cents, 100)
            whole = f"{dollars:,}" if self.flip() else str(dollars)
            return f"${whole}" if cents == 0 and self.flip() else f"${whole}.{cents:02d}"
        if kind == "percent":
            whole, frac = divmod(value.basis_points, 100)
            spellings = [f"{whole}.{frac:02d}%"]
            if frac % 10 == 0:
                spellings.append(f"{whole}.{frac // 10}%")
            if frac == 0:
                spellings.append(f"{whole}%")
            return self.pick(spellings)
        if kind == "number":
            return "0" * self.draw(st.integers(0, 2)) + str(value)
        if kind == "date":
            return self.date(value)
        if kind == "period":
            return self.date(value[0]) + self.space() + "to" + self.space() + self.date(value[1])
        if kind == "string":
            return '"' + "".join(self.char(c) for c in value) + '"'
        if kind == "list":
            items = [self.value(i, level + 1) for i in value]
            body = self.joined(items, value, level + 1)
            if items and self.flip():  # a list may end with a comma
                body += self.comma_after(value[-1], items[-1], level + 1)
            return "[" + self.maybe_newline(level + 1) + body + self.maybe_newline(level) + "]"
        if kind == "call":
            name, args = value
            texts = [self.value(a, level + 1) for a in args]
            return name + "(" + self.maybe_newline(level + 1) + self.joined(texts, args, level + 1) \
                + self.maybe_newline(level) + ")"
        return value

    def joined(self, texts: list[str], values, level: int) -> str:
        out = ""
        for i, text in enumerate(texts):
            if i:
                out += self.comma_after(values[i - 1], texts[i - 1], level)
            out += text
        return out

    def comma_after(self, value: Value, text: str, level: int) -> str:
        # `$5,` would read as one (bad) amount: an amount without cents needs a space first
        bare_amount = value.kind == "money" and "." not in text
        return (" " if bare_amount else "") + self.maybe_newline(level) + "," + self.maybe_newline(level)

    def date(self, d: dt.date) -> str:
        return d.isoformat()  # the one spelling the parser accepts

    def char(self, c: str) -> str:
        if c in '\\"':
            return "\\" + c
        if c == "\n":
            return "\\n"
        if c == "\t":
            return self.pick(["\\t", "\t"])
        if c not in "nt" and self.draw(st.integers(0, 5)) == 0:
            return "\\" + c  # a needless escape means the character itself
        return c

    # -- statements ---------------------------------------------------------------------------
    def statement(self, s: Statement, level: int) -> str:
        out, last_text = s.name, ""
        for i, group in enumerate(s.groups):
            if i:
                # `$5,` would read as one (bad) amount: an amount without cents needs a space first
                bare_amount = s.groups[i - 1][-1].kind == "money" and "." not in last_text
                out += (" " if bare_amount else "") + "," \
                    + (self.pick([" ", ""]) if self.one_line or self.flip() else self.newline(level + 1))
            else:
                out += self.space()
            texts = [self.value(v, level + 1) for v in group]
            last_text = texts[-1]
            out += self.space().join(texts)
        if s.block is None:
            return out
        inline = self.flip() if self.inline_block is None else self.inline_block(s)
        out += self.space() + "{"
        if inline or self.one_line:
            self.one_line += 1
            body = self.separator(level + 1).join(self.statement(c, level + 1) for c in s.block)
            self.one_line -= 1
            return out + (" " + body + " " if body else self.pick(["", " "])) + "}"
        body = ""
        for i, child in enumerate(s.block):
            body += (self.separator(level + 1) if i else "") + self.statement(child, level + 1)
        if not s.block:
            return out + self.newline(level) + "}"
        return out + self.newline(level + 1) + body + self.newline(level) + "}"

    def case(self, statements: list[Statement]) -> str:
        out = self.newline(0) if self.flip() else ""
        for i, s in enumerate(statements):
            out += (self.separator(0) if i else "") + self.statement(s, 0)
        return out + (self.newline(0) if self.flip() else "")


@st.composite
def messy_cases(draw, with_comments=True):
    return Messy(draw, with_comments).case(draw(_cases))


_settings = settings(max_examples=75, deadline=None,
                     suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@_settings
@given(messy_cases())
def test_a_generated_case_formats_to_a_fixed_point_that_says_the_same_with_the_same_comments(text):
    assert_canonical(text)


@_settings
@given(st.data(), _cases)
def test_the_canonical_form_does_not_depend_on_spacing_line_breaks_or_spelling(data, statements):
    def inline_block(s):  # the one thing of the layout the canonical form keeps
        return len(s.block) % 2 == 0
    plain = Messy(data.draw, False, inline_block, blank_lines=False).case(statements)
    other = Messy(data.draw, False, inline_block, blank_lines=False).case(statements)
    assert fmt(plain) == fmt(other)


@pytest.mark.skipif(not CASE_FILES, reason="no case files")
@_settings
@given(st.data(), st.sampled_from(CASE_FILES or [None]))
def test_a_case_file_rewritten_with_other_spacing_and_comments_still_formats_soundly(data, path):
    statements = list(parse_text(path.read_text(encoding="utf-8"), str(path)))
    assert_canonical(Messy(data.draw).case(statements))


# -- values --------------------------------------------------------------------------------------

@pytest.mark.parametrize("written, canonical", [
    ("$48000", "$48,000.00"),
    ("$48,000", "$48,000.00"),
    ("$48000.00", "$48,000.00"),
    ("$0", "$0.00"),
    ("$0.05", "$0.05"),
    ("$1234567.89", "$1,234,567.89"),
    ("$999", "$999.00"),
    ("$1000", "$1,000.00"),
    ("-$1200", "-$1,200.00"),                 # a signed_money attribute (an adjustment)
    ("$-0.05", "-$0.05"),
])
def test_an_amount_is_written_with_thousands_separators_and_cents(written, canonical):
    assert fmt(f"compensation {written}\n") == f"compensation {canonical}\n"


@pytest.mark.parametrize("written, canonical", [
    ("12.50%", "12.5%"), ("12.5%", "12.5%"), ("12.00%", "12%"), ("12.0%", "12%"), ("12%", "12%"),
    ("0.05%", "0.05%"), ("0%", "0%"), ("7.10%", "7.1%"),
])
def test_a_percentage_is_written_with_the_fewest_decimals(written, canonical):
    assert fmt(f"ownership {written}\n") == f"ownership {canonical}\n"


@pytest.mark.parametrize("written, canonical", [
    ("2025-07-01", "2025-07-01"),
    ("2025-07-01   to\t2026-06-30", "2025-07-01 to 2026-06-30"),
    ("007", "7"),
    ("[ OSP-1 ,PCS-D ]", "[OSP-1, PCS-D]"),
    ("[\n  OSP-1,\n  PCS-D\n]", "[OSP-1, PCS-D]"),
    ("[OSP-1, PCS-D,]", "[OSP-1, PCS-D]"),
    ("[]", "[]"),
    ("missing_document( PCS-D )", "missing_document(PCS-D)"),
    ('"Acme, \\"the\\" best"', '"Acme, \\"the\\" best"'),
    ('"back\\\\slash"', '"back\\\\slash"'),
    ('"tab\there"', '"tab\\there"'),
    ('"line\\nbreak"', '"line\\nbreak"'),
    ('"needless \\q escape"', '"needless q escape"'),
])
def test_a_value_is_written_in_its_one_canonical_spelling(written, canonical):
    assert fmt(f"x {written}\n") == f"x {canonical}\n"


def test_values_are_one_space_apart_and_comma_groups_a_comma_and_a_space_apart():
    assert fmt("approval   dfa\t because  AR-1 ,css,\n   peer\n") == "approval dfa because AR-1, css, peer\n"


# -- order and layout ----------------------------------------------------------------------------

def test_header_lines_come_first_then_agreements_then_expect_blocks():
    text = ('expect "A" {\n    violation none\n}\ncontract "A" { compensation $5.00 }\n'
            "setting pcs_d after_only\nas_of 2025-05-01\njurisdiction arkansas\ncase \"Demo\"\n"
            'purchase_order "B" { compensation $6.00 }\nexpect "B" { violation none }\n')
    assert fmt(text) == (
        'case "Demo"\njurisdiction arkansas\nas_of 2025-05-01\nsetting pcs_d after_only\n\n'
        'contract "A" { compensation $5.00 }\n\npurchase_order "B" { compensation $6.00 }\n\n'
        'expect "A" {\n    violation none\n}\n\nexpect "B" { violation none }\n')


def test_attributes_keep_the_order_they_were_written_in():
    text = 'contract "A" {\n    term 2025-07-01 to 2026-06-30\n    division DCFS\n    compensation $1\n}\n'
    assert fmt(text) == text.replace("$1\n", "$1.00\n")


def test_blocks_are_indented_four_spaces_a_level_and_statements_split_one_per_line():
    text = 'contract "A" {\n  division DCFS; kind professional\n\tcontractor "C" {\n entity llc\n   }\n}\n'
    assert fmt(text) == ('contract "A" {\n    division DCFS\n    kind professional\n'
                         '    contractor "C" {\n        entity llc\n    }\n}\n')


def test_a_one_line_block_of_three_statements_stays_on_one_line():
    text = 'contract "A" {\n    interest "J" { role x; link y; ownership 12% }\n}\n'
    assert fmt(text) == text


def test_a_one_line_block_of_four_statements_is_expanded():
    text = 'contract "A" {\n    interest "J" { role x; link y; ownership 12%; tie control }\n}\n'
    assert fmt(text) == ('contract "A" {\n    interest "J" {\n        role x\n        link y\n'
                         '        ownership 12%\n        tie control\n    }\n}\n')


def _one_line_block(width: int) -> str:
    """`    x "…" { a b }` exactly `width` columns wide."""
    filler = "n" * (width - len('    x "" { a b }'))
    return f'    x "{filler}" {{ a b }}'


def test_a_one_line_block_of_exactly_100_columns_stays_on_one_line():
    text = f"c {{\n{_one_line_block(100)}\n}}\n"
    assert fmt(text) == text


def test_a_one_line_block_of_101_columns_is_expanded():
    line = _one_line_block(101)
    assert fmt(f"c {{\n{line}\n}}\n") == f"c {{\n{line[:-6]}\n        a b\n    }}\n}}\n"


def test_a_block_written_over_several_lines_stays_expanded():
    text = 'contractor "C" {\n    entity llc\n}\n'
    assert fmt(text) == text


def test_an_empty_block_is_two_braces():
    assert fmt("x {\n\n}\ny { }\n") == "x {}\n\ny {}\n"


def _list_line(width: int) -> tuple[str, list[str]]:
    """`    on_file [...]` exactly `width` columns wide, and its items."""
    items = [f"F-{i:02d}" for i in range(14)]
    line = "    on_file [" + ", ".join(items) + "]"
    items[-1] += "x" * (width - len(line))
    return "    on_file [" + ", ".join(items) + "]", items


def test_a_list_on_a_line_of_exactly_100_columns_stays_on_one_line():
    line, _ = _list_line(100)
    assert len(line) == 100
    text = f'contract "A" {{\n{line}\n}}\n'
    assert fmt(text) == text


def test_a_list_on_a_line_of_101_columns_is_written_one_item_per_line():
    line, items = _list_line(101)
    wrapped = "    on_file [\n" + ",\n".join("        " + i for i in items) + "\n    ]"
    assert fmt(f'contract "A" {{\n{line}\n}}\n') == f'contract "A" {{\n{wrapped}\n}}\n'


def test_a_statement_over_100_columns_puts_each_comma_group_on_its_own_line():
    groups = [f"missing_document(FORM-{i:02d})" for i in range(5)]
    text = "violation " + ", ".join(groups) + "\n"
    assert len(text) > 101
    assert fmt(text) == "violation " + ",\n    ".join(groups) + "\n"


def test_at_most_one_blank_line_is_kept_inside_a_block_and_none_at_its_edges():
    text = 'contract "A" {\n\n    a 1\n\n\n\n    b 2\n    c 3\n\n}\n'
    assert fmt(text) == 'contract "A" {\n    a 1\n\n    b 2\n    c 3\n}\n'


def test_top_level_statements_are_one_blank_line_apart_and_header_lines_stay_together():
    text = 'case "x"\njurisdiction arkansas\n\n\nas_of 2025-01-01\na {}\nb {}\n\n\n\nc 1\n'
    assert fmt(text) == 'case "x"\njurisdiction arkansas\nas_of 2025-01-01\n\na {}\n\nb {}\n\nc 1\n'


def test_windows_line_endings_and_a_missing_last_newline_become_one_newline():
    assert fmt('case "x"\r\njurisdiction arkansas  # here\r\nas_of 2025-01-01') == \
        'case "x"\njurisdiction arkansas  # here\nas_of 2025-01-01\n'


def test_an_empty_file_stays_empty_and_a_file_of_comments_keeps_them():
    assert fmt("") == ""
    assert fmt("\n\n;\n") == ""
    assert fmt("\n# one\n\n\n   # two\n\n") == "# one\n\n# two\n"


# -- comments ------------------------------------------------------------------------------------

ANNOTATED = """\
# Acme: a new contract.

# the agreement
jurisdiction arkansas   # selects policies/arkansas
case "Acme"
contract "Acme" {   # opened 2025-05-01
    # money first
    compensation $40000    # base
    reimbursable $8000


    # people
    contractor "Acme Inc" { entity llc }  # checked
    on_file [OSP-1,   # signed
        # PCS-D comes next
        PCS-D
        # more to come
    ]
    approved dfa,   # done
        css
    # the end of the contract
}   # contract
# the end of the file
"""

ANNOTATED_CANONICAL = """\
# Acme: a new contract.

case "Acme"
# the agreement
jurisdiction arkansas  # selects policies/arkansas

contract "Acme" {  # opened 2025-05-01
    # money first
    compensation $40,000.00  # base
    reimbursable $8,000.00

    # people
    contractor "Acme Inc" { entity llc }  # checked
    on_file [
        OSP-1,  # signed
        # PCS-D comes next
        PCS-D
        # more to come
    ]
    approved dfa,  # done
        css
    # the end of the contract
}  # contract
# the end of the file
"""


def test_comments_stay_above_the_statement_after_them_or_at_the_end_of_their_line():
    assert fmt(ANNOTATED) == ANNOTATED_CANONICAL


def test_a_comment_moves_with_its_statement_and_the_preamble_stays_at_the_top():
    out = fmt(ANNOTATED).split("\n")
    assert out[0] == "# Acme: a new contract."
    assert out[out.index("jurisdiction arkansas  # selects policies/arkansas") - 1] == "# the agreement"


def test_a_comment_in_a_one_line_list_writes_the_list_one_item_per_line():
    assert fmt("on_file [  # the forms\n  OSP-1, PCS-D]\n") == \
        "on_file [  # the forms\n    OSP-1,\n    PCS-D\n]\n"


def test_a_comment_inside_a_call_moves_above_its_line():
    assert fmt("violation missing(a,  # why\n  b)\n") == "# why\nviolation missing(a, b)\n"


def test_a_one_line_block_with_a_comment_keeps_it_on_the_first_line_when_expanded():
    assert fmt("x { a 1; b 2; c 3; d 4 }  # four\n") == "x {  # four\n    a 1\n    b 2\n    c 3\n    d 4\n}\n"


def test_a_trailing_comment_after_several_statements_on_a_line_stays_with_the_last():
    assert fmt("c {\n    a 1; b 2  # both\n}\n") == "c {\n    a 1\n    b 2  # both\n}\n"


def test_a_hash_inside_a_quoted_name_is_not_a_comment():
    text = 'case "Item #4; {really}"  # a comment\n'
    assert fmt(text) == text


# -- bad input and files -------------------------------------------------------------------------

BROKEN = 'case "Acme\njurisdiction arkansas\ncontract "A" {\n    compensation $48000\n'


def test_a_broken_file_raises_the_parsers_input_error():
    with pytest.raises(InputError) as formatting:
        format_text(BROKEN, FILE)
    with pytest.raises(InputError) as parsing:
        parse_text(BROKEN, FILE)
    assert formatting.value.diagnostics == parsing.value.diagnostics


@pytest.mark.parametrize("check", [False, True])
def test_a_broken_file_on_disk_raises_and_is_left_untouched(tmp_path, check):
    path = tmp_path / "broken.pos"
    path.write_bytes(BROKEN.encode())
    before = os.stat(path).st_mtime_ns
    with pytest.raises(InputError):
        format_file(path, check=check)
    assert path.read_bytes() == BROKEN.encode()
    assert os.stat(path).st_mtime_ns == before
    assert [p.name for p in tmp_path.iterdir()] == ["broken.pos"]


def test_a_file_that_is_not_utf8_raises_and_is_left_untouched(tmp_path):
    path = tmp_path / "latin1.pos"
    path.write_bytes('case "Caf\xe9"\n'.encode("latin-1"))
    with pytest.raises(InputError):
        format_file(path)
    assert path.read_bytes() == 'case "Caf\xe9"\n'.encode("latin-1")


def test_format_file_with_check_writes_nothing_and_says_the_file_would_change(tmp_path):
    path = tmp_path / "c.pos"
    path.write_text("compensation $48000\n")
    before = os.stat(path).st_mtime_ns
    assert format_file(path, check=True) is True
    assert path.read_text() == "compensation $48000\n"
    assert os.stat(path).st_mtime_ns == before
    assert [p.name for p in tmp_path.iterdir()] == ["c.pos"]


def test_format_file_rewrites_a_file_in_place_and_says_it_changed(tmp_path):
    path = tmp_path / "c.pos"
    path.write_text("compensation $48000\n")
    path.chmod(0o640)
    assert format_file(path) is True
    assert path.read_text() == "compensation $48,000.00\n"
    assert path.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["c.pos"]


def test_format_file_leaves_a_canonical_file_alone(tmp_path):
    path = tmp_path / "c.pos"
    path.write_text("compensation $48,000.00\n")
    before = os.stat(path).st_mtime_ns
    assert format_file(path) is False
    assert format_file(path, check=True) is False
    assert os.stat(path).st_mtime_ns == before


def test_the_comment_scanner_of_these_tests_sees_through_strings():
    assert comments('x "a # b" "c\\"# d" # e\n# f\n') == ["# e", "# f"]
