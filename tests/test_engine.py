"""Grounding many cases in one program keeps them apart; results do not depend on batching."""

from pos_logic.engine import run_cases
from pos_logic.explain import findings_of
from pos_logic.model import FINDING_KINDS
from pos_logic.policy import load_policy
from tests.conftest import make_case


def _summary(run, policy):
    return sorted((f.kind, f.key) for f in findings_of(run, policy, depth=1))


def test_one_case_never_sees_another_cases_facts(testland):
    policy = load_policy("testland")
    big = make_case("term 2024-01-01 to 2024-12-31\ncompensation $30,000.00")
    exempt = make_case("term 2024-01-01 to 2024-12-31\ncompensation $30,000.00\n"
                           "contractor { entity state_agency }")
    runs = run_cases([big, exempt], policy)
    assert ("document", ("F-1", "legal_attachment")) in _summary(runs[0], policy)
    assert ("document", ("F-1", "legal_attachment")) not in _summary(runs[1], policy)


def test_batched_results_equal_one_by_one_results(testland):
    policy = load_policy("testland")
    cases = [make_case(f"term 2024-01-01 to 2024-12-31\ncompensation ${c:,}.00") for c in range(24990, 25010)]
    batched = [_summary(r, policy) for r in run_cases(cases, policy, chunk=7)]
    single = [_summary(run_cases([c], policy)[0], policy) for c in cases]
    assert batched == single


def test_the_plain_program_derives_the_same_findings_as_the_instrumented_one(testland):
    policy = load_policy("testland")
    cases = [make_case("term 2025-07-01 to 2026-06-30\ncompensation $50,000.01\n"
                           "contractor { share 10% }")]
    [explained] = run_cases(cases, policy)
    [plain] = run_cases(cases, policy, explain=False)
    assert sorted(str(f.head) for f in plain.firings) == sorted(
        str(f.head) for f in explained.firings if f.head.name in
        FINDING_KINDS)


def test_the_parameter_in_force_follows_the_agreements_date(testland):
    policy = load_policy("testland")
    before = make_case("term 2025-06-30 to 2026-06-29\ncompensation $30,000.00")
    after = make_case("term 2025-07-01 to 2026-06-30\ncompensation $30,000.00")
    runs = run_cases([before, after], policy)
    assert ("document", ("F-1", "legal_attachment")) in _summary(runs[0], policy)
    assert ("document", ("F-1", "legal_attachment")) not in _summary(runs[1], policy)
