"""Loading policies: annotations, refusals with file:line, case threading, instrumentation."""

import pytest

from pos_logic.errors import InputError
from pos_logic.policy.policy import load_policy


def _broken(testland, text: str) -> InputError:
    (testland / "testland" / "extra.lp").write_text(text)
    with pytest.raises(InputError) as err:
        load_policy("testland")
    return err.value


def test_finding_rules_carry_their_annotations(testland):
    policy = load_policy("testland")
    [rule] = [r for r in policy.rules if r.annotations.get("id") == "T-1"]
    assert rule.annotations["cite"] == "Testland Code § 1"
    assert rule.head == "document" and rule.file == "policies/testland/rules.lp"


@pytest.mark.parametrize("text, line, fragment", [
    ("%@ id: X\n%@ cite: c\nviolation(A, x) :- agreement(A).\n", 3, "lacks '%@ says:'"),
    ("approval(A, x) :- agreement(A).\n", 1, "lacks '%@ id:'"),
    ("\n:- agreement(A).\n", 2, "integrity constraint"),
    ("{ p(A) } :- agreement(A).\n", 1, "choice"),
    ('#script (python)\ndef f(): pass\n#end.\n', 1, "must not run code"),
    ("#external e.\n", 1, "#external"),
    ("#program other.\np.\n", 1, "one base program"),
    ("p(X :- q.\n", 1, "syntax error"),
    ("_pos_fired(1).\n", 1, "reserved"),
    ("#const limit = 5.\n", 1, "dated parameter"),
    ("a :- b, #minimize{1:c}.\n", 1, "syntax error"),
])
def test_a_broken_rule_file_is_refused_at_its_line(testland, text, line, fragment):
    err = _broken(testland, text)
    [diag] = [d for d in err.diagnostics if d.file.endswith("extra.lp")][:1]
    assert diag.line == line
    assert fragment in diag.message


def test_include_is_refused(testland):
    err = _broken(testland, '#include "/etc/passwd".\n')
    assert any(d.file.endswith("extra.lp") for d in err.diagnostics)


def test_unsafe_variables_are_reported_in_the_policy_file(testland):
    (testland / "testland" / "extra.lp").write_text("%@ id: X\n%@ cite: c\n%@ says: s\nviolation(A, B) :- agreement(A).\n")
    from pos_logic.engine.engine import run_cases
    from tests.conftest import make_case
    with pytest.raises(InputError) as err:
        run_cases([make_case("compensation $1.00")], load_policy("testland"))
    assert any(d.file.endswith("extra.lp") and d.line == 4 and "unsafe" in d.message for d in err.value.diagnostics)


def test_parameters_stay_global_and_case_rules_are_threaded(testland):
    policy = load_policy("testland")
    assert "param" not in policy.local
    assert {"total", "document", "government", "compensation"} <= policy.local


def _findings(policy, body: str):
    from pos_logic.engine.engine import run_cases
    from pos_logic.explain.explain import findings_of
    from tests.conftest import make_case
    [run] = run_cases([make_case(body)], policy)
    return sorted((f.kind, f.key) for f in findings_of(run, policy, depth=1))


def test_an_edit_to_a_rule_file_is_seen_at_once(testland):
    body = "term 2024-01-01 to 2024-12-31\ncompensation $20,000.00"
    assert ("document", ("F-1", "legal_attachment")) not in _findings(load_policy("testland"), body)
    rules = testland / "testland" / "rules.lp"
    rules.write_text(rules.read_text().replace("usd(0,25000,0)", "usd(0,15000,0)"))
    assert ("document", ("F-1", "legal_attachment")) in _findings(load_policy("testland"), body)
    rules.write_text(rules.read_text().replace("usd(0,15000,0)", "usd(0,25000,0)"))  # and back
    assert ("document", ("F-1", "legal_attachment")) not in _findings(load_policy("testland"), body)


