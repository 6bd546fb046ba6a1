"""Explanations are derivations: rule, citation, comparisons with the real amounts, negative
conditions, and the case-file lines underneath."""

import json
from pathlib import Path

from pos_logic.check import check_cases
from pos_logic.engine.engine import run_cases
from pos_logic.explain.explain import findings_of
from pos_logic.language.load import load_case
from pos_logic.policy.policy import load_policy
from pos_logic.render.render import as_json, trees
from pos_logic.web.report import html_report
from tests.conftest import TESTLAND_RULES, make_case


LOOP = """
%@ id: T-8
%@ cite: Testland Code § 8
%@ says: Y follows from X.
advisory(A, y) :- advisory(A, x).
%@ id: T-9
%@ cite: Testland Code § 9
%@ says: X follows from Y.
advisory(A, x) :- advisory(A, y).
%@ id: T-10
%@ cite: Testland Code § 10
%@ says: X follows from compensation.
advisory(A, x) :- compensation(A, _).
"""


def _finding(case, kind, label, depth=None):
    policy = load_policy("testland")
    [run] = run_cases([case], policy)
    [f] = [f for f in findings_of(run, policy, depth) if f.kind == kind and f.label == label]
    return f


def _walk(derivation):
    todo = list(derivation.premises)
    while todo:
        p = todo.pop(0)
        yield p
        todo.extend(p.parts)
        if p.derivation is not None:
            todo.extend(p.derivation.premises)


def test_a_threshold_finding_states_the_comparison_with_actual_amounts(testland):
    case = make_case("term 2024-01-01 to 2024-12-31\ncompensation $25,000.00\nreimbursable $0.01")
    f = _finding(case, "document", "F-1")
    assert f.rule_ids == ["T-1"]
    assert f.derivations[0].says == "A contract whose total exceeds $25,000.00 needs Form F-1."
    texts = [p.text for p in f.derivations[0].premises]
    assert "total $25,000.01 exceeds f1 threshold $25,000.00" in texts
    assert "the contractor is not a government entity" in texts


def test_a_derivation_runs_down_to_the_case_file_lines(testland):
    case = make_case("term 2024-01-01 to 2024-12-31\ncompensation $25,000.00\nreimbursable $0.01", name="acme.pos")
    f = _finding(case, "document", "F-1")
    sources = {p.source: p.source_text for p in _walk(f.derivations[0]) if p.kind == "fact"}
    assert sources["acme.pos:4"] == "compensation $25,000.00"
    assert sources["acme.pos:5"] == "reimbursable $0.01"
    policy_facts = [p for p in _walk(f.derivations[0]) if p.kind == "policy"]
    assert any("Testland Code § 1" in p.text and p.source.endswith("rules.lp:6") for p in policy_facts)


def test_the_ground_rule_instance_is_shown(testland):
    f = _finding(make_case("term 2024-01-01 to 2024-12-31\ncompensation $30,000.00"), "document", "F-1")
    assert f.derivations[0].ground_rule.startswith('document(1,"F-1",legal_attachment) :- total(1,usd(0,30000,0))')


def test_a_violation_carries_its_cure_and_percentage_comparison(testland):
    f = _finding(make_case("compensation $1.00\ncontractor { share 10% }"), "violation", "share_too_high")
    assert f.derivations[0].cure == "Reduce the share below 10%."
    assert any(p.text == "share 10% is at least 10%" for p in f.derivations[0].premises)


def test_a_checklist_needs_only_the_first_level(testland):
    f = _finding(make_case("term 2024-01-01 to 2024-12-31\ncompensation $30,000.00"), "document", "F-1", depth=1)
    assert all(p.derivation is None for p in f.derivations[0].premises)


def test_dates_compare_in_words(testland):
    f = _finding(make_case("term 2024-01-01 to 2024-12-31\ncompensation $30,000.00"), "document", "F-1")
    texts = [p.text for p in _walk(f.derivations[0])]
    assert any("2000-01-01 is on or before law date 2024-01-01" in t for t in texts)


