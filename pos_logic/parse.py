"""Case text → `syntax.Statement`s, with every syntax error of the file reported at once.

    >>> [s.name for s in parse_text('case "x"\\njurisdiction arkansas\\n', "x.pos")]
    ['case', 'jurisdiction']
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from .errors import Diagnostic, InputError, Span, with_sources
from .resources import grammar_path
from .syntax import Statement, Value
from .values import MAX_CENTS, MAX_INT, Money, Percent

_MONEY = re.compile(r"\$(?P<int>[0-9]{1,3}(,[0-9]{3})*|[0-9]+)(\.(?P<cents>[0-9]{2}))?")
_ESCAPES = {"n": "\n", "t": "\t"}
_TERMINAL_NAMES = {
    "MONEY": "an amount like $1,250.00", "PERCENT": "a percentage like 12%",
    "DATE": "a date like 2025-07-01", "NUMBER": "a number", "STRING": 'a quoted "name"',
    "NAME": "a name", "LBRACE": "'{'", "RBRACE": "'}'", "LSQB": "'['", "RSQB": "']'",
    "LPAR": "'('", "RPAR": "')'", "COMMA": "','", "SEMICOLON": "';'", "_NL": "end of line",
    "TO": "'to'", "$END": "end of file",
}


@lru_cache(maxsize=1)
def _parser() -> Lark:
    return Lark(grammar_path().read_text(encoding="utf-8"), parser="lalr",
                propagate_positions=True, maybe_placeholders=False)


def read_case_file(path: str | Path) -> str:
    """The text of a case file; bytes that are not UTF-8 are an input error at their spot."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError([Diagnostic(str(path), 1, 1, f"cannot read file: {exc.strerror}")]) from None
    try:
        return data.decode("utf-8-sig")  # a BOM (as Notepad writes) is not part of the text
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        line_start = before[before.rfind(b"\n") + 1:]
        column = len(line_start.decode("utf-8", errors="replace")) + 1  # characters, not bytes
        raise InputError([Diagnostic(
            str(path), line, column,
            f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x}); save it as UTF-8")]) from None


def parse_text(text: str, filename: str) -> tuple[Statement, ...]:
    """Parse a case file's text; raise InputError with every problem found."""
    if "\x00" in text:
        i = text.index("\x00")
        line = text.count("\n", 0, i) + 1
        col = i - (text.rfind("\n", 0, i) + 1) + 1
        raise InputError([Diagnostic(filename, line, col, "the file contains a NUL byte; it is not a case file")
                          .with_source(text)])
    if not text.endswith("\n"):
        text += "\n"
    syntax_errors: list[Diagnostic] = []
    seen_lines: set[int] = set()

    def record(err: UnexpectedInput) -> bool:
        diag = _diagnostic(err, filename, text)
        if diag.line not in seen_lines:
            seen_lines.add(diag.line)
            syntax_errors.append(diag)
        # Skip the offending token and go on, so later lines are checked too; stop at the end.
        return not isinstance(err, UnexpectedEOF) and not (
            isinstance(err, UnexpectedToken) and err.token.type == "$END")

    try:
        tree = _parser().parse(text, on_error=record)
    except UnexpectedInput as err:
        record(err)
        tree = None
    if syntax_errors:
        raise InputError(with_sources(syntax_errors, text))
    builder = _Builder(filename)
    statements = builder.transform(tree)
    if builder.errors:
        raise InputError(with_sources(builder.errors, text))
    return statements


def _diagnostic(err: UnexpectedInput, filename: str, text: str) -> Diagnostic:
    expected: set[str] = set()
    if isinstance(err, UnexpectedToken):
        expected = {t for t in err.accepts or err.expected if not t.startswith("__")}
        tok = err.token
        if tok.type == "$END":
            line, col = _end_position(text)
            message = "the file ends too early"
        else:
            line, col = tok.line, tok.column
            shown = "end of line" if tok.type == "_NL" else repr(str(tok))
            message = f"unexpected {shown}"
    elif isinstance(err, UnexpectedCharacters):
        line, col = err.line, err.column
        ch = text[err.pos_in_stream] if err.pos_in_stream < len(text) else ""
        message = f"unexpected character {ch!r}"
        if ch == '"':
            message = "a quoted name is not closed on this line"
        expected = set(err.allowed or ())
    else:  # UnexpectedEOF
        line, col = _end_position(text)
        message = "the file ends too early"
        expected = set(getattr(err, "expected", ()) or ())
    shown = tuple(sorted({_TERMINAL_NAMES.get(t, t) for t in expected}))
    return Diagnostic(filename, line, col, message, expected=shown)


def _end_position(text: str) -> tuple[int, int]:
    rows = text.rstrip("\r\n").split("\n")
    return len(rows), len(rows[-1].rstrip("\r")) + 1


def _span(filename: str, meta_or_token) -> Span:
    return Span(filename, meta_or_token.line, meta_or_token.column,
                meta_or_token.end_line, meta_or_token.end_column)


@v_args(meta=True)
class _Builder(Transformer):
    """Parse tree → Statements and Values; literal mistakes are collected, not raised."""

    def __init__(self, filename: str):
        super().__init__()
        self.filename = filename
        self.errors: list[Diagnostic] = []

    def _fail(self, token: Token, message: str) -> None:
        self.errors.append(Diagnostic.at(_span(self.filename, token), message))

    def _value(self, kind: str, value, token: Token) -> Value:
        return Value(kind, value, _span(self.filename, token), str(token))

    def start(self, meta, statements):
        return tuple(statements)

    def statement(self, meta, children):
        name, groups, block = children[0], (), None
        for child in children[1:]:
            if isinstance(child, list) and child and isinstance(child[0], tuple):
                groups = tuple(child)
            elif isinstance(child, tuple) and (not child or isinstance(child[0], Statement)):
                block = child
        return Statement(str(name), _span(self.filename, name), groups, block,
                         _span(self.filename, meta))

    def values(self, meta, groups):
        return list(groups)

    def group(self, meta, values):
        return tuple(values)

    def block(self, meta, statements):
        return tuple(statements)

    def money(self, meta, children):
        (tok,) = children
        text = str(tok)
        sign = -1 if text.startswith("-") or text.startswith("$-") else 1
        m = _MONEY.fullmatch(text.replace("-", "", 1))
        if not m:
            self._fail(tok, f"{text} is not an amount: write dollars and cents like $48,000.00 or $48000")
            return self._value("money", Money(0), tok)
        cents = int(m.group("int").replace(",", "")) * 100 + int(m.group("cents") or 0)
        if cents > MAX_CENTS:
            self._fail(tok, f"{text} is larger than the largest amount supported, $999,999,999,999.99")
            cents = 0
        return self._value("money", Money(sign * cents), tok)  # the schema says where a sign may go

    def percent(self, meta, children):
        (tok,) = children
        text = str(tok)[:-1]
        whole, _, frac = text.partition(".")
        if text.startswith("-") or len(frac) > 2 or int(whole) > 1_000_000:
            self._fail(tok, f"{tok} is not a percentage: write 0% or more with at most two decimals, like 12.5%")
            return self._value("percent", Percent(0), tok)
        return self._value("percent", Percent(int(whole) * 100 + int((frac + "00")[:2])), tok)

    def _date(self, tok: Token):
        try:
            parts = str(tok).split("-")
            if [len(p) for p in parts] != [4, 2, 2]:
                raise ValueError
            y, m, d = (int(p) for p in parts)
            return dt.date(y, m, d)
        except ValueError:
            self._fail(tok, f"{tok} is not a date written YYYY-MM-DD, like 2025-07-01" if len(str(tok)) != 10
                       else f"{tok} is not a real date")
            return dt.date(1970, 1, 1)

    def date(self, meta, children):
        (tok,) = children
        return self._value("date", self._date(tok), tok)

    def period(self, meta, children):
        start, end = children[0], children[-1]
        first, last = self._date(start), self._date(end)
        if last < first:
            self._fail(end, f"the period ends ({end}) before it starts ({start})")
        return Value("period", (first, last), _span(self.filename, meta), f"{start} to {end}")

    def number(self, meta, children):
        (tok,) = children
        text = str(tok)
        if "." in text or text.startswith("-") or int(text) > MAX_INT:
            self._fail(tok, f"{text} is not a whole number from 0 to {MAX_INT:,}")
            return self._value("number", 0, tok)
        return self._value("number", int(text), tok)

    def string(self, meta, children):
        (tok,) = children
        raw = str(tok)[1:-1]
        return self._value("string", re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), raw), tok)

    def name(self, meta, children):
        (tok,) = children
        return self._value("name", str(tok), tok)

    def list(self, meta, children):
        items = tuple(c for c in children if isinstance(c, Value))
        return Value("list", items, _span(self.filename, meta), "[...]")

    def call(self, meta, children):
        name, args = children[0], tuple(c for c in children[1:] if isinstance(c, Value))
        return Value("call", (str(name), args), _span(self.filename, meta), str(name) + "(...)")
