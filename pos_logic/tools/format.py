"""Case text → its canonical layout (`pos fmt`): the same statements, values and comments, laid
out one way, so that a diff shows only what changed.

    >>> print(format_text('jurisdiction arkansas\\ncase "Demo"   # the title\\n'
    ...                   'contract "A" { compensation $48000; share 12.50% }\\n', "demo.pos"), end="")
    case "Demo"  # the title
    jurisdiction arkansas
    <BLANKLINE>
    contract "A" { compensation $48,000.00; share 12.5% }

The canonical form
------------------
Order
  * Top-level statements: the header lines `case`, `jurisdiction`, `as_of`, `setting` first, in
    that order; then the agreements (and anything else) as written; then the `expect` blocks as
    written. A statement that moves takes its comments with it.
  * Inside a block nothing moves: attributes stay in the order written, since people group them.
Layout
  * 4 spaces of indentation per block level; one statement per line; `{` ends its statement's
    line and `}` stands on its own line at the statement's indentation.
  * A block written on one line stays on one line (`interest "Jane Roe" { role x; link y }`,
    statements joined by `; `) if it holds at most 3 statements (nested blocks too) and the line
    fits in 100 columns; otherwise it is expanded. An empty block is written `{}`.
  * One space between a statement's name and its values and between values; `, ` between comma
    groups. A statement longer than 100 columns puts each comma group after the first on its own
    line, 4 spaces deeper; a list on a line still longer than 100 columns is written one item per
    line (`[` ends the line, items 4 spaces deeper, `]` back at the line's indentation).
  * Blank lines: one between top-level statements, except that one-line header statements stay
    together; inside a block at most one blank line is kept between statements, none after `{`
    or before `}`; a blank line between a comment and its statement is kept. No trailing spaces, `\\n` line
    endings, one newline at the end of the file.
Values
  * money `$48,000.00` (thousands separators, always cents: `$48000` → `$48,000.00`);
    percentages minimal (`12.50%` → `12.5%`); whole numbers without leading zeros; dates ISO
    (`2025-07-01`); periods `A to B`; lists `[a, b]`; calls `f(a, b)`; names as
    written; strings re-escaped (`\\\\` and `"` escaped, newline and tab as `\\n` and `\\t`, every
    other character as itself, so a needless escape like `\\q` becomes `q`).
Comments (all are kept, text unchanged but for trailing spaces)
  * A comment on its own line stays above the statement after it, at that statement's
    indentation; after the last statement of a block it stays at the end of the block. A comment
    after code stays at the end of that line, two spaces after the code.
  * Comments at the top of the file followed by a blank line are the file's preamble: they stay
    at the top whatever statement comes first.
  * Inside a statement written over several lines: a comment inside a list makes the list one
    item per line and stays after its item (or after `[`), or above the item it preceded; a
    comment between comma groups makes the statement one group per line likewise. A comment
    inside a call `f(…)`, which is never wrapped, moves above the line the call is on.
  * A one-line block whose line ends with a comment keeps the comment on its `{` line when the
    block has to be expanded.
Safety
  * The text is parsed first (`parse.parse_text`): a file with errors raises the parser's
    `InputError` and `format_file` leaves it untouched.
  * The result is parsed back and compared with the input (statements, values, comments) before
    it is returned; a difference is a bug in this module and raises `FormatError`.
"""

from __future__ import annotations

import os
import re
import tempfile
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from lark import Lark, Token

from ..language.parse import one_newline, parse_text, read_case_file
from ..policy.resources import grammar_path
from ..language.syntax import Statement, Value

#: the column a line should fit in
WIDTH = 100
#: spaces per block level
INDENT = 4
#: a block written on one line stays so up to this many statements
INLINE_STATEMENTS = 3

_HEADER_RANK = {"case": 0, "jurisdiction": 1, "as_of": 2, "setting": 3}
_AGREEMENT_RANK = 4
_EXPECT_RANK = 5
#: an entry of a run of comment lines that stands for one blank line
_BLANK = None


class FormatError(RuntimeError):
    """The formatted text would not mean what the input means: a bug here, never the user's."""


# -- comments ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Comment:
    line: int
    column: int
    text: str


