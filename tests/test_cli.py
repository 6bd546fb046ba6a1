"""The `pos` command through click's CliRunner: output, exit codes, help."""

import json

import pytest
from click.testing import CliRunner

from pos_logic.cli import main

CASE = '''case "F-1 at the boundary"
jurisdiction testland
as_of 2024-01-05
contract "C" {{
    term 2024-01-01 to 2024-12-31
    compensation {amount}
    on_file [{on_file}]
    approved [board]
}}
'''


def _write(tmp_path, amount="$25,000.01", on_file="F-1", name="c.pos", extra=""):
    path = tmp_path / name
    path.write_text(CASE.format(amount=amount, on_file=on_file) + extra)
    return str(path)


def _run(*args):
    return CliRunner().invoke(main, list(args))


def test_check_prints_a_checklist_and_exits_0_without_violations(testland, tmp_path):
    result = _run("check", _write(tmp_path))
    assert result.exit_code == 0, result.output
    assert "Documents" in result.output and "F-1 (legal attachment) — Testland Code § 1 [T-1]" in result.output
    assert "total $25,000.01 exceeds f1 threshold $25,000.00" in result.output
    assert "no violations" in result.output


def test_check_exits_1_when_a_required_document_is_missing(testland, tmp_path):
    result = _run("check", _write(tmp_path, on_file=""))
    assert result.exit_code == 1
    assert "missing_document(F-1)" in result.output and "to cure: Add F-1" in result.output


def test_check_exits_1_when_an_expectation_fails(testland, tmp_path):
    path = _write(tmp_path, amount="$25,000.00", extra="expect {\n  document F-1\n}\n")
    result = _run("check", path)
    assert result.exit_code == 1
    assert "expected document F-1, not derived" in result.output


def test_check_exits_2_on_a_bad_case_with_file_line_and_col(testland, tmp_path):
    path = _write(tmp_path, amount="$25,000.0x")
    result = _run("check", path)
    assert result.exit_code == 2
    assert f"{path}:6:" in result.output
    assert "Traceback" not in result.output


def test_check_still_checks_the_good_files_of_a_batch_but_exits_2(testland, tmp_path):
    good = _write(tmp_path, name="good.pos")
    bad = tmp_path / "bad.pos"
    bad.write_text("jurisdiction testland\ncontract \"X\" {\n compensaton $1.00\n}\n")
    result = _run("check", good, str(bad))
    assert result.exit_code == 2
    assert "good.pos" in result.output
    assert "did you mean 'compensation'" in result.output


def test_check_exits_2_on_a_broken_policy(testland, tmp_path):
    (testland / "testland" / "bad.lp").write_text("p(X :- q.\n")
    result = _run("check", _write(tmp_path))
    assert result.exit_code == 2
    assert "policies" in result.output and "bad.lp:1:" in result.output


def test_json_output_carries_findings_and_derivations(testland, tmp_path):
    result = _run("check", "--format", "json", "--derivations", _write(tmp_path))
    doc = json.loads(result.output)
    [case] = doc["cases"]
    [f1] = [f for f in case["findings"] if f["kind"] == "document"]
    assert f1["rules"] == ["T-1"] and f1["cite"] == "Testland Code § 1"
    assert f1["derivations"][0]["premises"][0]["derivation"]["rule"] == "total"


def test_output_is_byte_identical_across_runs(testland, tmp_path):
    files = [_write(tmp_path, amount=f"${n},000.00", name=f"c{n}.pos") for n in (5, 25, 26, 100)]
    first = _run("check", "--format", "json", *files).output
    assert all(_run("check", "--format", "json", *files).output == first for _ in range(3))


def test_a_folder_checks_every_case_below_it(testland, tmp_path):
    _write(tmp_path, name="a.pos")
    _write(tmp_path, name="b.pos")
    result = _run("check", str(tmp_path))
    assert result.output.count("F-1 at the boundary") == 2


def test_explain_prints_the_derivation_tree_down_to_case_lines(testland, tmp_path):
    path = _write(tmp_path)
    result = _run("explain", path, "document F-1")
    assert result.exit_code == 0, result.output
    assert "ground rule: document(1,\"F-1\",legal_attachment)" in result.output
    assert f"compensation $25,000.01   ({path}:6)" in result.output


def test_explain_names_the_findings_there_are_when_none_matches(testland, tmp_path):
    result = _run("explain", _write(tmp_path), "approval nobody")
    assert result.exit_code == 2
    assert "approval board" in result.output


def test_facts_prints_asp_that_plain_clingo_can_read(testland, tmp_path):
    result = _run("facts", _write(tmp_path))
    assert "compensation(1,usd(0,25000,1))." in result.output


