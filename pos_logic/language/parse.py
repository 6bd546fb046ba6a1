"""Case text → `syntax.Statement`s, with every syntax error of the file reported at once.

    >>> [s.name for s in parse_text('case "x"\\njurisdiction arkansas\\n', "x.pos")]
    ['case', 'jurisdiction']
"""

from __future__ import annotations

import datetime as dt
import re
import stat
import threading
from functools import cached_property, lru_cache
from pathlib import Path
from typing import NamedTuple, Protocol, cast

from lark import Lark
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

try:
    import lark_cython as _compiled
except ImportError:  # a platform without its wheel (pyproject.toml): Lark's own parser alone
    _compiled = None

from ..errors import Diagnostic, InputError, Span, with_sources
from ..policy.resources import grammar_path
from .syntax import Statement, Value
from . import values as _limits
from .values import MAX_CENTS, MAX_INT, Money, Percent

_MONEY = re.compile(r"\$(?P<int>[0-9]{1,3}(,[0-9]{3})*|[0-9]+)(\.(?P<cents>[0-9]{2}))?")
_ESCAPES = {"n": "\n", "t": "\t"}
#: a case file is text: no C0 control character but tab, newline and form feed (CR is read as
#: a newline), no DEL, no C1 (a terminal would act on them when a name is printed)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
#: what a date written the American or European way starts with
_SLASHED_DATE = re.compile(r"[0-9]{1,4}[/.][0-9]{1,2}[/.][0-9]{1,4}")
#: words people write for `to` between two dates
_NOT_TO = {"through", "thru", "till", "until", "upto", "and"}
#: brackets that nest, with the quoted strings and comments they may sit in
_NESTING = re.compile(r'"(\\.|[^"\\\n])*"?|#[^\n]*|[{}\[\]()]')
MAX_DEPTH = 64
#: what a value that is not a date holds, once its error is recorded
_NO_DATE = dt.date(1970, 1, 1)
MAX_FILE_BYTES = 10_000_000
_TERMINAL_NAMES = {
    "MONEY": "an amount like $1,250.00", "PERCENT": "a percentage like 12%",
    "DATE": "a date like 2025-07-01", "NUMBER": "a number", "STRING": 'a quoted "name"',
    "NAME": "a name", "LBRACE": "'{'", "RBRACE": "'}'", "LSQB": "'['", "RSQB": "']'",
    "LPAR": "'('", "RPAR": "')'", "COMMA": "','", "SEMICOLON": "';'", "_NL": "end of line",
    "TO": "'to'", "$END": "end of file",
}


class _Parsers:
    """The case grammar's parsers, the builder both run and the lock one parse holds (the
    builder keeps the file's state).

    The builder runs inside the LALR parser (Lark's inline transformer): no parse tree is
    built and walked again, and no node tracks its position; a value's span is its tokens'.
    A file is parsed by the fast parser, lark-cython's (15-25% less time than Lark's own:
    bench/README.md). It cannot resume after an error, so a file it rejects is parsed again by
    the careful one, Lark's own, made when first needed, which reports each of the file's
    errors. cache=True: Lark keeps the tables in a temp file keyed by the grammar's hash
    (plugins are not part of it), so a process does not build them again (a third of a single
    check's time otherwise)."""

    def __init__(self) -> None:
        self.builder = _Builder()
        self.lock = threading.Lock()
        self._grammar = grammar_path().read_text(encoding="utf-8")
        self.fast = self.careful if _compiled is None else self._lark(_plugins=_compiled.plugins)

    @cached_property
    def careful(self) -> Lark:
        return self._lark()

    def _lark(self, **plugins) -> Lark:
        return Lark(self._grammar, parser="lalr", transformer=self.builder, maybe_placeholders=False, cache=True,
                    **plugins)


@lru_cache(maxsize=1)
def _parsers() -> _Parsers:
    return _Parsers()