class _CommentCollector:
    """A parser of the case grammar that also hands back the comments the grammar ignores.

    Comments reach the lexer in two ways: a comment after code is a COMMENT token, and comment
    lines are swallowed by the newline terminal `_NL`, so both are watched."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._found: list[_Comment] = []
        self._parser = Lark(grammar_path().read_text(encoding="utf-8"), parser="lalr",
                            maybe_placeholders=False,
                            lexer_callbacks={"COMMENT": self._comment, "_NL": self._newline})

    def _comment(self, tok: Token) -> Token:
        self._found.append(_Comment(tok.line or 0, tok.column or 0, str(tok).rstrip()))
        return tok

    def _newline(self, tok: Token) -> Token:
        text = str(tok)
        for m in re.finditer(r"#[^\n]*", text):
            line_start = text.rfind("\n", 0, m.start()) + 1
            self._found.append(_Comment((tok.line or 0) + text.count("\n", 0, m.start()),
                                        m.start() - line_start + 1, m.group().rstrip()))
        return tok

    def comments(self, text: str) -> list[_Comment]:
        with self._lock:
            self._found = []
            self._parser.parse(text)
            return sorted(self._found, key=lambda c: (c.line, c.column))


@lru_cache(maxsize=1)
def _collector() -> _CommentCollector:
    return _CommentCollector()


# -- values as text --------------------------------------------------------------------------------

def _group_text(group: tuple[Value, ...]) -> str:
    return " ".join(v.canonical for v in group)


def header_text(st: Statement) -> str:
    if not st.groups:
        return st.name
    return st.name + " " + ", ".join(_group_text(g) for g in st.groups)


def _statement_text(st: Statement) -> str:
    """A statement on one line, its block (if any) inline."""
    if st.block is None:
        return header_text(st)
    if not st.block:
        return header_text(st) + " {}"
    return header_text(st) + " { " + "; ".join(_statement_text(s) for s in st.block) + " }"


# -- positions ---------------------------------------------------------------------------------------

def _start(v: Value) -> tuple[int, int]:
    return (v.span.line, v.span.column)


def _end(v: Value) -> tuple[int, int]:
    return (v.span.end_line, v.span.end_column)


def _header_end(st: Statement) -> tuple[int, int]:
    """Where the statement's name and values end; its `{`, if any, is on this line."""
    if st.groups:
        return _end(st.groups[-1][-1])
    return (st.name_span.end_line, st.name_span.end_column)


def _collapse(entries: list) -> list:
    """A run of comment lines with repeated blank lines cut to one."""
    out: list = []
    for e in entries:
        if not (e is _BLANK and out and out[-1] is _BLANK):
            out.append(e)
    return out


def _lstrip(entries: list) -> list:
    while entries and entries[0] is _BLANK:
        entries = entries[1:]
    return entries


def _rstrip(entries: list) -> list:
    while entries and entries[-1] is _BLANK:
        entries = entries[:-1]
    return entries


# -- output lines --------------------------------------------------------------------------------

@dataclass
class _Line:
    indent: int
    text: str = ""
    trail: str | None = None
    #: comments that go on their own lines just above this one
    above: list[str] = field(default_factory=list)
    #: their indentation, when not the line's own (above a list's `]`, they are inside the list)
    above_indent: int | None = None


class _Writer:
    def __init__(self) -> None:
        self.lines: list[_Line | None] = []  # None: a blank line
        self.cur = _Line(0)

    def line(self, indent: int) -> None:
        self.cur = _Line(indent)
        self.lines.append(self.cur)

    def put(self, text: str) -> None:
        self.cur.text += text

    @property
    def column(self) -> int:
        return self.cur.indent + len(self.cur.text)

    def trail(self, texts) -> None:
        # A line holds one trailing comment; an earlier one moves above the line.
        for text in texts:
            if self.cur.trail is not None:
                self.cur.above.append(self.cur.trail)
            self.cur.trail = text

    def above(self, texts) -> None:
        self.cur.above.extend(texts)

    def entries(self, indent: int, entries: list) -> None:
        for e in entries:
            self.lines.append(None if e is _BLANK else _Line(indent, e))


def _render(lines: list[_Line | None]) -> list[str]:
    out = []
    for ln in lines:
        if ln is None:
            out.append("")
            continue
        pad = " " * ln.indent
        above_pad = pad if ln.above_indent is None else " " * ln.above_indent
        out.extend(above_pad + a for a in ln.above)
        out.append(pad + ln.text + ("" if ln.trail is None else "  " + ln.trail))
    return out


