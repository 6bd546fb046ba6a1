"""Leaving out the case rules that cannot fire (policy/reach.py) changes nothing clingo derives:
every pinned case checked alone, with only the rules its facts reach, records the same ground
instances as with every rule."""

from collections import defaultdict
from pathlib import Path

import pytest
from clingo import Function

from pos_logic.engine.engine import CaseRun, answer, present
from pos_logic.language.facts import from_case
from pos_logic.language.load import load_case
from pos_logic.policy.policy import load_policy
from pos_logic.policy.resources import bundled_policies

ROOT = bundled_policies()
CASES = sorted(Path("cases").rglob("*.pos"))


def _records(runs, policy, program):
    out = defaultdict(list)
    for sym in answer(runs, policy, program):
        rule, case, *rest = sym.arguments  # a record: the rule's number, the case, the head, the values
        out[case.number].append(str(Function(sym.name, [rule, *rest])))
    return [sorted(out[i]) for i in range(len(runs))]


def _by_jurisdiction():
    runs = defaultdict(list)
    for path in CASES:
        case = load_case(path, ROOT)
        runs[case.jurisdiction].append(CaseRun(case, from_case(case, None, ROOT)))
    return sorted(runs.items())


@pytest.mark.parametrize("view, every", [("checklist", 1), ("derivations", 30), ("program", 30)])
def test_each_pinned_case_with_only_the_rules_it_reaches_derives_what_every_rule_derives(view, every):
    """The checklist view records every finding rule's instances, on every pinned case; the
    program view every case rule's, on one case in `every` (it costs ~0.1 s a case)."""
    checked = 0
    for jurisdiction, runs in _by_jurisdiction():
        policy = load_policy(jurisdiction, ROOT)
        runs = runs[::every]
        whole = _records(runs, policy, policy.text(view))
        for run, expected in zip(runs, whole):
            assert _records([run], policy, policy.text(view, present([run]))) == [expected], run.case.file
            checked += 1
    assert checked >= len(CASES) // every >= 10


def test_a_one_agreement_contract_reaches_a_fraction_of_the_rules():
    policy = load_policy("arkansas", ROOT)
    case = load_case("cases/examples/acme-counseling.pos", ROOT)
    run = CaseRun(case, from_case(case, None, ROOT))
    kept = policy.text("plain", present([run])).count("\n") + 1
    assert kept < len(policy.parts) / 2