@pytest.mark.parametrize("command", [[], ["check"], ["explain"], ["facts"], ["test"], ["lint"], ["rules"], ["diff"], ["fmt"]])
def test_every_help_says_what_it_does_with_an_example(command):
    result = _run(*command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.output


def test_a_folder_without_cases_is_an_input_error_not_a_pass(testland, tmp_path):
    (tmp_path / "empty").mkdir()
    for command in ("check", "test"):
        result = _run(command, str(tmp_path / "empty"))
        assert result.exit_code == 2 and "no case files" in result.output


def test_a_missing_policies_folder_is_a_usage_error(tmp_path):
    result = _run("--policies", str(tmp_path / "nowhere"), "check", "x.pos")
    assert result.exit_code == 2 and "does not exist" in result.output


def test_not_with_a_bare_name_matches_a_compound_finding(testland, tmp_path):
    path = _write(tmp_path, on_file="", extra="expect {\n  not violation missing_document\n}\n")
    result = _run("check", path)
    assert "expected no violation missing_document, derived by POS-FILE-01" in result.output


def test_the_as_of_fact_points_at_its_own_line(testland, tmp_path):
    path = tmp_path / "a.pos"
    path.write_text('case "x"\njurisdiction testland; as_of 2025-05-20\ncontract "C" {\n compensation $1.00\n}\n')
    assert f"as_of(d(2025,5,20)).  % {path}:2" in _run("facts", str(path)).output


def test_fmt_rewrites_to_canonical_form_and_check_reports_without_writing(testland, tmp_path):
    path = tmp_path / "a.pos"
    path.write_text('jurisdiction testland\ncontract "C" {  compensation   $48000 }\n')
    before = path.read_text()
    checked = _run("fmt", "--check", str(path))
    assert checked.exit_code == 1 and "would reformat" in checked.output and path.read_text() == before
    assert _run("fmt", str(path)).exit_code == 0
    assert "$48,000.00" in path.read_text()
    assert _run("fmt", "--check", str(path)).exit_code == 0


def test_fmt_leaves_a_broken_file_untouched(testland, tmp_path):
    path = tmp_path / "a.pos"
    path.write_text('jurisdiction testland\ncontract "C" {\n')
    result = _run("fmt", str(path))
    assert result.exit_code == 2 and path.read_text() == 'jurisdiction testland\ncontract "C" {\n'


def test_the_json_written_a_case_at_a_time_is_the_whole_document_as_orjson_and_json_write_it():
    from pathlib import Path

    import orjson
    from pos_logic.check import check_files
    from pos_logic.errors import Diagnostic
    from pos_logic.render import render
    results, _ = check_files(["cases/examples/acme-counseling.pos", *sorted(Path("cases/arkansas").glob("*.pos"))[:2]],
                             depth=1)
    errors = [Diagnostic("bad.pos", 1, 1, "unexpected 'é'")]
    for rs, errs, full in [(results, errors, False), (results[:1], [], True), ([], errors, False), ([], [], False)]:
        text = render.as_json(iter(rs), policies={"a": "b"}, settings={"s": "v"}, errors=errs, derivations=full)
        doc = json.loads(text)
        assert text == orjson.dumps(doc, option=orjson.OPT_INDENT_2).decode() + "\n"
        assert text == json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
        assert len(doc["cases"]) == len(rs) and len(doc["errors"]) == len(errs)



@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_run_checked_in_two_processes_prints_what_one_prints(testland, tmp_path, monkeypatch, fmt):
    """--jobs: cases written in worker processes, printed in the run's order; the exit code from
    what the workers found. The run is split in chunks of 2 to have more than one chunk."""
    from functools import partial

    import pos_logic.cli as cli
    monkeypatch.setattr(cli, "stream_files", partial(cli.stream_files, chunk=2))
    files = [_write(tmp_path, amount=f"${n},000.00", name=f"c{n}.pos", on_file="F-1" if n != 26 else "")
             for n in (5, 25, 26, 100, 7)]
    (tmp_path / "bad.pos").write_text("jurisdiction testland\ncontract \"X\" {\n compensaton $1.00\n}\n")
    one = _run("check", "--format", fmt, "--jobs", "1", *files, str(tmp_path / "bad.pos"))
    two = _run("check", "--format", fmt, "--jobs", "2", *files, str(tmp_path / "bad.pos"))
    assert two.exit_code == one.exit_code == 2 and two.output == one.output
    assert "missing_document(F-1)" in one.output and "did you mean 'compensation'" in one.output
    one, two = (_run("check", "--format", fmt, "--jobs", jobs, *files) for jobs in "12")
    assert two.exit_code == one.exit_code == 1 and two.output == one.output
