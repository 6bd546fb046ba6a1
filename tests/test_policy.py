"""Loading policies: annotations, refusals with file:line, case threading, instrumentation."""

import pytest

from pos_logic.errors import InputError
from pos_logic.policy import load_policy


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
    from pos_logic.engine import run_cases
    from tests.conftest import make_case
    with pytest.raises(InputError) as err:
        run_cases([make_case("compensation $1.00")], load_policy("testland"))
    assert any(d.file.endswith("extra.lp") and d.line == 4 and "unsafe" in d.message for d in err.value.diagnostics)


def test_parameters_stay_global_and_case_rules_are_threaded(testland):
    policy = load_policy("testland")
    assert "param" not in policy.local
    assert {"total", "document", "government", "compensation"} <= policy.local
