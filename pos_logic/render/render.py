"""Check results → text a person reads, or JSON a program reads. Deterministic: the same
results and policies always give the same bytes (no colours, no terminal widths, no timestamps)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import orjson
from clingo import Symbol, SymbolType

from ..check import CaseResult
from ..errors import Diagnostic
from ..explain.explain import Derivation, Finding, Premise
from ..language.model import FINDING, FINDING_KINDS, FINDINGS
from ..language.values import Money, Percent, value_from_symbol

JSON_VERSION = 2


def _finding_line(f: Finding) -> str:
    detail = f" ({f.detail})" if f.detail else ""
    return f"{f.label}{detail} — {f.cite} [{', '.join(f.rule_ids)}]"


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
                out.append(f"    {FINDING[kind].heading}")
                for f in group:
                    out.append(f"      {FINDING[kind].mark} {_finding_line(f)}")
                    if kind != "value":
                        out.append(f"          {f.reason}")
                    if f.derivations[0].cure:
                        out.append(f"          to cure: {f.derivations[0].cure}")
            for u in r.unstated:
                if u.agreement == agreement.title:
                    out.append(f"    ? {u.message}")
        for miss in r.misses:
            out.append(f"  expectation not met (line {miss.expectation.span.line}): {miss.message}")
        out.append("  " + summary(r))
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


@dataclass(frozen=True)
class Written:
    """A checked case as `pos check` writes it (its checklist, or its part of the JSON
    document, UTF-8) and what the run's exit code needs of it: what a worker process sends back."""

    text: str | bytes
    failed: bool
    incomplete: bool


def written(r: CaseResult, json: bool = False, derivations: bool = False) -> Written:
    """The case's text (json: its part of the JSON document, json_case), for stream_files' `each`."""
    return Written(json_case(r, derivations) if json else text([r]), r.failed, r.incomplete)


def summary(r: CaseResult) -> str:
    counts = Counter(f.kind for f in r.findings)
    parts = [f"{n} {k.counted[n != 1]}" for k in FINDINGS if (n := counts[k.name])]
    verdict = ("VIOLATIONS FOUND" if r.violations else
               "no violations among what the case states" if r.incomplete else "no violations")
    return f"{verdict}: " + (", ".join(parts) if parts else "no findings")


def tool_version() -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("pos-logic")
    except PackageNotFoundError:
        return "unknown"


def as_json(results: Iterable[CaseResult], *, policies: dict | None = None, settings: dict | None = None,
            errors: list[Diagnostic] | tuple[()] = (), derivations: bool = False) -> str:
    """One JSON document for a run, always (load errors included): what was found, under which
    tool, policies and settings. Derivations only when asked (they are large); the format is
    documented in docs/cli.md and docs/findings.schema.json."""
    return b"".join(json_parts(results, policies=policies, settings=settings, errors=errors,
                               derivations=derivations)).decode()


def json_parts(results: Iterable[CaseResult], *, policies: dict | None = None, settings: dict | None = None,
               errors: list[Diagnostic] | tuple[()] = (), derivations: bool = False) -> Iterator[bytes]:
    """as_json's document in pieces, one a case, for a stream of results: each case is made
    JSON, written and dropped in turn (full derivations run to megabytes a case). The pieces
    join to the UTF-8 bytes orjson (and json.dumps(indent=2, ensure_ascii=False)) writes for
    the whole document."""
    return json_document((json_case(r, derivations) for r in results), policies=policies, settings=settings,
                         errors=errors, derivations=derivations)


def json_case(r: CaseResult, derivations: bool = False) -> bytes:
    """One case's part of the JSON document, as json_document places it: two levels in, as
    orjson writes it inside two lists, less their brackets (indenting the text afterwards
    copied megabytes a case once more). UTF-8 bytes, as they are written: made text, a heavy
    case's 2 MB of derivations were decoded here and encoded again on their way out (and
    again both ways between the processes of a long run)."""
    nested = orjson.dumps([[case_json(r, derivations)]], option=orjson.OPT_INDENT_2)
    return nested[len(_NESTED_OPEN):-len(_NESTED_CLOSE)]


_NESTED_OPEN, _NESTED_CLOSE = b"[\n  [\n    ", b"\n  ]\n]"


