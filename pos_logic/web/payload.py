"""Check results as the JSON the web page, the API and the HTML report read: the findings JSON
of `render.case_json` with the case's source text beside it (to show and highlight its lines),
and input problems as a list of located errors."""

from __future__ import annotations

from ..check import CaseResult
from ..errors import Diagnostic
from ..language.model import FINDINGS
from ..render.render import JSON_VERSION, case_json

#: the version of the API's request and response documents (docs/web.md)
API_VERSION = 1


def result_payload(result: CaseResult) -> dict:
    return {**case_json(result), "source": result.case.text}


def errors_payload(diagnostics: list[Diagnostic]) -> dict:
    return {"version": API_VERSION, "errors": [diagnostic_json(d) for d in diagnostics]}


def diagnostic_json(d: Diagnostic) -> dict:
    out = {"file": d.file, "line": d.line, "column": d.column, "message": d.message,
           "text": d.headline(), "severity": d.severity}
    if d.hint:
        out["hint"] = d.hint
    if d.expected:
        out["expected"] = list(d.expected)
    return out


def kinds() -> list[list[str]]:
    """The finding kinds in checklist order, with their headings and marks (the page groups by
    them)."""
    return [[k.name, k.heading, k.mark] for k in FINDINGS]


def results_payload(results: list[CaseResult]) -> dict:
    return {"version": API_VERSION, "findings_version": JSON_VERSION, "kinds": kinds(),
            "cases": [result_payload(r) for r in results]}
