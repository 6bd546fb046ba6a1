"""`pos test`: run pinned cases, report each as passed or failed with expected vs derived, and
rewrite expect blocks from the current derivation (`--update`) for review in `git diff`.

    >>> report = run_suite(["cases/examples"], policies=Path("policies"))  # doctest: +SKIP
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from clingo import Symbol, SymbolType

from ..check import CaseResult, check_cases, expand
from ..errors import Diagnostic, InputError
from .expect import diff_text
from ..language.load import load_case
from ..language.model import FINDING_KINDS, Case, Expectation
from ..language.parse import parse_text
from ..language.values import format_symbol, value_from_symbol

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(-[A-Za-z0-9_]+)*")


@dataclass
class Suite:
    results: list[CaseResult] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)
    #: -x: the run stopped at the first failing case; the cases after it were not reported
    stopped: bool = False

    @property
    def failed(self) -> list[CaseResult]:
        return [r for r in self.results if r.misses]

    @property
    def exit_code(self) -> int:
        return 2 if self.problems else 1 if self.failed else 0


def run_suite(paths, settings: dict[str, str] | None = None, exitfirst: bool = False, step=None, *,
              policies: Path) -> Suite:
    """Load every case (a case that cannot load is a problem, not a failure) and check them
    against the policies in `policies`. exitfirst: stop at the first problem or failing case,
    in path order. step: called once per case loaded and once per case checked (a progress bar)."""
    suite = Suite()
    cases: list[Case] = []
    for path in expand(paths):
        try:
            cases.append(load_case(path, policies))
        except InputError as err:
            suite.problems.extend(err.diagnostics)
            if exitfirst:
                suite.stopped = True
                break
        if step:
            step()
    suite.results = check_cases(cases, depth=1, settings=settings, step=step, policies=policies)
    if exitfirst:
        failed = next((i for i, r in enumerate(suite.results) if r.misses), None)
        if failed is not None:
            suite.stopped = suite.stopped or failed < len(suite.results) - 1
            suite.results = suite.results[:failed + 1]
    return suite


# -- reports ------------------------------------------------------------------------------------

def text_report(suite: Suite, quiet: bool = False) -> str:
    """Each case as pass or FAIL (quiet: failures only), load errors, and the summary."""
    lines = []
    for r in suite.results:
        if r.misses:
            lines.append(f"FAIL {r.case.file}")
            lines.extend("  " + row for row in diff_text(r.case, r.findings, r.misses).splitlines()[1:])
        elif not quiet:
            lines.append(f"pass {r.case.file}")
    for d in suite.problems:
        lines.append(f"ERROR {d.render()}")
    passed = len(suite.results) - len(suite.failed)
    lines.append(f"{passed} passed, {len(suite.failed)} failed" + (f", {len(suite.problems)} errors" if suite.problems else "")
                 + ("; stopped at the first failure (-x)" if suite.stopped else ""))
    return "\n".join(lines) + "\n"


def json_report(suite: Suite) -> dict:
    return {
        "passed": len(suite.results) - len(suite.failed), "failed": len(suite.failed),
        "errors": [d.headline() for d in suite.problems],
        "cases": [{"file": r.case.file, "title": r.case.title, "passed": not r.misses,
                   "failures": [{"line": m.expectation.span.line, "message": m.message} for m in r.misses]}
                  for r in suite.results],
    }


def junit_report(suite: Suite) -> str:
    root = ET.Element("testsuite", name="pos test", tests=str(len(suite.results) + len(suite.problems)),
                      failures=str(len(suite.failed)), errors=str(len(suite.problems)))
    for r in suite.results:
        item = ET.SubElement(root, "testcase", classname=Path(r.case.file).parent.as_posix() or ".",
                             name=Path(r.case.file).name)
        if r.misses:
            failure = ET.SubElement(item, "failure", message=f"{len(r.misses)} expectation(s) not met")
            failure.text = diff_text(r.case, r.findings, r.misses)
    for d in suite.problems:
        item = ET.SubElement(root, "testcase", classname="load", name=d.file)
        ET.SubElement(item, "error", message=d.headline()).text = d.render()
    ET.indent(root)
    return ET.tostring(root, encoding="unicode") + "\n"


# -- --update -----------------------------------------------------------------------------------

def item_text(sym: Symbol) -> str:
    """A finding argument written so the case language reads it back as the same key."""
    if value_from_symbol(sym) is not None:
        return format_symbol(sym)
    if sym.type is SymbolType.String:
        return sym.string if _NAME.fullmatch(sym.string) else '"' + sym.string.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if sym.type is SymbolType.Function and sym.arguments and sym.name:
        return f"{sym.name}({', '.join(item_text(a) for a in sym.arguments)})"
    return str(sym)


def expect_block(result: CaseResult, agreement_title: str | None) -> list[str]:
    """An expect block that pins exactly what is derived now, and why."""
    mine = [f for f in result.findings if agreement_title is None or f.agreement_title == agreement_title]
    head = "expect {" if agreement_title is None else f'expect "{agreement_title}" {{'
    lines = [head]
    for kind in FINDING_KINDS:
        found = [f for f in mine if f.kind == kind]
        if not found:
            lines.append(f"    {kind} none")
            continue
        items = [" ".join(item_text(a) for a in f.args) + " because " + " ".join(f.rule_ids) for f in found]
        prefix = f"    {kind} only "
        lines.append(prefix + (",\n" + " " * len(prefix)).join(items))
    lines.append("}")
    return lines


def update_failing(result: CaseResult) -> bool:
    """Rewrite only the expect lines that fail, from the derivation: a `because` that names other
    rules gets the rules that derive it now, a finding no longer derived (or a `not` line whose
    finding now is) is dropped, `KIND none` and `KIND only` list what is derived now. Passing
    lines, `not` lines that hold, comments and layout stay as the person wrote them. True if the
    file changed."""
    case = result.case
    failing = {m.expectation.span for m in result.misses}
    if not failing:
        return False
    rows = case.text.split("\n")
    edits: list[tuple[int, int, list[str]]] = []  # (first line, last line, replacement)
    for block in (st for st in parse_text(case.text, case.file) if st.name == "expect"):
        inner = [st.span for st in block.block or ()]
        new = {}
        for span in inner:
            if span not in failing:
                continue
            group = [e for e in case.expectations if e.span == span]
            first = rows[span.line - 1]
            indent = first[:len(first) - len(first.lstrip())]
            comment = _trailing_comment(rows[(span.end_line or span.line) - 1])
            lines = [indent + row for line in _rewrite(group, result) for row in line.split("\n")]
            if lines and comment:
                lines[0] += "  " + comment
            new[span] = lines
        if inner and all(s in new and not new[s] for s in inner):  # nothing of the block would remain
            title = next((e.agreement for e in case.expectations if e.span in new), None)
            edits.append((block.span.line, block.span.end_line, expect_block(result, title)))
        else:
            edits.extend((s.line, s.end_line or s.line, lines) for s, lines in new.items())
    for start, end, lines in sorted(edits, reverse=True):
        rows[start - 1:end] = lines
    text = "\n".join(rows)
    if text == case.text:
        return False
    Path(case.file).write_text(text, encoding="utf-8")
    return True


def _rewrite(group: list[Expectation], result: CaseResult) -> list[str]:
    """The lines that replace one failing expect statement (all its expectations share a line)."""
    from .expect import _matches
    e0 = group[0]
    derived = [f for f in result.findings if f.kind == e0.kind
               and (e0.agreement is None or f.agreement_title == e0.agreement)]
    pins = any(e.because for e in group)

    def item(words, findings) -> str:
        ids = sorted({i for f in findings for i in f.rule_ids})
        return " ".join(words) + (" because " + " ".join(ids) if pins and ids else "")

    if e0.mode in ("none", "only"):
        if not derived:
            return [f"{e0.kind} none"]
        prefix = f"{e0.kind} only "
        items = [item([item_text(a) for a in f.args], [f]) for f in derived]
        return [prefix + (",\n" + " " * len(prefix)).join(items)]
    out = []
    for e in group:
        hits = [f for f in derived if _matches(e, f)]
        if e.mode == "absent":
            if not hits:
                out.append(f"not {e.kind} {' '.join(e.written)}")
        elif hits:
            out.append(f"{e.kind} " + (item(e.written, hits) if e.because else " ".join(e.written)))
    return out


def _trailing_comment(line: str) -> str:
    """A `# …` comment at the end of a line (outside quotes), or ''."""
    quoted = False
    for i, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        elif ch == "#" and not quoted:
            return line[i:].rstrip()
    return ""


def update_expectations(result: CaseResult) -> bool:
    """Rewrite the case file's expect blocks as a full snapshot of what is derived now; True if
    the file changed."""
    case = result.case
    statements = parse_text(case.text, case.file)
    rows = case.text.split("\n")
    old = [(s.span.line, s.span.end_line) for s in statements if s.name == "expect"]
    titles = [None] if len(case.agreements) == 1 else [a.title for a in case.agreements]
    block = [line for title in titles for line in expect_block(result, title) + [""]][:-1]
    for start, end in reversed(old):
        del rows[start - 1:end]
    at = old[0][0] - 1 if old else len(rows)
    while at > 0 and at <= len(rows) and not rows[at - 1].strip() and not old:
        at -= 1
    insert = ([""] if at > 0 and rows[at - 1].strip() else []) + block
    rows[at:at] = insert
    text = "\n".join(rows).rstrip("\n") + "\n"
    text = re.sub(r"\n{3,}", "\n\n", text)
    if text == case.text:
        return False
    Path(case.file).write_text(text, encoding="utf-8")
    return True