def json_document(cases: Iterable[bytes], *, policies: dict | None = None, settings: dict | None = None,
                  errors: list[Diagnostic] | tuple[()] = (), derivations: bool = False) -> Iterator[bytes]:
    """json_parts, given each case's part already written (json_case). orjson writes the bytes
    json.dumps(indent=2, ensure_ascii=False) would, encoded, ~25x faster."""
    head = {"version": JSON_VERSION,
            "tool": {"name": "pos-logic", "version": tool_version()},
            "policies": policies or {},
            "settings": dict(sorted((settings or {}).items())),
            "derivations": "full" if derivations else "none",
            "errors": [diagnostic_json(d) for d in errors]}
    yield orjson.dumps(head, option=orjson.OPT_INDENT_2)[:-2] + b',\n  "cases": ['  # without its closing "\n}"
    first = True
    for case in cases:
        yield b"\n    " if first else b",\n    "
        yield case  # not joined to its separator: a copy of megabytes
        first = False
    yield b"]\n}\n" if first else b"\n  ]\n}\n"


def diagnostic_json(d: Diagnostic) -> dict:
    out = {"file": d.file, "line": d.line, "column": d.column, "severity": d.severity, "message": d.message}
    if d.hint:
        out["hint"] = d.hint
    return out


def symbol_json(sym: Symbol):
    """A finding argument as typed JSON: money in integer cents, dates ISO, names and texts."""
    value = value_from_symbol(sym)
    if isinstance(value, Money):
        return {"type": "money", "cents": value.cents, "text": str(value)}
    if isinstance(value, Percent):
        return {"type": "percent", "basis_points": value.basis_points, "text": str(value)}
    if isinstance(value, dt.date):
        return {"type": "date", "value": value.isoformat()}
    if sym.type is SymbolType.Number:
        return {"type": "integer", "value": sym.number}
    if sym.type is SymbolType.String:
        return {"type": "text", "value": sym.string}
    if sym.type is SymbolType.Function and not sym.arguments:
        return {"type": "name", "value": sym.name}
    return {"type": "term", "name": sym.name, "args": [symbol_json(a) for a in sym.arguments]}


def _finding_json(f: Finding, derivations: bool) -> dict:
    out = f.to_json()
    out["args"] = [symbol_json(a) for a in f.args]
    if not derivations:
        out.pop("derivations", None)
    return out


def case_json(r: CaseResult, derivations: bool = True) -> dict:
    case = r.case
    return {
        "file": case.file, "title": case.title, "jurisdiction": case.jurisdiction,
        "as_of": case.as_of.isoformat() if case.as_of else None,
        "agreements": [{"id": a.id, "kind": a.kind, "title": a.title,
                        "line": a.span.line} for a in case.agreements],
        "settings": r.settings,
        "violations": len(r.violations),
        "unstated": [u.to_json() for u in r.unstated],
        "complete": not r.incomplete,
        "findings": [_finding_json(f, derivations) for f in r.findings],
        "expectations": {"checked": len(case.expectations),
                         "failed": [{"line": m.expectation.span.line, "message": m.message} for m in r.misses]},
    }


class _Shown:
    """What a tree has printed already: each ground rule instance is printed once, labelled [n],
    and later uses of it point back at it (one subtree used 34 times prints once). By instance,
    not by atom: a finding two rules derive prints both derivations."""

    def __init__(self, depth: int | None):
        self.depth = depth
        self.labels: dict[tuple[int, str], int] = {}


def tree(f: Finding, depth: int | None = None, shown: _Shown | None = None) -> str:
    """A finding's whole derivation, down to the case-file lines; repeated subtrees print once,
    and depth limits how many rules deep it goes (None: all the way)."""
    shown = shown or _Shown(depth)
    lines = [f"{f.kind} {_finding_line(f)}", f"  agreement \"{f.agreement_title}\""]
    for i, d in enumerate(f.derivations):
        _derivation(d, "  ", i == len(f.derivations) - 1, lines, shown, 1)
    return "\n".join(lines) + "\n"


def trees(findings: list[Finding], depth: int | None = None) -> str:
    """Several findings' derivations; a subtree printed for one is referred to by the next."""
    shown = _Shown(depth)
    return "\n".join(tree(f, depth, shown) for f in findings)


