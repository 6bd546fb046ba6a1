"""What a rule folder may not do, checked when a policy file is read: a policy is data for the
checker, never code to run or a pointer to other files.

clingo follows `#include` while it parses, so an include is found before clingo sees the text,
by a lexer that knows clingo's strings and (nesting) comments, not by a line pattern; and every
parsed statement must come from the file itself. Line endings are made one kind first, so clingo
and the annotation reader count the same lines.

    >>> [d.message for d in refused_directives(Path("p.lp"), 'a("x"). %* c *% #include "x.lp".')]
    ['#include: a policy must not read other files']
"""

from __future__ import annotations

import re
from pathlib import Path

from clingo import ast

from ..errors import Diagnostic, InputError

_DIRECTIVE = re.compile(r"#([A-Za-z_]\w*)")
_REFUSED_DIRECTIVES = {
    "include": "#include: a policy must not read other files",
    "script": "#script: a policy must not run code",
}


def read_policy_text(path: Path) -> str:
    """A policy file's text: UTF-8, CRLF and a lone CR read as LF (clingo ends a line only at LF,
    so a lone CR after a comment would hide the next rule from clingo but not from a reader)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError([Diagnostic(str(path), 1, 1, f"cannot read policy file: {exc.strerror}")]) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError([Diagnostic(str(path), line, 1, f"the policy file is not UTF-8 text "
                                                         f"(byte 0x{data[exc.start]:02x})")]) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def refused_directives(path: Path, text: str) -> list[Diagnostic]:
    """`#include` and `#script` outside strings and comments, where clingo would act on them."""
    found: list[Diagnostic] = []
    i, n = 0, len(text)
    while i < n:
        if text.startswith("%*", i):
            i = _block_comment_end(text, i)
        elif text[i] == "%":
            i = _line_end(text, i)
        elif text[i] == '"':
            i = _string_end(text, i)
        elif (m := _DIRECTIVE.match(text, i)) is not None:
            message = _REFUSED_DIRECTIVES.get(m.group(1))
            if message:
                line = text.count("\n", 0, i) + 1
                found.append(Diagnostic(str(path), line, i - text.rfind("\n", 0, i), message))
                if m.group(1) == "script":  # what follows is Python, not ASP: no lexing it
                    return found
            i = m.end()
        else:
            i += 1
    return found


def _line_end(text: str, i: int) -> int:
    end = text.find("\n", i)
    return len(text) if end < 0 else end


def _block_comment_end(text: str, i: int) -> int:
    """After the `*%` closing the `%*` at i; clingo's block comments nest."""
    depth, i = 1, i + 2
    while i < len(text) and depth:
        if text.startswith("%*", i):
            depth, i = depth + 1, i + 2
        elif text.startswith("*%", i):
            depth, i = depth - 1, i + 2
        else:
            i += 1
    return i


def _string_end(text: str, i: int) -> int:
    """After the `"` closing the string at i (a backslash escapes the next character); an
    unclosed string ends at the line's end, where clingo's does."""
    i += 1
    while i < len(text) and text[i] not in '"\n':
        i += 2 if text[i] == "\\" else 1
    return min(i + 1, len(text)) if i < len(text) and text[i] == '"' else i


def foreign_statements(path: Path, nodes) -> list[Diagnostic]:
    """Statements clingo parsed from another file than the one given: an include got through."""
    out = []
    for node in nodes:
        begin = node.location.begin
        if begin.filename not in ("<string>", str(path)):
            out.append(Diagnostic(str(path), 1, 1, f"#include: a policy must not read other files "
                                                   f"(a statement came from {begin.filename!r})"))
            break
    return out


def parse_named(path: Path, text: str, on_statement, logger) -> None:
    """clingo's parse of `text` (as read_policy_text gives it), every location down to a
    variable naming `path`, as `ast.parse_files` would name it from the raw file."""
    def renamed(node):
        updates = {}
        for key in node.child_keys:
            child = getattr(node, key)
            if isinstance(child, ast.AST):
                updates[key] = renamed(child)
            elif child is not None:
                updates[key] = [renamed(c) for c in child]
        if "location" in node.keys():
            loc = node.location
            updates["location"] = ast.Location(loc.begin._replace(filename=str(path)),
                                               loc.end._replace(filename=str(path)))
        return node.update(**updates)

    ast.parse_string(text, lambda node: on_statement(renamed(node)), logger=logger)


def negative_loops(rules) -> list[Diagnostic]:
    """Rules that depend on themselves through `not`: such a loop gives a case no answer or
    several (`p :- not q. q :- not p.`), and the checker would otherwise report one of them as if
    it were the law. One diagnostic per loop, naming its rules. (Recursion through an aggregate,
    as a sum of sums, is allowed here; the engine refuses a second answer if one arises.)"""
    edges: dict[str, set[tuple[str, bool]]] = {}
    for rule in rules:
        edges.setdefault(rule.head, set()).update(_body_edges(rule.node))
    out = []
    for component in _components({h: {t for t, _ in e} for h, e in edges.items()}):
        members = set(component)
        looping = [r for r in rules if r.head in members
                   and any(not positive and target in members for target, positive in _body_edges(r.node))]
        if not looping:
            continue
        names = ", ".join(f"{r.head} ({r.location})" for r in looping)
        first = looping[0]
        out.append(Diagnostic(first.file, first.line, first.column,
                              f"these rules depend on themselves through 'not', so a case may have "
                              f"no answer or several: {names}; "
                              "a policy must give every case exactly one answer"))
    return out


def _body_edges(node) -> set[tuple[str, bool]]:
    """(predicate, positive?) for every atom of a rule's body, those inside aggregates and
    conditions included; an atom under `not` is not positive."""
    found: set[tuple[str, bool]] = set()

    class _Collect(ast.Transformer):
        def visit_Literal(self, lit):
            atom = lit.atom
            if atom.ast_type is ast.ASTType.SymbolicAtom and atom.symbol.ast_type is ast.ASTType.Function:
                found.add((atom.symbol.name, lit.sign == ast.Sign.NoSign))
                return lit
            return lit.update(**self.visit_children(lit))

    for lit in node.body:
        _Collect()(lit)
    return found


def _components(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components that hold a cycle (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.get(root, ()))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in graph.get(node, ()):
                    out.append(sorted(component))
    return out


def external_calls(path: Path, nodes) -> list[Diagnostic]:
    """`@name(…)` terms: clingo would call Python to evaluate them."""
    out: list[Diagnostic] = []

    class _Calls(ast.Transformer):
        def visit_Function(self, fn):
            if fn.external:
                loc = fn.location.begin
                out.append(Diagnostic(str(path), loc.line, loc.column,
                                      f"'@{fn.name}': a policy must not call code"))
            self.visit_children(fn)
            return fn

    for node in nodes:
        _Calls()(node)
    return out


def outside_files(root: Path, files) -> list[Diagnostic]:
    """Policy and schema files that are links to somewhere outside the policy folder."""
    inside = root.resolve()
    out = []
    for path in files:
        target = Path(path).resolve()
        if not target.is_relative_to(inside):
            out.append(Diagnostic(str(path), 1, 1, f"the file is a link to {target}, outside the policy "
                                                   f"folder {inside}: a policy reads only its own files"))
    return out