def test_money_arithmetic_is_explained_in_words_not_limbs():
    """Appendix C case 2: the scaling step says the exact quotient and the rounding; the limbs
    (money.lp's `%@ internal:` predicates) are named once, never followed."""
    from pathlib import Path
    from pos_logic.check import check_files
    case = Path(__file__).resolve().parent.parent / "cases" / "arkansas" / "fg-appc-worked-examples.pos"
    [result], problems = check_files([case])
    assert problems == []
    [f] = [f for f in result.findings if f.kind == "value" and f.key == ("unit_rate(Counseling)", "$2.43")]
    derivations = [p.derivation for p in _walk(f.derivations[0]) if p.derivation is not None]
    says = [d.says for d in derivations if d.says]
    assert "$24,295.00 × 1/10000 is $2.42 and 9500/10000 of a cent (before its sign); " \
           "rounded half_up to the cent, $2.43" in says
    heads = {d.rule.head for d in derivations}
    assert "money_scaled" in heads and not heads & {"money_digit", "money_rest", "money_carry", "money_limb"}
    # the rounding names the quotient it rounds, from its own values (internal steps are not recorded)
    [rounding] = [d for d in derivations if d.rule.head == "money_round"][:1]
    [quotient] = [p for p in rounding.premises if p.atom and p.atom.startswith("money_quotient")]
    assert quotient.kind == "derived" and quotient.text.startswith("the quotient's magnitude in whole cents")
    assert quotient.atom == "money_quotient(unit_rate_of(5), $2.42, 9500)"
    assert "money_quotient(unit_rate_of(5),usd(0,2,42),9500)" in rounding.ground_rule


def test_full_derivations_do_not_record_internal_steps_yet_name_them(testland):
    """The money library's limbs are `%@ internal:`: full derivations leave their rules
    unrecorded (half a heavy case's records; the money test above shows a premise on one still
    said by its phrase); every=True records them too, and the other firings are the same."""
    policy = load_policy("testland")
    case = make_case("compensation $30,000.00")
    [run] = run_cases([case], policy)
    [every] = run_cases([case], policy, every=True)
    internal = {r.index for r in policy.rules if r.head in policy.internal}
    assert internal and not internal & {f.rule for f in run.firings}
    assert internal & {f.rule for f in every.firings}
    assert [f for f in every.firings if f in set(run.firings)] == run.firings


def _explained(runs, policy):
    return [[f.to_json() for f in findings_of(run, policy)] for run in runs]


def test_full_derivations_record_every_atom_an_explanation_follows(testland):
    """Full derivations record only the rules whose atoms an explanation can follow
    (policy.followed_predicates): what they explain is what the program in which every rule
    records explains, on Testland with a loop and an atom read only under `not`, and on
    pinned Arkansas and Connecticut cases."""
    (testland / "testland" / "rules.lp").write_text(TESTLAND_RULES + LOOP + """
%@ means: the contract is small
small(A) :- total(A, T), T < usd(0,100,0).
%@ id: T-12
%@ cite: Testland Code § 12
%@ says: A contract that is not small is reported.
advisory(A, large) :- agreement(A), not small(A).
""")
    policy = load_policy("testland")
    cases = [make_case("compensation $30,000.00"), make_case("compensation $30.00")]
    runs, every = run_cases(cases, policy), run_cases(cases, policy, every=True)
    assert sum(len(r.firings) for r in runs) < sum(len(r.firings) for r in every)
    assert not [f for r in runs for f in r.firings if policy.rules[f.rule].head == "small"]
    assert _explained(runs, policy) == _explained(every, policy)
    for jurisdiction in ("arkansas", "connecticut"):
        policy = load_policy(jurisdiction, Path("policies"))
        cases = [load_case(p, Path("policies")) for p in sorted(Path("cases", jurisdiction).glob("*.pos"))[::15]]
        assert _explained(run_cases(cases, policy), policy) == _explained(run_cases(cases, policy, every=True), policy)