def _derivation(d: Derivation, indent: str, last: bool, lines: list[str], shown: _Shown, level: int) -> None:
    a = d.rule.annotations
    branch, cont = ("└─ ", "   ") if last else ("├─ ", "│  ")
    head = a.get("id") or d.rule.head
    key = (d.rule.index, d.ground_rule)
    if key in shown.labels:
        lines.append(f"{indent}{branch}{head} · derived as shown above [{shown.labels[key]}]")
        return
    shown.labels[key] = len(shown.labels) + 1
    lines.append(f"{indent}{branch}[{shown.labels[key]}] {head}" + (f" · {a['cite']}" if a.get("cite") else "")
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
        _premise(p, inner, j == len(d.premises) - 1, lines, shown, level)


def _premise(p: Premise, indent: str, last: bool, lines: list[str], shown: _Shown, level: int) -> None:
    branch, cont = ("└─ ", "   ") if last else ("├─ ", "│  ")
    where = f"   ({p.source})" if p.source else ""
    deeper = p.derivation is not None or p.parts
    if deeper and shown.depth is not None and level >= shown.depth:
        lines.append(f"{indent}{branch}{p.text}{where}  …")
        return
    lines.append(f"{indent}{branch}{p.text}{where}")
    if p.derivation is not None:
        _derivation(p.derivation, indent + cont, not p.parts, lines, shown, level + 1)
    for k, part in enumerate(p.parts):
        _premise(part, indent + cont, k == len(p.parts) - 1, lines, shown, level)


def brief(f: Finding) -> str:
    """The short answer: rule, citation, sentence, reading, and the case lines it rests on."""
    lines = [f"{f.kind} {_finding_line(f)}", f"  agreement \"{f.agreement_title}\""]
    for d in f.derivations:
        a = d.rule.annotations
        lines.append(f"  rule {a.get('id') or d.rule.head} · {a.get('cite', '')} · {d.rule.file}:{d.rule.line}")
        if d.says:
            lines.append(f"    {d.says}")
        if a.get("reading"):
            lines.append(f"    read as: {a['reading']}")
        sources = sorted(set(_case_lines(d)), key=lambda x: (x[0].rsplit(":", 1)[0], int(x[0].rsplit(":", 1)[1])))
        for where, text in sources:
            lines.append(f"    from {where}: {text}")
    return "\n".join(lines) + "\n"


def _case_lines(d: Derivation):
    """Every case-file line a derivation rests on, at any depth."""
    for p in d.premises:
        yield from _premise_lines(p)


def _premise_lines(p: Premise):
    if p.kind == "fact" and p.source and not p.source.startswith("policies"):
        yield p.source, (p.source_text or p.text).strip()
    if p.derivation is not None:
        yield from _case_lines(p.derivation)
    for part in p.parts:
        yield from _premise_lines(part)


_NOTHING = "nothing in the case makes this hold: "


def _in_words(text: str, case, phrases: dict[str, tuple[str, str]]) -> str:
    """A failed condition said in words: what the rule is for and what the case is, or the
    predicate's `%@ means_not:` phrase, rather than its name."""
    if not text.startswith(_NOTHING):
        return text
    atom = text[len(_NOTHING):]
    name, _, args = atom.partition("(")
    words = [w.strip() for w in args.rstrip(")").split(",")]
    kinds = {str(a.id): a.kind for a in case.agreements} if case is not None else {}
    if name == "agreement_type" and len(words) == 2 and words[0] in kinds:
        return (f"this rule is for a {words[1].replace('_', ' ')}; the case's agreement is a "
                f"{kinds[words[0]].replace('_', ' ')}")
    means, means_not = phrases.get(name, ("", ""))
    if means_not:
        return f"{means_not} ({atom})"
    if means:
        return f"the case does not show that {means} ({atom})"
    return text


def why_not(query: str, attempts, case=None, phrases: dict[str, tuple[str, str]] | None = None) -> str:
    """The rules that could derive a finding, closest first (fewest failed conditions), each
    condition marked as holding or failing, in words where the policy gives them."""
    if not attempts:
        return f"{query} is not derived, and no rule derives findings like it.\n"
    phrases = phrases or {}
    ranked = sorted(attempts, key=lambda t: (sum(not c.holds for c in t.conditions),
                                             -sum(c.holds for c in t.conditions)))
    lines = [f"{query} is not derived. Rules that could derive it, closest first:"]
    for attempt in ranked:
        a = attempt.rule.annotations
        failed = sum(not c.holds for c in attempt.conditions)
        lines.append(f"  {a.get('id', attempt.rule.head)} · {a.get('cite', '')} · "
                     f"{attempt.rule.file}:{attempt.rule.line}"
                     + f" · {failed} condition{'s' if failed != 1 else ''} not met")
        if attempt.says:
            lines.append(f"    {attempt.says}")
        for c in attempt.conditions:
            lines.append(f"    {'✓' if c.holds else '✗'} {c.text if c.holds else _in_words(c.text, case, phrases)}")
    return "\n".join(lines) + "\n"