# -- the formatter ---------------------------------------------------------------------------------

class _Formatter:
    """Lays statements out as lines; each source comment, found by its line, is taken exactly once
    and put in a slot of the element it belongs to (keys: id() of a Value, or a group/header key)."""

    def __init__(self, comments: dict[int, _Comment]):
        self.comments = comments
        self.trail: dict[object, list[str]] = {}
        self.lead: dict[object, list[str]] = {}
        self.open: dict[object, list[str]] = {}
        self.dangle: dict[object, list[str]] = {}
        self.above: dict[object, list[str]] = {}
        #: lists written one item per line, headers written one comma group per line
        self.forced: set[object] = set()
        #: statements with a comment inside their name-and-values part
        self.commented: set[int] = set()

    def leftovers(self) -> list:
        slots = (self.trail, self.lead, self.open, self.dangle, self.above)
        return [c.text for c in self.comments.values()] + [t for s in slots for ts in s.values() for t in ts]

    def gap(self, first: int, last: int) -> list:
        """The lines between statements: each a comment, or blank (a line of only `;` counts as blank)."""
        return [self.comments.pop(n).text if n in self.comments else _BLANK
                for n in range(first, last + 1)]

    # -- comments inside a statement's values ------------------------------------------------------
    def place_inner(self, st: Statement, c: _Comment) -> None:
        self.commented.add(id(st))
        groups = [(("group", id(st), i), _start(g[0]), _end(g[-1]), g) for i, g in enumerate(st.groups)]
        self._place(("header", id(st)), "header", st.span.line, groups, c)

    def _place(self, key, kind: str, first_line: int, children: list, c: _Comment) -> None:
        p = (c.line, c.column)
        if kind == "list":
            self.forced.add(key)
        for child_key, start, end, node in children:
            if start < p < end:
                inner = self._children(node)
                if inner is None:  # a single-line value cannot hold a comment; be safe anyway
                    self.above.setdefault(child_key, []).append(c.text)
                    return
                return self._place(child_key, inner[0], start[0], inner[1], c)
        before = [ch for ch in children if ch[2] <= p]
        after = [ch for ch in children if ch[1] > p]
        prev, nxt = (before[-1] if before else None), (after[0] if after else None)
        if kind == "list":
            if prev is not None and prev[2][0] == c.line:
                slot, at = self.trail, prev[0]
            elif prev is None and c.line == first_line:
                slot, at = self.open, key
            elif nxt is not None:
                slot, at = self.lead, nxt[0]
            else:
                slot, at = self.dangle, key
        elif kind == "header" and prev is not None and prev[2][0] == c.line:
            self.forced.add(key)
            slot, at = self.trail, prev[0]
        elif kind == "header" and nxt is not None:
            self.forced.add(key)
            slot, at = self.lead, nxt[0]
        else:  # inside a call (never wrapped), or nowhere better: above the line
            slot, at = self.above, key
        slot.setdefault(at, []).append(c.text)

    @staticmethod
    def _children(node):
        if isinstance(node, tuple):  # a comma group
            return "group", [(id(v), _start(v), _end(v), v) for v in node]
        if node.kind == "list":
            return "list", [(id(v), _start(v), _end(v), v) for v in node.value]
        if node.kind == "call":
            return "call", [(id(v), _start(v), _end(v), v) for v in node.value[1]]
        return None

    # -- statements --------------------------------------------------------------------------------
    def statement(self, w: _Writer, st: Statement, indent: int, trail: _Comment | None) -> None:
        hend_line = _header_end(st)[0]
        for n in range(st.span.line, hend_line):
            if n in self.comments:
                self.place_inner(st, self.comments.pop(n))
        trail_texts = [trail.text] if trail else []
        w.line(indent)
        w.above(self.above.pop(("header", id(st)), []))
        if st.block is None:
            self.header(w, st, indent, "")
            w.trail(trail_texts)
            return
        one_line = hend_line == st.span.end_line
        if one_line and self._inlinable(st) and indent + len(_statement_text(st)) <= WIDTH:
            w.put(_statement_text(st))
            w.trail(trail_texts)
            return
        children = st.block
        opening: list[str] = []
        if not one_line and not (children and children[0].span.line == hend_line) \
                and hend_line in self.comments:
            opening = [self.comments.pop(hend_line).text]
        if one_line and children:
            opening, trail_texts = trail_texts, []  # keep a one-line block's comment on its first line
        last_line = children[-1].span.end_line if children else hend_line
        dangling = _rstrip(_collapse(self.gap(last_line + 1, st.span.end_line - 1)))
        if not children:
            dangling = _lstrip(dangling)
            if not opening and not dangling:
                self.header(w, st, indent, " {}")
                w.trail(trail_texts)
                return
        self.header(w, st, indent, " {")
        w.trail(opening)
        inner = indent + INDENT
        prev_line = hend_line
        for i, child in enumerate(children):
            entries = _collapse(self.gap(prev_line + 1, child.span.line - 1))
            w.entries(inner, _lstrip(entries) if i == 0 else entries)
            end = child.span.end_line
            next_line = children[i + 1].span.line if i + 1 < len(children) else None
            child_trail = None
            if next_line != end and st.span.end_line != end:
                child_trail = self.comments.pop(end, None)
            self.statement(w, child, inner, child_trail)
            prev_line = end
        w.entries(inner, dangling)
        w.line(indent)
        w.put("}")
        w.trail(trail_texts)

    def _inlinable(self, st: Statement) -> bool:
        if id(st) in self.commented:
            return False
        if st.block is None:
            return True
        return len(st.block) <= INLINE_STATEMENTS and all(self._inlinable(s) for s in st.block)

    def header(self, w: _Writer, st: Statement, indent: int, suffix: str) -> None:
        """The name and values, then `suffix` (` {`, ` {}` or nothing)."""
        w.put(st.name)
        groups = st.groups
        if not groups:
            w.put(suffix)
            return
        texts = [_group_text(g) for g in groups]
        one_line = indent + len(header_text(st)) + len(suffix)
        wrap = ("header", id(st)) in self.forced or (len(groups) > 1 and one_line > WIDTH)
        w.put(" ")
        for i, group in enumerate(groups):
            key = ("group", id(st), i)
            last = i == len(groups) - 1
            if i and wrap:
                w.line(indent + INDENT)
            elif i:
                w.put(", ")
            w.above(self.lead.pop(key, []))
            w.above(self.above.pop(key, []))
            if wrap:
                tail = len(suffix) if last else 1
            else:
                tail = len(suffix) + sum(2 + len(t) for t in texts[i + 1:])
            self.group(w, group, tail)
            if wrap and not last:
                w.put(",")
            w.trail(self.trail.pop(key, []))
        w.put(suffix)

    def group(self, w: _Writer, group: tuple[Value, ...], tail: int) -> None:
        texts = [v.canonical for v in group]
        for i, v in enumerate(group):
            if i:
                w.put(" ")
            self.value(w, v, tail + sum(1 + len(t) for t in texts[i + 1:]))

    def value(self, w: _Writer, v: Value, tail: int) -> None:
        """Write a value; `tail` is how many columns follow it on its line when all is inline."""
        key = id(v)
        w.above(self.above.pop(key, []))
        if v.kind == "list":
            text = v.canonical
            if key not in self.forced and (not v.value or w.column + len(text) + tail <= WIDTH):
                w.put(text)
                return
            indent = w.cur.indent
            w.put("[")
            w.trail(self.open.pop(key, []))
            items = v.items
            for i, item in enumerate(items):
                last = i == len(items) - 1
                w.line(indent + INDENT)
                w.above(self.lead.pop(id(item), []))
                self.value(w, item, 0 if last else 1)
                if not last:
                    w.put(",")
                w.trail(self.trail.pop(id(item), []))
            w.entries(indent + INDENT, self.dangle.pop(key, []))
            w.line(indent)
            w.cur.above_indent = indent + INDENT
            w.put("]")
        elif v.kind == "call":
            name, args = v.call
            texts = [a.canonical for a in args]
            w.put(name + "(")
            for i, a in enumerate(args):
                if i:
                    w.put(", ")
                self.value(w, a, tail + 1 + sum(2 + len(t) for t in texts[i + 1:]))
            w.put(")")
        else:
            w.put(v.canonical)


