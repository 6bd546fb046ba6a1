"""Input that once gave a wrong answer with exit 0, or a traceback (issue 16): each is now an
input error with exit 2, or is read as what it says."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import clingo
import pytest
from click.testing import CliRunner

from pos_logic.check import check_cases
from pos_logic.cli import main
from pos_logic.errors import InputError
from pos_logic.tools.lint import lint
from pos_logic.language.load import load_case_text
from pos_logic.language.parse import MAX_DEPTH, MAX_FILE_BYTES, parse_text
from pos_logic.policy.policy import load_policy
from pos_logic.language import values
from pos_logic.language.values import MAX_AMOUNTS

from conftest import make_case

ROOT = Path(__file__).resolve().parent.parent


def _run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def _findings(case) -> set[str]:
    [result] = check_cases([case])
    return {f"{f.kind} {f.label}" for f in result.findings}


# -- 1. a law date before every dated parameter ---------------------------------------------------

@pytest.mark.parametrize("start, flagged", [("1999-12-31", True), ("2000-01-01", False), ("1025-07-01", True)])
def test_a_law_date_before_the_first_parameter_is_flagged_not_silent(testland, start, flagged):
    case = make_case(f"term {start} to 2026-06-30\ncompensation $30,000.00")
    assert ("unknown law_not_encoded" in _findings(case)) is flagged


def test_the_bundled_example_dated_a_thousand_years_early_is_flagged():
    text = (ROOT / "cases/examples/acme-counseling.pos").read_text().replace("2025-", "1025-")
    [result] = check_cases([load_case_text(text, "old.pos")])
    law = [f for f in result.findings if f.label == "law_not_encoded"]
    assert law and "1025-07-01 is before " in law[0].reason and "the first day this policy encodes the law" in law[0].reason


# -- 2. line endings ---------------------------------------------------------------------------------

def test_a_lone_cr_after_a_comment_ends_the_line(testland):
    lf = make_case("term 2024-01-01 to 2024-12-31\ncompensation $20,000.00  # note\nreimbursable $10,000.00")
    cr = make_case("term 2024-01-01 to 2024-12-31\ncompensation $20,000.00  # note\rreimbursable $10,000.00")
    crlf = make_case("term 2024-01-01 to 2024-12-31\r\ncompensation $20,000.00  # note\r\nreimbursable $10,000.00")
    assert "document F-1" in _findings(lf)
    assert _findings(cr) == _findings(crlf) == _findings(lf)


@pytest.mark.parametrize("mark", ["\u2028", "\x85", "\x0c", "\r", "\r\n"])
def test_unusual_line_marks_in_a_policy_comment_do_not_move_annotations(testland, mark):
    rules = testland / "testland" / "rules.lp"
    text = rules.read_text()
    rules.write_text(f"% a comment{mark}% another\n" + text)
    [rule] = [r for r in load_policy("testland").rules if r.annotations.get("id") == "T-3"]
    assert rule.annotations["cure"] == "Reduce the share below 10%."
    assert rule.text.startswith("violation(A, share_too_high)")


# -- 3. more amounts than a sum can hold ---------------------------------------------------------------

def _amounts(n: int) -> str:
    return "jurisdiction testland\n" + "".join(
        f'contract "C{i}" {{ compensation $999,999,999,999.99 }}\n' for i in range(n))


def test_the_amount_limit_is_what_the_sum_library_holds():
    money = (ROOT / "policies/common/money.lp").read_text()
    assert f"no limb sum wraps below {MAX_AMOUNTS:,} addends" in " ".join(money.replace("%", "").split())


def test_a_case_states_at_most_the_amounts_a_sum_can_hold(monkeypatch):
    monkeypatch.setattr(values, "MAX_AMOUNTS", 2_147)  # the limit's logic, without 2 million lines
    assert len(parse_text(_amounts(2_147), "ok.pos")) == 2_148
    with pytest.raises(InputError) as err:
        parse_text(_amounts(2_148), "many.pos")
    [d] = err.value.diagnostics
    assert (d.line, d.column) == (2_149, 33) and "at most 2,147 amounts" in d.message


# -- 4. #include however it is written -----------------------------------------------------------------

@pytest.mark.parametrize("line", [
    '"a" = "a" :- agreement(_). #include "{payload}".',
    '%* a comment *% #include "{payload}".',
    'p("\\"") :- agreement(_). #include "{payload}".',
    '%* two\nlines *% #include "{payload}".',
])
def test_an_include_anywhere_outside_strings_and_comments_is_refused(testland, tmp_path, line):
    payload = tmp_path / "payload.lp"
    payload.write_text("p(1).\n" * 50)  # longer than its includer: its lines are no index there
    (testland / "testland" / "inc.lp").write_text(line.format(payload=payload) + "\n")
    with pytest.raises(InputError, match="#include: a policy must not read other files"):
        load_policy("testland")
    assert any("#include" in d.message for d in lint(testland, ground_timeout=20))
    assert _run("check", ROOT / "cases/examples/acme-counseling.pos").exit_code == 2  # another folder: fine
    result = _run("--policies", testland, "check", _testland_case(tmp_path))
    assert result.exit_code == 2 and "#include" in result.output


def test_an_include_inside_a_string_or_a_nested_comment_is_text(testland):
    (testland / "testland" / "text.lp").write_text(
        'said("#include \\"x.lp\\".") :- agreement(_).\n%* %* *% #include "x.lp". *%\n')
    assert load_policy("testland").rules


def _testland_case(tmp_path) -> Path:
    path = tmp_path / "t.pos"
    path.write_text('jurisdiction testland\ncontract "C" {\n compensation $5.00\n}\n')
    return path


# -- also: tracebacks ----------------------------------------------------------------------------------

@pytest.mark.parametrize("command", ["check", "fmt"])
@pytest.mark.parametrize("levels", [MAX_DEPTH + 1, 500])
def test_deep_nesting_is_an_input_error(tmp_path, command, levels):
    path = tmp_path / "deep.pos"
    path.write_text("jurisdiction testland\nx " + "{ a " * levels + "}" * levels + "\n")
    result = _run(command, path)
    assert result.exit_code == 2 and f"nest more than {MAX_DEPTH} levels" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_nesting_to_the_limit_is_read():
    parse_text("x " + "{ a " * (MAX_DEPTH - 1) + "}" * (MAX_DEPTH - 1) + "\n", "ok.pos")


@pytest.mark.parametrize("literal, fragment", [
    ("$" + "9" * 4301, "larger than the largest amount"),
    ("9" * 4301, "not a whole number"),
    ("9" * 4301 + "%", "not a percentage"),
])
def test_literals_of_thousands_of_digits_are_input_errors(literal, fragment):
    with pytest.raises(InputError) as err:
        parse_text(f"x {literal}\n", "big.pos")
    assert fragment in err.value.diagnostics[0].message and "(4,30" in err.value.diagnostics[0].message


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "big.pos"
    with open(path, "wb") as f:
        f.truncate(50_000_000)  # 50 MB (of NULs): never read
    result = _run("check", path)
    assert result.exit_code == 2 and f"larger than {MAX_FILE_BYTES:,} bytes" in result.output


def test_why_not_of_nothing_is_a_usage_error():
    result = _run("explain", ROOT / "cases/examples/acme-counseling.pos", "--why-not", "   ")
    assert result.exit_code == 2 and "name a finding" in result.output


# -- also: facts, terminal escapes, git options, loops -----------------------------------------------

def test_facts_are_valid_asp_whatever_the_words_and_the_file_name(testland, tmp_path):
    schema = testland / "testland" / "schema.toml"
    schema.write_text(schema.read_text().replace('values = ["board"]', 'values = ["board", "not"]'))
    folder = tmp_path / "a\nb(1). evil"
    folder.mkdir()
    path = folder / "c.pos"
    path.write_text('jurisdiction testland\ncontract "C" {\n compensation $5.00\n approved [not]\n}\n')
    result = _run("facts", path)
    assert result.exit_code == 0, result.output
    ctl = clingo.Control()
    ctl.add("base", [], result.output)  # parses: `not` is not a constant, the name stays a comment
    ctl.ground([("base", [])])
    names = {s.name for s in ctl.symbolic_atoms.by_signature("b", 1)} | {
        str(s.symbol) for s in ctl.symbolic_atoms if s.symbol.name == "approved"}
    assert names == {"approved(1,v_not)"}


def test_control_characters_in_a_case_are_an_input_error_and_never_printed(tmp_path):
    path = tmp_path / "esc.pos"
    path.write_text('case "Acme\x1b[2J\x9b31m"\njurisdiction arkansas\n')
    result = _run("check", path)
    assert result.exit_code == 2 and "control character U+001B" in result.output
    assert "\x1b" not in result.output and "\x9b" not in result.output


def test_a_base_revision_is_never_a_git_option(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "written.tar"
    result = _run("diff", f"--base=--output={out}", ROOT / "cases/examples")
    assert result.exit_code == 2 and "does not start with '-'" in result.output
    assert not out.exists()


LOOP = """
%@ means: the contract is approved
is_approved(A) :- agreement(A), not is_refused(A).
%@ means: the contract is refused
is_refused(A) :- agreement(A), not is_approved(A).
"""


def test_a_loop_through_not_is_a_policy_error_naming_its_rules(testland, tmp_path):
    (testland / "testland" / "loop.lp").write_text(LOOP)
    with pytest.raises(InputError) as err:
        load_policy("testland")
    message = err.value.diagnostics[0].message
    assert "is_approved (policies/testland/loop.lp:3:1)" in message
    assert "is_refused (policies/testland/loop.lp:5:1)" in message
    result = _run("--policies", testland, "check", _testland_case(tmp_path))
    assert result.exit_code == 2 and "exactly one answer" in result.output


def test_two_answers_through_an_aggregate_are_a_policy_error(testland, tmp_path):
    (testland / "testland" / "loop.lp").write_text("""
%@ means: the contract is approved
is_approved(A) :- agreement(A), #count { 1 : is_refused(A) } = 0.
%@ means: the contract is refused
is_refused(A) :- agreement(A), #count { 1 : is_approved(A) } = 0.
""")
    result = _run("--policies", testland, "check", _testland_case(tmp_path))
    assert result.exit_code == 2 and "more than one answer" in result.output


def test_the_installed_command_reports_a_bad_case_without_a_traceback(tmp_path):
    path = tmp_path / "deep.pos"
    path.write_text("jurisdiction testland\nx " + "{ a " * 500 + "}" * 500 + "\n")
    proc = subprocess.run([sys.executable, "-m", "pos_logic", "check", str(path)], capture_output=True, text=True)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
