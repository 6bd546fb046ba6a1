"""Grounding many cases in one program keeps them apart; results do not depend on batching."""

import os
from pathlib import Path

import pytest

from pos_logic.engine.engine import CaseRun, answer, run_cases
from pos_logic.explain.explain import findings_of
from pos_logic.language.facts import from_case
from pos_logic.language.model import FINDING_KINDS
from pos_logic.policy.policy import load_policy
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


def test_a_program_without_a_show_shows_only_what_is_asked_for(testland):
    """A chunk whose facts reach no finding rule grounds a program with no #show of its own;
    clingo then shows every atom, and reading a case-independent atom as a rule's record
    crashed the check (a fuzzed Connecticut report with neither a year nor an as_of date)."""
    policy = load_policy("testland")
    case = make_case("term 2024-01-01 to 2024-12-31\ncompensation $30,000.00")
    runs = [CaseRun(case, from_case(case, None, policy.root))]
    assert list(answer(runs, policy, "p(1). q(X) :- p(X).")) == []
    assert [str(s) for s in answer(runs, policy, "p(1). q(X) :- p(X).", "#show q/1.")] == ["q(1)"]


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


def test_plain_clingo_on_the_files_as_written_prints_the_findings_pos_check_lists():
    """common/show.lp: `pos facts` plus the rule files under plain clingo shows the findings,
    and only them."""
    import clingo
    from pos_logic.language.facts import from_case
    from pos_logic.language.load import load_case
    from pos_logic.language.model import FINDING_KINDS
    from pos_logic.policy.policy import policy_files
    from pos_logic.policy.resources import bundled_policies
    root = bundled_policies()
    case = load_case("cases/examples/acme-counseling.pos", root)
    policy = load_policy("arkansas", root)
    ctl = clingo.Control(["--warn=none"])
    for path in policy_files("arkansas", root):
        ctl.add("base", [], path.read_text(encoding="utf-8"))
    ctl.add("base", [], "\n".join(f"{f.symbol}." for f in from_case(case, None, root)))
    ctl.ground([("base", [])])
    with ctl.solve(yield_=True) as handle:
        shown = sorted(map(str, next(iter(handle)).symbols(shown=True)))
    [run] = run_cases([case], policy)
    findings = sorted(str(f.head) for f in run.firings if f.head.name in FINDING_KINDS)
    assert shown == sorted(set(findings)) and len(shown) > 10


def test_a_batch_split_over_processes_gives_the_same_results_in_the_same_order(monkeypatch, tmp_path):
    from pos_logic import check
    files = sorted(Path("cases/arkansas").glob("ch3-*.pos"))[:4] + [tmp_path / "bad.pos"]
    (tmp_path / "bad.pos").write_text("jurisdiction arkansas\ncontract {\n")
    one, one_problems = check.check_files(files, depth=1)
    monkeypatch.setattr(check._Workers, "RECYCLE", 1)  # a fresh process for each chunk after the first two
    run = check.stream_files(files, depth=1, chunk=1, jobs=2)
    two, two_problems = list(run.results), run.problems
    assert [r.case.file for r in two] == [r.case.file for r in one] and len(one) == 4
    assert [[(f.kind, f.key, f.reason, [str(a) for a in f.args]) for f in r.findings] for r in two] == \
        [[(f.kind, f.key, f.reason, [str(a) for a in f.args]) for f in r.findings] for r in one]
    assert two_problems == one_problems and one_problems


def test_a_clingo_symbol_crosses_between_processes_as_itself():
    """By default a Symbol pickles as its address in one process's symbol table."""
    import multiprocessing

    from pos_logic.language.facts import Fact
    from pos_logic.errors import Span
    made = multiprocessing.get_context("spawn").Pool(1).apply(_a_fact_made_elsewhere)
    assert str(made.symbol) == 'fresh_in_that_process(1,"a \\"quoted\\" text",usd(0,5,0),(-2,#sup))'
    assert made == Fact.of(made.name, list(made.args), Span("x.pos", 3, 1, 3, 9))


def _a_fact_made_elsewhere():
    from clingo import parse_term

    from pos_logic.language.facts import Fact
    from pos_logic.errors import Span
    args = [parse_term(t) for t in ('1', '"a \\"quoted\\" text"', "usd(0,5,0)", "(-2,#sup)")]
    return Fact.of("fresh_in_that_process", args, Span("x.pos", 3, 1, 3, 9))