# -- the file ----------------------------------------------------------------------------------------

def _rank(st: Statement) -> int:
    if st.name in _HEADER_RANK:
        return _HEADER_RANK[st.name]
    return _EXPECT_RANK if st.name == "expect" else _AGREEMENT_RANK


def _is_header_line(st: Statement) -> bool:
    return st.name in _HEADER_RANK and st.block is None


@dataclass
class _Unit:
    statement: Statement
    lead: list
    lines: list


def format_text(text: str, filename: str) -> str:
    """The canonical form of a case file's text (rules in the module docstring).

    Raises the parser's `InputError` for a text with errors."""
    text = one_newline(text)
    statements = parse_text(text, filename)
    if not text.endswith("\n"):
        text += "\n"
    found = _collector().comments(text)
    by_line = {c.line: c for c in found}
    if len(by_line) != len(found):
        raise FormatError(f"{filename}: two comments on one line")
    fmt = _Formatter(by_line)

    units: list[_Unit] = []
    prev_line = 0
    for i, st in enumerate(statements):
        entries = _collapse(fmt.gap(prev_line + 1, st.span.line - 1))
        end = st.span.end_line
        same_line_next = i + 1 < len(statements) and statements[i + 1].span.line == end
        trail = None if same_line_next else fmt.comments.pop(end, None)
        w = _Writer()
        fmt.statement(w, st, 0, trail)
        units.append(_Unit(st, entries, w.lines))
        prev_line = end
    epilogue = _rstrip(_collapse(fmt.gap(prev_line + 1, text.count("\n") + 1)))

    preamble: list = []
    if units:
        entries = _lstrip(units[0].lead)
        if _BLANK in entries:  # comments, a blank line, then the first statement's own comments
            cut = entries.index(_BLANK)
            preamble, units[0].lead = entries[:cut], entries[cut + 1:]
    for u in units:
        u.lead = _lstrip(u.lead)

    lines: list[_Line | None] = [_Line(0, c) for c in preamble]
    ordered = sorted(units, key=lambda u: _rank(u.statement))
    prev: _Unit | None = None
    for u in ordered:
        together = (prev is not None and _is_header_line(prev.statement)
                    and _is_header_line(u.statement))
        if lines and not together:
            lines.append(None)
        lines.extend(None if e is _BLANK else _Line(0, e) for e in u.lead)
        lines.extend(u.lines)
        prev = u
    if not lines:
        epilogue = _lstrip(epilogue)
    lines.extend(None if e is _BLANK else _Line(0, e) for e in epilogue)

    leftovers = fmt.leftovers()
    if leftovers:
        raise FormatError(f"{filename}: comments not placed: {leftovers!r}")
    result = "\n".join(_render(lines)) + "\n" if lines else ""
    _verify([u.statement for u in ordered], [c.text for c in found], result, filename)
    return result


