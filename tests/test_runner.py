"""`pos test`: pass/fail with diffs, reasons pinned, --update, text/JSON/JUnit, exit codes."""

import json
import xml.etree.ElementTree as ET

from click.testing import CliRunner

from pos_logic.cli import main
from pos_logic.language.load import load_case

CASE = '''case "boundary"
jurisdiction testland
contract "C" {{
    term 2024-01-01 to 2024-12-31
    compensation {amount}
}}
{expect}'''


def _case(tmp_path, name, amount, expect=""):
    path = tmp_path / name
    path.write_text(CASE.format(amount=amount, expect=expect))
    return path


def _run(*args):
    return CliRunner().invoke(main, list(args))


def test_a_passing_suite_exits_0_and_counts(testland, tmp_path):
    _case(tmp_path, "a.pos", "$25,000.01", "expect {\n    document F-1 because T-1\n}\n")
    _case(tmp_path, "b.pos", "$25,000.00", "expect {\n    not document F-1\n}\n")
    result = _run("test", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "2 passed, 0 failed" in result.output


def test_a_changed_reason_fails_even_when_the_outcome_holds(testland, tmp_path):
    _case(tmp_path, "a.pos", "$25,000.01", "expect {\n    document F-1 because T-9\n}\n")
    result = _run("test", str(tmp_path))
    assert result.exit_code == 1
    assert "expected document F-1 because T-9; derived because T-1" in result.output


def test_only_pins_exactly_the_listed_findings(testland, tmp_path):
    _case(tmp_path, "a.pos", "$25,000.01", "expect {\n    approval only nobody\n}\n")
    result = _run("test", str(tmp_path))
    assert "expected only the approvals listed, also derived: board" in result.output


def test_a_case_that_cannot_load_exits_2(testland, tmp_path):
    (tmp_path / "bad.pos").write_text("jurisdiction testland\ncontract {\n")
    assert _run("test", str(tmp_path)).exit_code == 2


def test_update_rewrites_expect_blocks_that_then_pass(testland, tmp_path):
    path = _case(tmp_path, "a.pos", "$30,000.00", "# keep this comment\nexpect {\n    document F-2\n}\n")
    result = _run("test", "--update", str(tmp_path))
    assert "updated" in result.output
    text = path.read_text()
    assert "document only F-1 legal_attachment because T-1" in text
    assert "violation none" in text and "# keep this comment" in text
    assert _run("test", str(tmp_path)).exit_code == 0
    before = path.read_text()
    _run("test", "--update", str(tmp_path))
    assert path.read_text() == before  # idempotent
    assert load_case(path).expectations


def test_junit_and_json_reports(testland, tmp_path):
    _case(tmp_path, "a.pos", "$25,000.01", "expect {\n    document F-2\n}\n")
    root = ET.fromstring(_run("test", "--format", "junit", str(tmp_path)).output)
    assert root.get("failures") == "1" and root.find("testcase/failure") is not None
    doc = json.loads(_run("test", "--format", "json", str(tmp_path)).output)
    assert doc["failed"] == 1 and doc["cases"][0]["failures"][0]["message"].startswith("expected document F-2")


def test_coverage_reports_both_sides_of_a_threshold(testland, tmp_path):
    _case(tmp_path, "a.pos", "$25,000.01")
    one_side = _run("test", "--coverage", str(tmp_path)).output
    assert "total > P: true only" not in one_side  # the text names the comparison as written
    assert "T > P with f1_threshold $25,000.00 (since 2000-01-01): true only" in one_side
    _case(tmp_path, "b.pos", "$25,000.00")
    both = _run("test", "--coverage", str(tmp_path))
    assert "T > P with f1_threshold $25,000.00 (since 2000-01-01): both sides" in both.output
    assert "nearest true:  total $25,000.01 vs f1 threshold $25,000.00" in both.output
    assert "nearest false: total $25,000.00 vs f1 threshold $25,000.00" in both.output
    assert "pinned to the cent" in both.output


def test_coverage_says_when_the_nearest_cases_leave_a_gap(testland, tmp_path):
    _case(tmp_path, "a.pos", "$25,000.01")
    _case(tmp_path, "b.pos", "$20,000.00")
    assert "$5,000.01 apart: add cases nearer the threshold" in _run("test", "--coverage", str(tmp_path)).output


def test_fail_under_fails_a_suite_with_thin_coverage(testland, tmp_path):
    _case(tmp_path, "a.pos", "$25,000.01")
    assert _run("test", "--coverage", "--fail-under", "100", str(tmp_path)).exit_code == 1
    assert _run("test", "--coverage", "--fail-under", "10", str(tmp_path)).exit_code == 0


def test_kind_none_fails_cleanly_when_a_finding_of_that_kind_is_derived(testland, tmp_path):
    _case(tmp_path, "a.pos", "$25,000.01", "expect {\n    document none\n}\n")
    result = _run("test", str(tmp_path))
    assert result.exit_code == 1
    assert "expected no document, derived: F-1 [T-1]" in result.output


def test_pytest_checks_the_case_files_together_and_reports_each_alone(testland, tmp_path):
    """The pytest plugin checks every selected case in one batch; a case that fails its
    expect block, or does not load, fails alone, with its own message."""
    import subprocess
    import sys
    cases = tmp_path / "suite"
    cases.mkdir()
    _case(cases, "holds.pos", "$25,000.01", "expect {\n    document F-1 because T-1\n}\n")
    _case(cases, "misses.pos", "$25,000.00", "expect {\n    document F-1\n}\n")
    (cases / "broken.pos").write_text('jurisdiction testland\ncontract "C" {\n    compensation 12\n}\n')
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(cases),
                          str(cases)], capture_output=True, text=True, cwd=cases)
    out = run.stdout
    assert run.returncode == 1, out
    assert "2 failed, 1 passed" in out
    assert "FAILED misses.pos::misses" in out and "FAILED broken.pos::broken" in out
    broken, misses = out.split("case broken.pos")[1].split("case misses.pos")
    assert "broken.pos:3:18: 'compensation' takes an amount" in broken
    assert "expected document F-1, not derived" in misses.split("short test summary")[0]


def test_update_keeps_the_quotes_of_the_lines_it_keeps(tmp_path):
    """A statement with one failing expectation is rewritten; the expectations of it that hold
    are written back as the file wrote them, so a quoted name with a comma still reads."""
    from pathlib import Path
    example = Path(__file__).resolve().parent.parent / "cases/examples/acme-counseling.pos"
    path = tmp_path / "acme.pos"
    path.write_text(example.read_text(encoding="utf-8").split("\nexpect")[0] + (
        '\nexpect {\n'
        '    obligation disclose_on_pcs_d("Jane Roe"), no_such_obligation\n'
        '    not obligation disclose_on_pcs_d("Doe, John"), evaluate_performance\n'
        '}\n'), encoding="utf-8")
    assert _run("test", str(path)).exit_code == 1
    _run("test", "--update", str(path))
    text = path.read_text(encoding="utf-8")
    assert 'obligation disclose_on_pcs_d("Jane Roe")' in text
    assert 'not obligation disclose_on_pcs_d("Doe, John")' in text
    assert "no_such_obligation" not in text and "not obligation evaluate_performance" not in text
    assert _run("test", str(path)).exit_code == 0, text