def test_an_internal_atom_read_with_an_anonymous_variable_is_named_by_its_phrase(testland):
    """A rule that reads an internal helper with `_` cannot be given the atom (no record names
    it): its premise is the helper's phrase and the atom as the rule writes it."""
    (testland / "testland" / "rules.lp").write_text(TESTLAND_RULES + """
%@ internal: the scaled amount's quotient
quotient_of(A, Q, R) :- compensation(A, Q), R = 1.
%@ id: T-6
%@ cite: Testland Code § 6
%@ says: A quotient is computed.
advisory(A, quotient) :- quotient_of(A, _, R), R > 0.
""")
    f = _finding(make_case("compensation $30,000.00"), "advisory", "quotient")
    [premise] = [p for p in f.derivations[0].premises if p.kind == "derived"]
    assert premise.text == "the scaled amount's quotient: quotient_of(1,_,1)"
    assert premise.atom == "quotient_of(1,_,1)"


def test_internal_marks_the_predicate_so_none_of_its_rules_is_recorded(testland):
    """`%@ internal:` above one rule makes the predicate internal (the explanation never follows
    its atoms), so a second rule for it without the annotation is not recorded either."""
    (testland / "testland" / "rules.lp").write_text(TESTLAND_RULES + """
%@ internal: the scaled amount's quotient
quotient_of(A, Q, 1) :- compensation(A, Q).
quotient_of(A, Q, 2) :- reimbursable(A, Q).
%@ id: T-6
%@ cite: Testland Code § 6
%@ says: A quotient is computed.
advisory(A, quotient) :- quotient_of(A, Q, R), R > 0.
""")
    policy = load_policy("testland")
    [run] = run_cases([make_case("compensation $30,000.00\nreimbursable $1.00")], policy)
    assert "quotient_of" in policy.internal
    assert not [f for f in run.firings if policy.rules[f.rule].head == "quotient_of"]
    assert len([f for f in run.firings if policy.rules[f.rule].head == "advisory"]) == 2


def test_a_positive_loop_in_the_policy_is_explained_without_going_round(testland):
    """x's first firing (T-9) is through y and y's (T-8) through x: the derivations that full
    explanations share must still not lead back to themselves, so the JSON document and the
    HTML page are finite (both ran out of stack before), and y's premise x is named."""
    (testland / "testland" / "rules.lp").write_text(TESTLAND_RULES + LOOP)
    [result] = check_cases([make_case("compensation $30,000.00")], depth=None)

    def walk(derivation, path):
        assert derivation not in path, "a derivation leads back to itself"
        for premise in derivation.premises:
            for p in (premise, *premise.parts):
                if p.derivation is not None:
                    walk(p.derivation, path + [derivation])

    for f in result.findings:
        for d in f.derivations:
            walk(d, [])
    [x] = [f for f in result.findings if f.label == "x"]
    assert [d.rule.annotations["id"] for d in x.derivations] == ["T-10", "T-9"]
    [y] = [f for f in result.findings if f.label == "y"]
    assert [p.atom for p in y.derivations[0].premises] == ["advisory(1, x)"]
    doc = json.loads(as_json([result], derivations=True))
    assert {f["finding"] for f in doc["cases"][0]["findings"]} >= {"x", "y"}
    assert "advisory(1, x)" in html_report([result])


def test_a_finding_two_rules_derive_prints_both_derivations(testland):
    """`pos explain` printed a finding's second derivation as 'derived as shown above' and
    pointed at the first, another rule's: each ground rule instance is printed once instead."""
    (testland / "testland" / "rules.lp").write_text(TESTLAND_RULES + """
%@ id: T-13
%@ cite: Testland Code § 13
%@ says: A paid contract needs the board's approval.
approval(A, board) :- compensation(A, _).
""")
    [result] = check_cases([make_case("compensation $30,000.00")], depth=None)
    [board] = [f for f in result.findings if f.label == "board"]
    printed = trees([board])
    assert "ground rule: approval(1,board) :- agreement(1)." in printed
    assert "ground rule: approval(1,board) :- compensation(1,_)." in printed
    assert "derived as shown above" not in printed