def format_file(path: str | Path, check: bool = False) -> bool:
    """Rewrite a case file in its canonical form if it is not already; return whether it changed
    (with `check=True`, whether it would change: nothing is written)."""
    path = Path(path)
    text = read_case_file(path)
    formatted = format_text(text, str(path))
    if formatted == text:
        return False
    if not check:
        write_atomically(path, formatted)
    return True


def write_atomically(path: Path, text: str) -> None:
    # A new file renamed over the old one: an interrupted run never leaves half a case file.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(text.encode("utf-8"))
        os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


# -- the safety net ----------------------------------------------------------------------------------

def _statement_shape(st: Statement):
    """A statement without source positions or spellings: what it means to the checker."""
    block = None if st.block is None else tuple(_statement_shape(s) for s in st.block)
    return (st.name, tuple(tuple(_value_shape(v) for v in g) for g in st.groups), block)


def _value_shape(v: Value):
    if v.kind == "list":
        return ("list", tuple(_value_shape(i) for i in v.items))
    if v.kind == "call":
        return ("call", v.call[0], tuple(_value_shape(a) for a in v.call[1]))
    return (v.kind, v.value)


def _verify(expected: list[Statement], comments: list[str], result: str, filename: str) -> None:
    try:
        got = parse_text(result, filename)
    except Exception as exc:  # noqa: BLE001 - any failure here is this module's bug
        raise FormatError(f"{filename}: the formatted text does not parse:\n{exc}") from None
    if [_statement_shape(s) for s in got] != [_statement_shape(s) for s in expected]:
        raise FormatError(f"{filename}: formatting would change the statements")
    if sorted(c.text for c in _collector().comments(result)) != sorted(comments):
        raise FormatError(f"{filename}: formatting would change the comments")
