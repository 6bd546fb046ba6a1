"""`pos lint`: each defect, planted in a copy of the small testland jurisdiction, is reported at
its file, line and column with a message that says what is wrong; the real policies lint clean."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from pos_logic.errors import Diagnostic
from pos_logic.tools.lint import is_warning, lint
from pos_logic.policy.resources import bundled_policies
from tests.conftest import SETTING_RULES, TESTLAND_RULES, TESTLAND_SCHEMA

# testland as conftest has it, with the share limit a dated parameter (the lint warns about a
# literal threshold in a rule) and a setting (so the library's default_setting/2 is defined)
CLEAN_RULES = TESTLAND_RULES.replace(
    "violation(A, share_too_high) :- contractor(A, C), share(C, S), S >= pct(1000).",
    "violation(A, share_too_high) :- contractor(A, C), share(C, S), in_force(A, share_limit, L), S >= L.",
) + textwrap.dedent("""
    %@ param: share_limit
    %@ cite: Testland Code § 3
    %@ says: the contractor share at which a violation begins
    param(share_limit, d(2000,1,1), pct(1000)).

    % the rest of the money library's inputs, so that none is read without a definition
    money_subtrahend(total(A), reimb_back, M) :- reimbursable(A, M), contractor(A, _).
    money_scale(share_of(A), T, S) :- total(A, T), contractor(A, C), share(C, S).
    """) + SETTING_RULES

COVERAGE = """# Coverage

## Table