def read_case_file(path: str | Path) -> str:
    """The text of a case file; bytes that are not UTF-8 are an input error at their spot."""
    path = Path(path)
    if str(path) == "-":
        raise InputError([Diagnostic("-", 1, 1, "a case is read from a file, not from standard input: "
                                                "save it as NAME.pos and give that")])
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a FIFO or a device would block or never end
            raise InputError([Diagnostic(str(path), 1, 1, "not a regular file: a case is a text file")])
        if info.st_size > MAX_FILE_BYTES:
            raise InputError([Diagnostic(str(path), 1, 1, f"the file is larger than {MAX_FILE_BYTES:,} bytes, "
                                                          "the most a case file may hold: split it")])
        data = path.read_bytes()
    except OSError as exc:
        raise InputError([Diagnostic(str(path), 1, 1, f"cannot read file: {exc.strerror}")]) from None
    return decode_case(data, str(path))


def decode_case(data: bytes, path: str) -> str:
    """Case-file bytes as text; bytes that are not UTF-8 are an input error at their spot."""
    try:
        return data.decode("utf-8-sig")  # a BOM (as Notepad writes) is not part of the text
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        line_start = before[before.rfind(b"\n") + 1:]
        column = len(line_start.decode("utf-8", errors="replace")) + 1  # characters, not bytes
        raise InputError([Diagnostic(
            path, line, column,
            f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x}); save it as UTF-8")]) from None


def one_newline(text: str) -> str:
    """CRLF and a lone CR as LF: every line ending ends a line, a comment's included (a lone CR
    after a comment would otherwise hide the next line inside the comment)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_text(text: str, filename: str) -> tuple[Statement, ...]:
    """Parse a case file's text; raise InputError with every problem found."""
    text = one_newline(text)
    if (m := _CONTROL.search(text)) is not None:
        message = ("the file contains a NUL byte; it is not a case file" if m.group() == "\x00" else
                   f"the file contains the control character U+{ord(m.group()):04X}; a case file is text")
        raise InputError([_at(filename, text, m.start(), message).with_source(text)])
    if (too_deep := _too_deep(text)) is not None:
        raise InputError([_at(filename, text, too_deep, f"blocks and lists nest more than {MAX_DEPTH} "
                                                        "levels deep here").with_source(text)])
    if not text.endswith("\n"):
        text += "\n"
    syntax_errors: list[Diagnostic] = []
    seen_lines: set[int] = set()
    stuck: list[frozenset[str] | None] = []

    def record(err: UnexpectedInput) -> bool:
        diag = _diagnostic(err, filename, text)
        # a token the parser cannot take, in the state the last one left it: one error, not a cascade
        wanted = frozenset(err.accepts or err.expected) if isinstance(err, UnexpectedToken) else None
        if wanted and stuck and wanted == stuck[-1]:
            return True
        stuck.append(wanted)
        if diag.line not in seen_lines:
            seen_lines.add(diag.line)
            syntax_errors.append(diag)
        # Skip the offending token and go on, so later lines are checked too; stop at the end.
        return not isinstance(err, UnexpectedEOF) and not (
            isinstance(err, UnexpectedToken) and err.token.type == "$END")

    parsers = _parsers()
    builder = parsers.builder
    with parsers.lock:
        try:
            builder.begin(filename)
            statements = cast("tuple[Statement, ...]", parsers.fast.parse(text))  # what _Builder.start makes
        except UnexpectedInput:
            builder.begin(filename)
            try:
                statements = cast("tuple[Statement, ...]", parsers.careful.parse(text, on_error=record))
            except UnexpectedInput as err:
                record(err)
        literal_errors = builder.errors
    if syntax_errors:
        raise InputError(with_sources(syntax_errors, text))
    if literal_errors:
        raise InputError(with_sources(literal_errors, text))
    return statements


def _short(literal: str) -> str:
    """A literal as a message quotes it: a very long one by its ends."""
    return literal if len(literal) <= 40 else f"{literal[:18]}…{literal[-18:]} ({len(literal):,} characters)"


def _at(filename: str, text: str, i: int, message: str) -> Diagnostic:
    line = text.count("\n", 0, i) + 1
    return Diagnostic(filename, line, i - (text.rfind("\n", 0, i) + 1) + 1, message)


def _too_deep(text: str) -> int | None:
    """Where `{`, `[` or `(` (outside quotes and comments) opens level MAX_DEPTH + 1, or None:
    the parser and the schema check recurse once per level."""
    depth = 0
    for m in _NESTING.finditer(text):
        ch = m.group()
        if ch in "{[(":
            depth += 1
            if depth > MAX_DEPTH:
                return m.start()
        elif ch in "}])":
            depth = max(depth - 1, 0)
    return None


def _diagnostic(err: UnexpectedInput, filename: str, text: str) -> Diagnostic:
    expected: set[str] = set()
    if isinstance(err, UnexpectedToken):
        expected = {t for t in err.accepts or err.expected if not t.startswith("__")}
        tok = err.token
        if tok.type == "NUMBER" and _slashed_date(text, tok.start_pos):
            return Diagnostic(filename, tok.line, tok.column, "dates are written YYYY-MM-DD, like 2025-07-01")
        if tok.type == "$END":
            line, col = _end_position(text)
            message = "the file ends too early"
        else:
            line, col = tok.line, tok.column
            shown = "end of line" if tok.type == "_NL" else repr(str(tok))
            message = f"unexpected {shown}"
    elif isinstance(err, UnexpectedCharacters):
        line, col = err.line, err.column
        pos = err.pos_in_stream or 0
        ch = text[pos] if pos < len(text) else ""
        message = f"unexpected character {ch!r}"
        expected = set(err.allowed or ())
        if ch == '"':
            message = "a quoted name is not closed on this line"
        elif ch in "/." and (m := _slashed_date(text, pos)):
            message, expected = "dates are written YYYY-MM-DD, like 2025-07-01", set()
            col -= pos - m.start()
    else:  # UnexpectedEOF
        line, col = _end_position(text)
        message = "the file ends too early"
        expected = set(getattr(err, "expected", ()) or ())
    names = tuple(sorted({_TERMINAL_NAMES.get(t, t) for t in expected}))
    return Diagnostic(filename, line, col, message, expected=names)


def _slashed_date(text: str, i: int) -> re.Match | None:
    """A date like 07/01/2025 or 01.07.2025 around position i, if there is one."""
    start = i
    while start > 0 and text[start - 1] in "0123456789/.":
        start -= 1
    return _SLASHED_DATE.match(text, start)


def _end_position(text: str) -> tuple[int, int]:
    rows = text.rstrip("\r\n").split("\n")
    return len(rows), len(rows[-1].rstrip("\r")) + 1


def span_of(filename: str, meta_or_token) -> Span:
    """Where a Lark token or tree node stands in the file (Lark counts from 1, as we do)."""
    return Span(filename, meta_or_token.line, meta_or_token.column,
                meta_or_token.end_line, meta_or_token.end_column)


class _Token(Protocol):
    """A token as either parser makes it: its text is `value` (lark-cython's is not a str)."""

    value: str
    line: int
    column: int
    end_line: int
    end_column: int


class _Builder:
    """Statements and Values, built as the parser reduces each rule (its methods are named for
    the grammar's rules and aliases); literal mistakes are collected, not raised."""

    def begin(self, filename: str) -> None:
        """Start a file: its name for spans, and no errors or amounts yet."""
        self.filename = filename
        self.errors: list[Diagnostic] = []
        self.amounts = 0

    def _span(self, first, last) -> Span:
        """From the start of `first` (a token) to the end of `last` (a token or a Span)."""
        return Span(self.filename, first.line, first.column, last.end_line, last.end_column)

    def _fail(self, token: _Token, message: str) -> None:
        self.errors.append(Diagnostic.at(span_of(self.filename, token), message))

    def _value(self, kind: str, value, token: _Token) -> Value:
        return Value(kind, value, span_of(self.filename, token), token.value)

    def start(self, statements):
        return tuple(statements)

    def statement(self, children):
        name, groups, block, end = children[0], (), None, children[0]
        for child in children[1:]:
            if isinstance(child, _Block):
                block, end = child.statements, child.end
            else:
                groups, end = tuple(child), child[-1][-1].span
        return Statement(name.value, span_of(self.filename, name), groups, block, self._span(name, end))

    def values(self, groups):
        return groups

    def group(self, values):
        values = list(values)
        for k in range(len(values) - 2):  # `DATE through DATE`: one error, and a period
            a, word, b = values[k:k + 3]
            if a.kind == b.kind == "date" and word.kind == "name" and word.value.lower() in _NOT_TO:
                self.errors.append(Diagnostic.at(word.span, f"a period is written DATE to DATE: "
                                                            f"write `to`, not `{word.value}`"))
                span = Span(a.span.file, a.span.line, a.span.column, b.span.end_line, b.span.end_column)
                values[k:k + 3] = [Value("period", (a.value, b.value), span, f"{a.text} to {b.text}")]
                break
        return tuple(values)

    def block(self, children):
        return _Block(tuple(children[:-1]), children[-1])

    def money(self, children):
        (tok,) = children
        text = tok.value
        self.amounts += 1
        if self.amounts == _limits.MAX_AMOUNTS + 1:  # the policies' sums would overflow clingo's integers
            self._fail(tok, f"a case states at most {_limits.MAX_AMOUNTS:,} amounts (a sum of more could exceed "
                            "the checker's exact arithmetic); this is one more: split the case")
        sign = -1 if text.startswith("-") or text.startswith("$-") else 1
        m = _MONEY.fullmatch(text.replace("-", "", 1))
        if not m:
            self._fail(tok, f"{text} is not an amount: write dollars and cents like $48,000.00 or $48000")
            return self._value("money", Money(0), tok)
        digits = m.group("int").replace(",", "")
        cents = int(digits) * 100 + int(m.group("cents") or 0) if len(digits.lstrip("0")) <= 15 else MAX_CENTS + 1
        if cents > MAX_CENTS:
            self._fail(tok, f"{_short(text)} is larger than the largest amount supported, $999,999,999,999.99")
            cents = 0
        return self._value("money", Money(sign * cents), tok)  # the schema says where a sign may go

    def percent(self, children):
        (tok,) = children
        text = tok.value[:-1]
        whole, _, frac = text.partition(".")
        if text.startswith("-") or len(frac) > 2 or len(whole.lstrip("0")) > 7 or int(whole) > 1_000_000:
            self._fail(tok, f"{_short(tok.value)} is not a percentage: write 0% or more with at most two decimals, like 12.5%")
            return self._value("percent", Percent(0), tok)
        return self._value("percent", Percent(int(whole) * 100 + int((frac + "00")[:2])), tok)

    def _date(self, tok: _Token) -> dt.date | None:
        """The date a DATE token names; None (and an error) if it names none."""
        try:
            parts = tok.value.split("-")
            if [len(p) for p in parts] != [4, 2, 2]:
                raise ValueError
            y, m, d = (int(p) for p in parts)
            return dt.date(y, m, d)
        except ValueError:
            self._fail(tok, f"{tok.value} is not a date written YYYY-MM-DD, like 2025-07-01" if len(tok.value) != 10
                       else f"{tok.value} is not a real date")
            return None

    def date(self, children):
        (tok,) = children
        return self._value("date", self._date(tok) or _NO_DATE, tok)

    def period(self, children):
        start, end = children[0], children[-1]
        first, last = self._date(start), self._date(end)
        if first is None or last is None:  # already reported; its order means nothing
            first = last = _NO_DATE
        elif last < first:
            self._fail(end, f"the period ends ({end.value}) before it starts ({start.value})")
        return Value("period", (first, last), self._span(start, end), f"{start.value} to {end.value}")

    def number(self, children):
        (tok,) = children
        text = tok.value
        if "." in text or text.startswith("-") or len(text.lstrip("0")) > 10 or int(text) > MAX_INT:
            self._fail(tok, f"{_short(text)} is not a whole number from 0 to {MAX_INT:,}")
            return self._value("number", 0, tok)
        return self._value("number", int(text), tok)

    def string(self, children):
        (tok,) = children
        raw = tok.value[1:-1]
        return self._value("string", re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), raw), tok)

    def name(self, children):
        (tok,) = children
        return self._value("name", tok.value, tok)

    def list(self, children):
        return Value("list", tuple(children[1:-1]), self._span(children[0], children[-1]), "[...]")

    def call(self, children):
        name, args = children[0], tuple(children[1:-1])
        return Value("call", (name.value, args), self._span(name, children[-1]), name.value + "(...)")


class _Block(NamedTuple):
    """A block's statements and its closing brace, where the statement that opens it ends."""

    statements: tuple[Statement, ...]
    end: _Token
