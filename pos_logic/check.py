"""Check case files: load them, group them by jurisdiction, run each group in one engine call,
and explain the findings. The library entry point the CLI and the test runner use.

    >>> results, errors = check_files(["cases/arkansas/example.pos"])  # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .engine import run_cases
from .errors import Diagnostic, InputError
from .expect import Miss, compare
from .explain import Finding, findings_of
from .load import load_case
from .model import Case
from .policy import load_policy


@dataclass
class CaseResult:
    case: Case
    findings: list[Finding]
    misses: list[Miss]

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.kind == "violation"]


def expand(paths) -> list[Path]:
    """Files as given, folders as every *.pos below them, in sorted order."""
    out: list[Path] = []
    for p in map(Path, paths):
        out.extend(sorted(p.rglob("*.pos")) if p.is_dir() else [p])
    return out


def check_cases(cases: list[Case], depth: int | None = None) -> list[CaseResult]:
    by_jurisdiction: dict[str, list[int]] = {}
    for i, case in enumerate(cases):
        by_jurisdiction.setdefault(case.jurisdiction, []).append(i)
    results: list[CaseResult | None] = [None] * len(cases)
    for jurisdiction, indexes in sorted(by_jurisdiction.items()):
        policy = load_policy(jurisdiction)
        runs = run_cases([cases[i] for i in indexes], policy)
        for i, run in zip(indexes, runs):
            findings = findings_of(run, policy, depth)
            results[i] = CaseResult(run.case, findings, compare(run.case, findings))
    return results  # type: ignore[return-value]


def check_files(paths, depth: int | None = None) -> tuple[list[CaseResult], list[Diagnostic]]:
    """Results for the files that load, and the diagnostics of those that do not."""
    cases, problems = [], []
    for path in expand(paths):
        try:
            cases.append(load_case(path))
        except InputError as err:
            problems.extend(err.diagnostics)
    return check_cases(cases, depth), problems
