"""A finding as a person names it ("approval dfa", 'document subcontractor_pcs_d("A B")'), and
why a case does not derive it: the one reading of such a query for the CLI and the web page."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from ..render import render
from ..check import CaseResult
from ..engine.engine import run_cases
from ..errors import PosError
from ..language.model import FINDING_KINDS, Case
from ..policy.policy import Policy, load_policy
from ..language.schema import load_schema
from .whynot import why_not


class QueryError(PosError):
    """A finding asked about that cannot be read (an unknown kind, no words)."""


def why_not_text(case: Case, result: CaseResult, query: str, settings: dict[str, str], *, policies: Path) -> str:
    """Why `query` is not derived for the case under the policies in `policies`: each rule that
    could derive it, its conditions marked as holding or failing; or that it is derived after all."""
    parts = words(query)
    if not parts:
        raise QueryError("name a finding, like \"approval dfa\"")
    kind, *key = parts
    if kind not in FINDING_KINDS:
        raise QueryError(f"{kind!r} is not a kind of finding ({', '.join(FINDING_KINDS)})")
    done = [f for f in result.findings if f.kind == kind and [k.lower() for k in f.key[:len(key)]] == [k.lower() for k in key]]
    if done:
        return f"{query} IS derived: run pos explain {case.file} \"{query}\" for its derivation\n"
    policy = load_policy(case.jurisdiction, policies)
    known_words(key, policy, case)
    [run] = run_cases([case], policy, settings=settings, every=True)
    attempts = why_not(run, policy, kind, tuple(key))
    return render.why_not(query, attempts, case, policy.means)


def known_words(key: list[str], policy: Policy, case: Case) -> None:
    """Every name in a query must occur in the policy, its schema or the case: `approval dfx`
    is a typo to point out, with the names it may have meant, not a finding 'not derived'."""
    schema = load_schema(policy.jurisdiction, policy.root)
    texts = [r.text for r in policy.rules] + [case.text]
    found = [w for t in texts for pair in re.findall(r'"([^"]*)"|([A-Za-z_][A-Za-z0-9_-]*)', t) for w in pair if w]
    found += list(schema.forms) + [v for b in schema.blocks.values() for a in b.attributes.values()
                                   for f in a.fields for v in f.values]
    vocabulary = {w.lower(): w for w in found}
    for word in (w.strip() for part in key for w in re.split(r"[(),]+", part) if w.strip()):
        if word[0] in "$0123456789" or word.lower() in vocabulary:
            continue
        hints = [vocabulary[m] for m in difflib.get_close_matches(word.lower(), list(vocabulary), n=3, cutoff=0.6)]
        raise QueryError(f"neither the {policy.jurisdiction} policies nor the case mention {word!r}, "
                         "so nothing can derive this finding"
                         + (f" (did you mean {' or '.join(map(repr, hints))}?)" if hints else ""))


def words(query: str) -> list[str]:
    """A finding as typed: words, with `f(a b)` and "a b" kept whole."""
    return [w.replace('"', '') for w in re.findall(r'[^\s(]+\([^)]*\)|"[^"]*"|\S+', query)]