def test_a_batch_split_over_processes_writes_the_text_and_json_written_in_one():
    """What pos check --jobs 2 prints: each case written in the worker that checked it."""
    from functools import partial

    from pos_logic import check
    from pos_logic.render import render
    files = sorted(Path("cases/arkansas").glob("ch2-*.pos"))[:7]
    one, _ = check.check_files(files, depth=None)
    for each, expected in ((render.written, [render.written(r) for r in one]),
                           (partial(render.written, json=True, derivations=True),
                            [render.written(r, json=True, derivations=True) for r in one])):
        run = check.stream_files(files, depth=None, chunk=2, jobs=2, each=each)
        assert list(run.results) == expected and not run.problems
    assert any(w.failed for w in expected) and any(w.incomplete for w in expected) \
        and b"derivations" in expected[0].text


def _dies(result):
    os._exit(9)  # a worker killed mid-run (the out-of-memory killer, a kill -9)


def test_a_worker_that_dies_stops_the_run_with_a_message():
    from pos_logic import check
    files = sorted(Path("cases/arkansas").glob("ch2-*.pos"))[:4]
    with pytest.raises(check.WorkerError, match="--jobs 1"):
        list(check.stream_files(files, depth=1, chunk=2, jobs=2, each=_dies).results)


def test_a_run_goes_on_in_one_process_where_processes_cannot_start(monkeypatch):
    from pos_logic import check
    files = sorted(Path("cases/arkansas").glob("ch2-*.pos"))[:4]

    def no_processes(self, jobs):
        raise OSError("no /dev/shm here")

    monkeypatch.setattr(check._Workers, "__init__", no_processes)
    one, _ = check.check_files(files, depth=1)
    run = check.stream_files(files, depth=1, chunk=2, jobs=2)
    assert [(r.case.file, [f.reason for f in r.findings]) for r in run.results] == \
        [(r.case.file, [f.reason for f in r.findings]) for r in one]


def test_a_trace_finds_a_fact_by_its_atom_and_builds_only_the_atoms_asked_about(testland):
    """A fact's clingo atom is made when an explanation looks it up, one predicate at a time
    (the engine never reads it); a fact of another predicate is never built, and a fact that
    crossed between processes is found as before."""
    import pickle

    from clingo import Function, Number

    from pos_logic.engine.trace import Trace
    policy = load_policy("testland")
    case = make_case("term 2024-01-01 to 2024-12-31\ncompensation $30,000.00")
    [run] = run_cases([case], policy)
    run.facts = pickle.loads(pickle.dumps(run.facts))
    trace = Trace(run, policy)
    [agreement] = [f for f in run.facts if f.name == "agreement"]
    assert trace.fact(Function("agreement", [Number(1)])) is agreement
    assert trace.fact(Function("agreement", [Number(2)])) is None
    assert trace.holds(Function("agreement", [Number(1)]))
    assert "symbol" in vars(agreement)
    assert all("symbol" not in vars(f) for f in run.facts if f.name != "agreement")
    [compensation] = [f for f in run.facts if f.name == "compensation"]
    assert list(trace.matching("compensation", [Number(1), None])) == [compensation.symbol]


def test_a_trace_matches_bound_arguments_as_comparing_every_atom_would():
    """trace.matching looks atoms up by their bound arguments' values, in an index a predicate
    gets for each set of bound positions; it must find what comparing every atom of the
    predicate finds, in the same order (derived atoms, then facts), however the arguments are
    bound: here each atom of the bundled example's answer, with each of its first three
    arguments bound or not."""
    import itertools

    from pos_logic.engine.trace import Trace
    from pos_logic.language.load import load_case
    policy = load_policy("arkansas")
    [run] = run_cases([load_case(Path(__file__).parents[1] / "cases/examples/acme-counseling.pos")], policy)
    trace = Trace(run, policy)

    def every(name, arity):
        derived = [h for h in trace.derived if h.name == name and len(h.arguments) == arity]
        return derived + list(dict.fromkeys(f.symbol for f in run.facts if f.name == name and len(f.args) == arity))

    atoms = [*trace.derived, *(f.symbol for f in run.facts)]
    assert len(atoms) > 100
    for sym in atoms:
        args = sym.arguments
        for bound in itertools.product([True, False], repeat=min(len(args), 3)):
            values = [a if i >= len(bound) or bound[i] else None for i, a in enumerate(args)]
            want = [s for s in every(sym.name, len(args))
                    if all(v is None or v == a for v, a in zip(values, s.arguments))]
            assert list(trace.matching(sym.name, values)) == want, (sym, values)
