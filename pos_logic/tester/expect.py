"""A case's `expect` block against its derived findings: what failed, as a readable diff.

An expectation names a finding by kind and the start of its arguments (`document PCS-D` matches
document(A, "PCS-D", legal_attachment)); `not` pins its absence, `KIND none` pins that no
finding of that kind is derived, `KIND only a, b` pins exactly these, and `because ID ID`
pins the rules that derive it: the set must be the same, so a changed reason fails even when
the outcome does not.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..explain.explain import Finding
from ..language.model import Case, Expectation


@dataclass(frozen=True)
class Miss:
    expectation: Expectation
    message: str


def _matches(e: Expectation, f: Finding) -> bool:
    if f.kind != e.kind or (e.agreement is not None and f.agreement_title != e.agreement):
        return False
    key = [k.lower() for k in f.key]
    want = [k.lower() for k in e.key]
    if not want:  # `KIND none`: every finding of the kind
        return True
    if len(want) > len(key):
        return False
    # the last word may name a compound finding without its arguments: missing_document
    return want[:-1] == key[:len(want) - 1] and (want[-1] == key[len(want) - 1]
                                                   or key[len(want) - 1].startswith(want[-1] + "("))


def compare(case: Case, findings: list[Finding]) -> list[Miss]:
    """Every expectation of the case that the findings do not meet."""
    misses = []
    for e in case.expectations:
        wanted = " ".join(e.key)
        hits = [f for f in findings if _matches(e, f)]
        if e.mode == "only":
            others = [f for f in findings if f.kind == e.kind and not any(_matches(o, f) for o in _group(case, e))
                      and (e.agreement is None or f.agreement_title == e.agreement)]
            if others and e is _group(case, e)[0]:
                misses.append(Miss(e, f"expected only the {e.kind}s listed, also derived: "
                                      + ", ".join(f"{f.label} [{', '.join(f.rule_ids)}]" for f in others)))
        if e.mode == "none":
            found = [f for f in findings if f.kind == e.kind
                     and (e.agreement is None or f.agreement_title == e.agreement)]
            if found:
                misses.append(Miss(e, f"expected no {e.kind}, derived: "
                                      + ", ".join(f"{f.label} [{', '.join(f.rule_ids)}]" for f in found)))
        elif e.mode == "absent":
            if hits:
                misses.append(Miss(e, f"expected no {e.kind} {wanted}, derived by "
                                      + ", ".join(i for f in hits for i in f.rule_ids)))
        elif not hits:
            misses.append(Miss(e, f"expected {e.kind} {wanted}, not derived"))
        elif e.because:
            ids = {i for f in hits for i in f.rule_ids}
            if ids != set(e.because):
                misses.append(Miss(e, f"expected {e.kind} {wanted} because {' '.join(e.because)}; "
                                      f"derived because {' '.join(sorted(ids))}"))
    return misses


def _group(case: Case, e: Expectation) -> list[Expectation]:
    """The lines of one `KIND only …` statement."""
    return [o for o in case.expectations if o.mode == "only" and o.kind == e.kind
            and o.agreement == e.agreement and o.span == e.span]


def diff_text(case: Case, findings: list[Finding], misses: list[Miss]) -> str:
    """Expected vs derived, for a failing case."""
    lines = [f"{case.file}: {case.title}: {len(misses)} expectation(s) not met"]
    for m in misses:
        lines.append(f"  line {m.expectation.span.line}: {m.message}")
    lines.append("  derived:")
    several = len(case.agreements) > 1
    for f in findings:
        lines.append(f"    {f.kind} {f.label}" + (f" ({f.detail})" if f.detail else "")
                     + f"  [{', '.join(f.rule_ids)}]" + (f"  in \"{f.agreement_title}\"" if several else ""))
    if not findings:
        lines.append("    (nothing)")
    return "\n".join(lines)
