"""A finding as a person names it ("approval dfa", 'document subcontractor_pcs_d("A B")'), and
why a case does not derive it: the one reading of such a query for the CLI and the web page."""

from __future__ import annotations

import re

from . import render
from .check import CaseResult
from .engine import run_cases
from .errors import PosError
from .model import FINDING_KINDS, Case
from .policy import load_policy
from .whynot import why_not


class QueryError(PosError):
    """A finding asked about that cannot be read (an unknown kind, no words)."""


def why_not_text(case: Case, result: CaseResult, query: str, settings: dict[str, str]) -> str:
    """Why `query` is not derived for the case: each rule that could derive it, its conditions
    marked as holding or failing; or that it is derived after all."""
    parts = words(query)
    if not parts:
        raise QueryError("name a finding, like \"approval dfa\"")
    kind, *key = parts
    if kind not in FINDING_KINDS:
        raise QueryError(f"{kind!r} is not a kind of finding ({', '.join(FINDING_KINDS)})")
    done = [f for f in result.findings if f.kind == kind and [k.lower() for k in f.key[:len(key)]] == [k.lower() for k in key]]
    if done:
        return f"{query} IS derived: run pos explain {case.file} \"{query}\" for its derivation\n"
    policy = load_policy(case.jurisdiction)
    [run] = run_cases([case], policy, settings=settings)
    attempts = why_not(run, policy, kind, tuple(key), {f.head for f in run.firings}, {f.symbol for f in run.facts})
    return render.why_not(query, attempts)


def words(query: str) -> list[str]:
    """A finding as typed: words, with `f(a b)` and "a b" kept whole."""
    return [w.replace('"', '') for w in re.findall(r'[^\s(]+\([^)]*\)|"[^"]*"|\S+', query)]
