"""Check results → text a person reads, or JSON a program reads. Deterministic: the same
results always give the same bytes (no colours, no terminal widths, no timestamps)."""

from __future__ import annotations

import json

from .check import CaseResult
from .explain import Derivation, Finding, Premise
from .model import FINDING_KINDS

JSON_VERSION = 1
HEADINGS = {
    "violation": "Violations", "approval": "Approvals", "document": "Documents",
    "language": "Contract language", "procurement": "Procurement", "obligation": "Obligations",
    "advisory": "Advisories", "note": "Notes", "met": "Met requirements",
    "value": "Computed values",
}
_MARKS = {"violation": "✗", "advisory": "!", "note": "i", "met": "✓", "value": "="}


def _finding_line(f: Finding) -> str:
    detail = f" ({f.detail})" if f.detail else ""
    cite = f.derivations[0].rule.annotations.get("cite", "")
    return f"{f.label}{detail} — {cite} [{', '.join(f.rule_ids)}]"


def text(results: list[CaseResult]) -> str:
    """The checklist: per case and agreement, findings grouped by kind, each with its reason."""
    out = []
    for r in results:
        case = r.case
        out.append(f"{case.file}: {case.title} ({case.jurisdiction}"
                   + (f", as of {case.as_of.isoformat()}" if case.as_of else "") + ")")
        for agreement in case.agreements:
            mine = [f for f in r.findings if f.agreement == agreement.id]
            out.append(f"  {agreement.kind} \"{agreement.title}\"")
            if not mine:
                out.append("    no findings")
            for kind in FINDING_KINDS:
                group = [f for f in mine if f.kind == kind]
                if not group:
                    continue
                out.append(f"    {HEADINGS[kind]}")
                for f in group:
                    out.append(f"      {_MARKS.get(kind, '•')} {_finding_line(f)}")
                    if kind != "value":
                        out.append(f"          {f.reason}")
                    if f.derivations[0].cure:
                        out.append(f"          to cure: {f.derivations[0].cure}")
        for miss in r.misses:
            out.append(f"  expectation not met (line {miss.expectation.span.line}): {miss.message}")
        out.append("  " + summary(r))
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def summary(r: CaseResult) -> str:
    counts = [(k, sum(1 for f in r.findings if f.kind == k)) for k in FINDING_KINDS]
    parts = [f"{n} {k}{'s' if n != 1 and k != 'met' else ''}" for k, n in counts if n]
    verdict = "VIOLATIONS FOUND" if r.violations else "no violations"
    return f"{verdict}: " + (", ".join(parts) if parts else "no findings")


def as_json(results: list[CaseResult]) -> str:
    """The full findings and derivations; the format is documented in docs/cli.md."""
    doc = {"version": JSON_VERSION, "cases": [case_json(r) for r in results]}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def case_json(r: CaseResult) -> dict:
    case = r.case
    return {
        "file": case.file, "title": case.title, "jurisdiction": case.jurisdiction,
        "as_of": case.as_of.isoformat() if case.as_of else None,
        "agreements": [{"id": a.id, "kind": a.kind, "title": a.title,
                        "line": a.span.line} for a in case.agreements],
        "violations": len(r.violations),
        "findings": [f.to_json() for f in r.findings],
        "expectations": {"checked": len(case.expectations),
                         "failed": [{"line": m.expectation.span.line, "message": m.message} for m in r.misses]},
    }


def tree(f: Finding) -> str:
    """A finding's whole derivation, down to the case-file lines."""
    lines = [f"{f.kind} {_finding_line(f)}", f"  agreement \"{f.agreement_title}\""]
    for i, d in enumerate(f.derivations):
        _derivation(d, "  ", i == len(f.derivations) - 1, lines)
    return "\n".join(lines) + "\n"


def _derivation(d: Derivation, indent: str, last: bool, lines: list[str]) -> None:
    a = d.rule.annotations
    branch, cont = ("└─ ", "   ") if last else ("├─ ", "│  ")
    head = a.get("id") or d.rule.head
    lines.append(f"{indent}{branch}{head}" + (f" · {a['cite']}" if a.get("cite") else "")
                 + f" · {d.rule.file}:{d.rule.line}")
    inner = indent + cont
    if d.says:
        lines.append(f"{inner}{d.says}")
    if a.get("reading"):
        lines.append(f"{inner}read as: {a['reading']}")
    if d.cure:
        lines.append(f"{inner}to cure: {d.cure}")
    lines.append(f"{inner}ground rule: {d.ground_rule}")
    for j, p in enumerate(d.premises):
        _premise(p, inner, j == len(d.premises) - 1, lines)


def _premise(p: Premise, indent: str, last: bool, lines: list[str]) -> None:
    branch, cont = ("└─ ", "   ") if last else ("├─ ", "│  ")
    where = f"   ({p.source})" if p.source else ""
    lines.append(f"{indent}{branch}{p.text}{where}")
    if p.derivation is not None:
        _derivation(p.derivation, indent + cont, not p.parts, lines)
    for k, part in enumerate(p.parts):
        _premise(part, indent + cont, k == len(p.parts) - 1, lines)


def why_not(query: str, attempts) -> str:
    """The rules that could derive a finding, each condition marked as holding or failing."""
    if not attempts:
        return f"{query} is not derived, and no rule derives findings like it.\n"
    lines = [f"{query} is not derived. Rules that could derive it:"]
    for attempt in attempts:
        a = attempt.rule.annotations
        lines.append(f"  {a.get('id', attempt.rule.head)} · {a.get('cite', '')} · "
                     f"{attempt.rule.file}:{attempt.rule.line}")
        if attempt.says:
            lines.append(f"    {attempt.says}")
        for c in attempt.conditions:
            lines.append(f"    {'✓' if c.holds else '✗'} {c.text}")
    return "\n".join(lines) + "\n"