| catalog id | status | rules | cases | note |
| --- | --- | --- | --- | --- |
| TL-1 | encoded | `T-1`, `T-2` | cases/a.pos | |
| TL-2 | encoded | T-3, T-4, T-5 | cases/a.pos | |
| TL-3 | not encoded | | | out of scope |
"""


@pytest.fixture
def land(tmp_path) -> Path:
    """A policies folder: the common library and a clean testland; no coverage table."""
    root = tmp_path / "policies"
    shutil.copytree(bundled_policies() / "common", root / "common")
    (root / "testland").mkdir()
    (root / "testland" / "schema.toml").write_text(TESTLAND_SCHEMA)
    (root / "testland" / "rules.lp").write_text(CLEAN_RULES)
    return root


def _lint(root: Path, **kw) -> list[Diagnostic]:
    return lint(root, ground_timeout=kw.pop("ground_timeout", 20), **kw)


def _extra(root: Path, text: str, name: str = "extra.lp", jurisdiction: str = "testland") -> Path:
    """Add a policy file; an indented triple-quoted text starts on its first line."""
    path = root / jurisdiction / name
    if text.startswith("\n "):
        text = textwrap.dedent(text)[1:]
    path.write_text(text)
    return path


def _find(found: list[Diagnostic], path: Path, line: int, fragment: str, column: int | None = None) -> Diagnostic:
    """The one diagnostic at path:line (and column) whose message has the fragment."""
    hits = [d for d in found if Path(d.file).resolve() == path.resolve() and d.line == line
            and fragment in d.message and (column is None or d.column == column)]
    listing = "\n".join(d.headline() for d in found)
    assert hits, f"no diagnostic at {path.name}:{line} with {fragment!r}; got:\n{listing}"
    return hits[0]


def test_the_clean_copy_lints_clean(land):
    assert [d.headline() for d in _lint(land)] == []


# -- 1. what load_policy refuses, reported for every file at once ---------------------------------

@pytest.mark.parametrize("text, line, fragment", [
    ("%@ id: X-1\n%@ cite: c\nviolation(A, x) :- agreement(A).\n", 3, "lacks '%@ says:'"),
    ("%@ cite: c\n%@ says: s\napproval(A, x) :- agreement(A).\n", 3, "lacks '%@ id:'"),
    ("%@ id: X-1\n%@ says: s\nadvisory(A, x) :- agreement(A).\n", 3, "lacks '%@ cite:'"),
    ("\n:- agreement(A).\n", 2, "integrity constraint"),
    ("{ p(A) } :- agreement(A).\n", 1, "choice"),
    ("#external e.\n", 1, "#external"),
    ("#program other.\n", 1, "one base program"),
    ("p(X :- q.\n", 1, "syntax error"),
    ('#include "/etc/passwd".\n', 1, "must not read other files"),
    ("_pos_fired(1).\n", 1, "reserved"),
])
def test_what_loading_refuses_is_reported_at_its_line(land, text, line, fragment):
    path = _extra(land, text)
    _find(_lint(land), path, line, fragment)


def test_every_broken_file_is_reported_not_just_the_first(land):
    first = _extra(land, "%@ id: X-1\n%@ cite: c\nviolation(A, x) :- agreement(A).\n", "a.lp")
    second = _extra(land, "p(X :- q.\n", "b.lp")
    third = _extra(land, "\n\n:- agreement(A).\n", "c.lp")
    found = _lint(land)
    _find(found, first, 3, "lacks '%@ says:'")
    _find(found, second, 1, "syntax error")
    _find(found, third, 3, "integrity constraint")


# -- 2. duplicate ids ---------------------------------------------------------------------------------

def test_an_id_on_rules_citing_another_source_is_refused(land):
    path = _extra(land, """
        %@ id: T-2
        %@ cite: Other Act § 9
        %@ says: The board approves twice.
        approval(A, council) :- agreement(A).
        """)
    d = _find(_lint(land), land / "testland" / "rules.lp", CLEAN_RULES.splitlines().index(
        "approval(A, board) :- agreement(A).") + 1, "id T-2 cites 'Testland Code § 2'")
    assert str(path.name) in d.message and "Other Act § 9" in d.message


def test_an_id_may_cite_finer_sections_of_its_provision(land):
    _extra(land, """
        %@ id: T-2
        %@ cite: Testland Code § 2(b)
        %@ says: The board also approves renewals.
        approval(A, board_renewal) :- agreement(A).
        """)
    assert [d.headline() for d in _lint(land) if "T-2" in d.message] == []


def test_an_id_used_in_two_jurisdictions_is_refused(land):
    shutil.copytree(land / "testland", land / "otherland")
    (land / "otherland" / "schema.toml").write_text(TESTLAND_SCHEMA.replace('"testland"', '"otherland"'))
    found = _lint(land)
    line = CLEAN_RULES.splitlines().index("%@ id: T-1") + 5  # the rule below the annotations
    d = _find(found, land / "testland" / "rules.lp", line, "id T-1 is also used in otherland")
    assert "an id belongs to one jurisdiction" in d.message


# -- 3. parameters --------------------------------------------------------------------------------------

def test_a_parameter_used_but_never_defined(land):
    path = _extra(land, """
        %@ id: X-1
        %@ cite: Testland Code § 8
        %@ says: A total above {P} needs Form F-2.
        document(A, "F-2", file) :- total(A, T), in_force(A, f1_treshold, P), T > P.
        """)
    column = path.read_text().splitlines()[3].index("f1_treshold") + 1
    d = _find(_lint(land), path, 4, "parameter f1_treshold is used but never defined", column=column)
    assert d.hint == "f1_threshold"


def test_a_parameter_defined_twice_for_one_date(land):
    path = _extra(land, """
        %@ param: f1_threshold
        %@ cite: Testland Code § 1
        %@ says: total above which Form F-1 is needed
        param(f1_threshold, d(2025,7,1), usd(0,60000,0)).
        """, name="z_amended.lp")  # read after rules.lp
    d = _find(_lint(land), path, 4, "parameter f1_threshold is defined twice for d(2025,7,1)")
    assert "rules.lp:10" in d.message  # where the first one is


def test_a_parameter_without_its_annotations(land):
    path = _extra(land, """
        %@ says: the limit
        param(f1_threshold, d(2030,1,1), usd(0,70000,0)).
        """)
    d = _find(_lint(land), path, 2, "parameter f1_threshold lacks")
    assert "'%@ param:'" in d.message and "'%@ cite:'" in d.message and "'%@ says:'" not in d.message


def test_a_param_annotation_naming_another_parameter(land):
    path = _extra(land, """
        %@ param: f1_threshold
        %@ cite: Testland Code § 1
        %@ says: total above which Form F-1 is needed
        param(f1_threshhold, d(2030,1,1), usd(0,70000,0)).
        """)
    _find(_lint(land), path, 4, "'%@ param: f1_threshold' names another parameter than the fact's 'f1_threshhold'")


def test_a_since_that_is_not_a_date(land):
    path = _extra(land, """
        %@ param: f1_threshold
        %@ cite: Testland Code § 1
        %@ says: total above which Form F-1 is needed
        param(f1_threshold, 2030, usd(0,70000,0)).
        """)
    _find(_lint(land), path, 4, "Since must be a date", column=21)


def test_a_parameter_no_rule_reads_is_a_warning(land):
    path = _extra(land, """
        %@ param: f9_threshold
        %@ cite: Testland Code § 9
        %@ says: unused
        param(f9_threshold, d(2000,1,1), usd(0,1,0)).
        """)
    d = _find(_lint(land), path, 4, "parameter f9_threshold is defined but no rule reads it")
    assert is_warning(d)


def test_a_param_on_read_of_a_parameter_the_calendar_is_not_asked_for(land):
    """param_on answers only for the parameters calendar_param facts request (calendar.lp): a
    read of another one would never be true, silently."""
    path = _extra(land, """
        %@ means: the calendar reads this parameter on its dates
        calendar_param(f1_threshold).
        %@ means: the parameter's value in force on this date
        param_on(D, N, V) :- as_of(D), calendar_param(N), param(N, S, V), S <= D.

        %@ id: X-1
        %@ cite: Testland Code § 8
        %@ says: A total above {P} on {D} needs Form F-2.
        document(A, "F-2", file) :- as_of(D), total(A, T), param_on(D, f1_threshold, P), T > P.

        %@ id: X-2
        %@ cite: Testland Code § 9
        %@ says: A share of {S} is at or above {L} on {D}.
        advisory(A, share_high) :- as_of(D), contractor(A, C), share(C, S), param_on(D, share_limit, L), S >= L.
        """)
    found = _lint(land)
    [(line, text)] = [(i, t) for i, t in enumerate(path.read_text().splitlines(), 1) if "share_limit" in t]
    d = _find(found, path, line, "param_on(_, share_limit, _) is never true", column=text.index("share_limit") + 1)
    assert "add the fact calendar_param(share_limit)" in d.message and not is_warning(d)
    assert not [x for x in found if "param_on(_, f1_threshold, _)" in x.message]


# -- 4. predicates ------------------------------------------------------------------------------------

def test_an_undefined_predicate_with_a_suggestion(land):
    path = _extra(land, """
        %@ id: X-1
        %@ cite: Testland Code § 8
        %@ says: A government contractor is advised.
        advisory(A, government) :- agreement(A), goverment(A).
        """)
    column = path.read_text().splitlines()[3].index("goverment") + 1
    d = _find(_lint(land), path, 4, "goverment/1 is never defined", column=column)
    assert d.hint == "government" and "testland schema" in d.message and not is_warning(d)


def test_a_predicate_read_with_the_wrong_arity(land):
    path = _extra(land, """
        %@ id: X-1
        %@ cite: Testland Code § 8
        %@ says: Advice.
        advisory(A, big) :- total(A).
        """)
    _find(_lint(land), path, 4, "total/1 is never defined (there is total/2)")


def test_a_schema_fact_is_defined(land):
    _extra(land, """
        %@ id: X-1
        %@ cite: Testland Code § 8
        %@ says: Advice.
        advisory(A, reimbursed) :- reimbursable(A, _), given(A, reimbursable), term(A, _, _).
        """)
    assert [d.headline() for d in _lint(land)] == []


def test_a_predicate_nobody_reads_is_a_warning(land):
    path = _extra(land, "\n%@ means: the contract is big\nbig(A) :- total(A, T), T > usd(1,0,0).\n")
    found = _lint(land)
    d = _find(found, path, 3, "big/1 is derived but no rule reads it")
    assert is_warning(d)
    assert is_warning(_find(found, path, 3, "literal usd(1,0,0) in a rule", column=28))


def test_recursion_through_not_is_refused(land):
    path = _extra(land, """
        a(A) :- agreement(A), not b(A).
        b(A) :- a(A).
        %@ id: X-1
        %@ cite: c
        %@ says: s
        advisory(A, x) :- b(A).
        """)
    _find(_lint(land), path, 1, "recursion through 'not': a/1 depends on b/1", column=27)


def test_a_reading_of_an_undeclared_value(land):
    path = _extra(land, """
        %@ id: X-1
        %@ cite: c
        %@ says: s
        advisory(A, x) :- agreement(A), reading(f2_basis, totl).
        """)
    d = _find(_lint(land), path, 4, "'totl' is not a value of setting f2_basis")
    assert d.hint == "total"


def test_a_sum_of_sums_is_not_recursion_through_not(land):
    _extra(land, """
        money_addend(grand(A), A, T) :- total(A, T).
        %@ id: X-1
        %@ cite: Testland Code § 8
        %@ says: The grand total is {G}.
        value(A, grand_total, G) :- money_sum(grand(A), G), agreement(A).
        """)
    assert [d.headline() for d in _lint(land)] == []


# -- 5. grounding ---------------------------------------------------------------------------------------

def test_an_unsafe_variable_is_reported_at_the_variable(land):
    path = _extra(land, """
        %@ id: X-1
        %@ cite: Testland Code § 8
        %@ says: Every contract is a violation of {B}.
        violation(A, B) :- agreement(A).
        """)
    found = _lint(land)
    d = _find(found, path, 4, "unsafe variable 'B'", column=14)
    assert "_pos" not in d.message and d.source_line.startswith("violation(A, B)")


def test_an_undefined_operation_in_a_global_rule(land):
    path = _extra(land, "\n%@ means: m\nlimit(X) :- X = a + 1.\nlimited :- limit(_).\nlimitless :- not limited.\n"
                        "%@ id: X-1\n%@ cite: c\n%@ says: s\nadvisory(A, x) :- agreement(A), limitless.\n")
    _find(_lint(land), path, 3, "operation undefined", column=17)


def test_grounding_without_end_is_reported_at_the_recursive_rule(land):
    path = _extra(land, "n(1).\nn(X+1) :- n(X).\n%@ id: X-1\n%@ cite: c\n%@ says: s\nadvisory(A, x) :- agreement(A), n(7).\n")
    _find(_lint(land, ground_timeout=2), path, 2, "did not finish in 2s")


# -- 6. code ---------------------------------------------------------------------------------------------

def test_script_is_refused(land):
    path = _extra(land, "\n#script (python)\ndef f(x): return x\n#end.\n")
    _find(_lint(land), path, 2, "#script: a policy must not run code")


def test_an_external_function_call_is_refused(land):
    path = _extra(land, """
        %@ id: X-1
        %@ cite: c
        %@ says: s
        advisory(A, x) :- agreement(A), total(A, T), T > @limit().
        #show @f(1).
        """)
    found = _lint(land)
    _find(found, path, 4, "'@limit': a policy must not call code", column=50)
    _find(found, path, 5, "'@f': a policy must not call code", column=7)


def test_const_is_refused(land):
    path = _extra(land, "#const limit = 5.\n")
    _find(_lint(land), path, 1, "#const: write a threshold as a dated parameter")


# -- 7. the coverage table --------------------------------------------------------------------------

def test_an_id_missing_from_the_coverage_table(land):
    table = land.parent / "docs" / "coverage.md"
    table.parent.mkdir()
    table.write_text(COVERAGE.replace("T-3, T-4, T-5", "T-3, T-5"))
    found = _lint(land)
    line = CLEAN_RULES.splitlines().index("%@ id: T-4") + 4
    d = _find(found, land / "testland" / "rules.lp", line, "id T-4 is not in the coverage table")
    assert "coverage.md" in d.message
    assert not [x for x in found if "POS-FILE" in x.message]  # the checker's own rules need no row


def test_a_table_id_that_names_no_rule(land, tmp_path):
    table = tmp_path / "table.md"
    table.write_text(COVERAGE.replace("T-3, T-4, T-5", "T-3, T-4, T-5, T-6"))
    column = table.read_text().splitlines()[7].index("T-6") + 1
    d = _find(_lint(land, coverage=table), table, 8, "rule id T-6 in the coverage table names no rule", column=column)
    assert d.hint is None or d.hint.startswith("T-")


def test_a_table_without_rows_is_not_checked(land):
    table = land.parent / "docs" / "coverage.md"
    table.parent.mkdir()
    table.write_text(COVERAGE.split("| TL-1")[0])
    assert _lint(land) == []


def test_the_full_table_is_clean(land):
    table = land.parent / "docs" / "coverage.md"
    table.parent.mkdir()
    table.write_text(COVERAGE)
    assert [d.headline() for d in _lint(land)] == []


# -- annotations ---------------------------------------------------------------------------------------

def test_an_unknown_annotation_key_with_a_suggestion(land):
    path = _extra(land, """
        %@ id: X-1
        %@ cit: Testland Code § 8
        %@ says: s
        advisory(A, x) :- agreement(A).
        """)
    found = _lint(land)
    d = _find(found, path, 2, "unknown annotation key 'cit'", column=4)
    assert d.hint == "cite"
    _find(found, path, 4, "lacks '%@ cite:'")


@pytest.mark.parametrize("text, line, fragment", [
    ("%@ id: X-1\n%@ cite: c\n%@ cite: d\n%@ says: s\nadvisory(A, x) :- agreement(A).\n", 3, "given twice"),
    ("%@ means: orphan\n\nbig(A) :- agreement(A).\n", 1, "belong to no rule"),
    ("%@ id X-1\nadvisory(A, x) :- agreement(A).\n", 1, "an annotation is written '%@ key: value'"),
    ("%@ id: X-1\n%@ cite: c\n%@ says: The total is {Total}.\nadvisory(A, x) :- total(A, T).\n", 3,
     "'{Total}' in '%@ says:' is not a variable of the rule"),
])
def test_a_misplaced_or_malformed_annotation(land, text, line, fragment):
    path = _extra(land, text)
    _find(_lint(land), path, line, fragment)


@pytest.mark.parametrize("rule, fragment", [
    ('document(A, "F-2") :- agreement(A).', "a document finding is document(A, Form, Role): 3 arguments, not 2"),
    ('document(A, "F-2", attachment) :- agreement(A).', "a document's role is legal_attachment or file"),
    ("violation(A) :- agreement(A).", "a violation finding is violation(A, What): 2 arguments, not 1"),
])
def test_a_finding_with_the_wrong_arguments(land, rule, fragment):
    path = _extra(land, f"%@ id: X-1\n%@ cite: c\n%@ says: s\n{rule}\n")
    _find(_lint(land), path, 4, fragment)


def test_an_unknown_jurisdiction(land):
    [d] = _lint(land, jurisdictions=["testlnd"])
    assert "no jurisdiction 'testlnd'" in d.message and d.hint == "testland"


def test_diagnostics_are_sorted_and_unique(land):
    _extra(land, "p(X :- q.\n", "b.lp")
    _extra(land, "%@ cit: c\nq :- agreement(1).\n", "a.lp")
    found = _lint(land)
    keys = [(d.file, d.line, d.column, d.message) for d in found]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)


# -- the real policies -----------------------------------------------------------------------------------

def test_the_real_policies_lint_clean_but_for_the_coverage_table(tmp_path):
    found = lint(bundled_policies(), coverage=tmp_path / "no-table.md")
    errors = [d.headline() for d in found if not is_warning(d)]
    assert errors == [], "\n".join(errors)


def test_an_internal_helper_read_with_an_anonymous_variable_is_a_warning(land):
    """An internal helper's steps are not recorded: the rule that reads it gives its atom, so a
    `_` there would be printed as `_` (a `not` of one, or a read by another helper, is fine)."""
    path = _extra(land, """
        %@ internal: the quotient and its remainder
        quotient_of(A, Q, 1) :- compensation(A, Q).
        %@ internal: the quotient and its remainder
        quotient_kept(A, Q) :- quotient_of(A, Q, _).
        %@ id: T-6
        %@ cite: Testland Code § 6
        %@ says: A quotient is kept.
        advisory(A, quotient) :- quotient_of(A, _, R), quotient_kept(A, Q), not quotient_of(A, Q, 0), R > 0.
        """)
    found = [d for d in _lint(land) if "internal helper" in d.message]
    d = _find(found, path, 8, "quotient_of is an internal helper", column=26)
    assert is_warning(d) and "name its arguments here instead of '_'" in d.message
    assert len(found) == 1