def test_the_policy_read_from_the_cache_is_the_policy_compiled(testland, tmp_path):
    from pos_logic.policy.policy import _load_policy, compile_policy
    from pos_logic.policy.policy_cache import cache_dir, policy_key
    compiled = load_policy("testland")
    [entry] = cache_dir().glob("testland-*.pickle")
    _load_policy.cache_clear()  # as a new process would: from the disk
    cached = load_policy("testland")
    assert cached is not compiled and cached == compiled
    assert cached == compile_policy("testland", testland, policy_key("testland", testland))
    entry.write_bytes(b"not a pickle")  # a damaged entry is compiled again
    _load_policy.cache_clear()
    assert load_policy("testland") == compiled


def test_a_rule_parsed_again_from_its_text_is_the_rule_as_written():
    from pos_logic.policy.policy import Rule, compile_policy
    from pos_logic.policy.resources import bundled_policies
    for rule in compile_policy("arkansas", bundled_policies()).rules:
        again = Rule.node.func(rule)  # what a rule read from the cache parses
        assert str(again) == str(rule.node) and again.location == rule.node.location, rule.location


def test_the_compiled_policy_is_immutable(testland):
    import dataclasses
    policy = load_policy("testland")
    with pytest.raises(dataclasses.FrozenInstanceError):
        policy.rules = ()


def test_the_schema_is_kept_with_the_policy_and_an_edit_to_it_is_seen_by_the_next_process(testland):
    from pos_logic.language.schema import _load_schema, load_schema
    from pos_logic.policy.policy_cache import cache_dir
    read = load_schema("testland")
    [entry] = cache_dir().glob("testland.schema-*.pickle")
    _load_schema.cache_clear()  # as a new process would: from the disk
    assert load_schema("testland") == read and "F-3" not in read.forms
    schema = testland / "testland" / "schema.toml"
    schema.write_text(schema.read_text().replace('"F-2" = "Form F-2"', '"F-2" = "Form F-2"\n"F-3" = "Form F-3"'))
    _load_schema.cache_clear()
    assert load_schema("testland").forms["F-3"] == "Form F-3"
    schema.write_text(schema.read_text().replace('"F-3" = "Form F-3"', '"F-3" = '))  # broken: not kept
    _load_schema.cache_clear()
    with pytest.raises(InputError, match="not valid TOML"):
        load_schema("testland")
    assert len(list(cache_dir().glob("testland.schema-*.pickle"))) == 2 and entry.exists()


def test_finding_rules_with_one_head_share_a_record_predicate_and_it_is_projected_once(testland):
    """In a checklist, two finding rules deriving document/2 with as many variables record into
    one predicate, each record carrying its rule's number; the program holds that predicate's
    projection and #show once, and the engine still tells which rule derived what. The whole
    program keeps a record predicate per rule (shared, its recursive rules ground slower)."""
    from pos_logic.engine.engine import run_cases
    from pos_logic.language.load import load_case_text
    (testland / "testland" / "extra.lp").write_text(
        "%@ id: T-90\n%@ cite: Testland Code § 90\n%@ says: a second form.\n"
        "document(A, second) :- agreement(A).\n"
        "%@ id: T-91\n%@ cite: Testland Code § 91\n%@ says: a third form.\n"
        "document(A, third) :- agreement(A).\n")
    policy = load_policy("testland")
    ours = [r for r in policy.rules if r.annotations.get("id") in ("T-90", "T-91")]
    lines = policy.text("checklist").split("\n")
    assert len(lines) == len(set(lines))  # no statement twice
    shows = [line for line in lines if line.startswith("#show _pos_r1_2_document/")]
    assert shows == ["#show _pos_r1_2_document/4."]
    assert sum(line.startswith("document(POS_Case,POS_H0,POS_H1) :- ") for line in lines) == 1
    case = load_case_text('jurisdiction testland\ncontract "A" {\n term 2025-07-01 to 2026-06-30\n'
                          ' compensation $5.00\n}\n', "a.pos")
    for depth in (1, None):
        [run] = run_cases([case], policy, depth=depth)
        derived = {str(f.head): f.rule for f in run.firings if f.head.name == "document"}
        assert derived["document(1,second)"] == ours[0].index
        assert derived["document(1,third)"] == ours[1].index
    program = policy.text("program").split("\n")
    assert all(f"#show _pos_r{rule.index}/4." in program for rule in ours)
