"""`pos lint` findings → text with `error:`/`warning:` marks, JSON, or SARIF 2.1.0 for code-scanning
tools (GitHub, GitLab, IDEs): the same diagnostics, each at file:line:col.

    >>> from pos_logic.errors import Diagnostic
    >>> doc = json.loads(as_sarif([Diagnostic("p/a.lp", 3, 1, "no cite")], Path("p")))
    >>> doc["version"], doc["runs"][0]["results"][0]["level"]
    ('2.1.0', 'error')
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

from ..errors import Diagnostic, InputError
from ..policy.resources import Policies, provenance

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_RULES = {"error": "pos-lint/error", "warning": "pos-lint/warning"}


def missing_table(table: Path) -> Diagnostic:
    """No coverage table: the id check did not run, and lint says so rather than pass quietly."""
    return Diagnostic(str(table), 1, 1, "no coverage table here: the check that every finding id "
                      "appears in it was skipped (give one with --coverage)", severity="warning")


def text(found: list[Diagnostic]) -> str:
    """Each diagnostic with its source line; errors marked `error:` as warnings are `warning:`."""
    marked = [d if d.severity == "warning" else dataclasses.replace(d, message="error: " + d.message)
              for d in found]
    return InputError(marked).render()


def _uri(file: str) -> str:
    path = Path(file)
    if path.is_absolute():
        try:
            return Path(os.path.relpath(path)).as_posix()
        except ValueError:
            return path.as_posix()
    return path.as_posix()


def as_json(found: list[Diagnostic], policies: Policies) -> str:
    from ..render.render import diagnostic_json
    errors = sum(1 for d in found if d.severity != "warning")
    doc = {"policies": provenance(policies), "errors": errors, "warnings": len(found) - errors,
           "diagnostics": [dict(diagnostic_json(d), file=_uri(d.file)) for d in found]}
    return json.dumps(doc, indent=2, ensure_ascii=False)


def as_sarif(found: list[Diagnostic], root: Path) -> str:
    from ..render.render import tool_version
    results = []
    for d in found:
        level = "warning" if d.severity == "warning" else "error"
        message = d.message + (f" (did you mean '{d.hint}'?)" if d.hint else "")
        results.append({
            "ruleId": _RULES[level], "level": level, "message": {"text": message},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": _uri(d.file)},
                "region": {"startLine": max(d.line, 1), "startColumn": max(d.column, 1)}}}],
        })
    rules = [{"id": rule, "shortDescription": {"text": f"pos lint {level}"},
              "defaultConfiguration": {"level": level}} for level, rule in _RULES.items()]
    doc = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [{
        "tool": {"driver": {"name": "pos lint", "version": tool_version(), "rules": rules}},
        "results": results}]}
    return json.dumps(doc, indent=2, ensure_ascii=False)
