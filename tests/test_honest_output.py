"""No false greens, and output CI can use: unstated status is said, diff refuses what it cannot
load, missing documents cite the provision that requires them, JSON is complete and always
valid, lint speaks SARIF and exit codes tell findings from usage errors."""

import json
import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from pos_logic.cli import main

ROOT = Path(__file__).resolve().parent.parent
SOLE = '''case "Sole source"
jurisdiction arkansas
contract "Sole" {{
    term           2025-07-01 to 2026-06-30
    compensation   $60,000.00
    procurement    sole_source
    contractor "X" {{ entity corporation }}
{extra}}}
'''


def _run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input)


def _case(tmp_path, extra="", name="sole.pos"):
    path = tmp_path / name
    path.write_text(SOLE.format(extra=extra))
    return str(path)


# -- 2. no silent all-clear -------------------------------------------------------------------------

def test_a_case_without_on_file_says_the_status_is_not_stated(tmp_path):
    doc = json.loads(_run("check", "--format", "json", _case(tmp_path)).output)
    [case] = doc["cases"]
    documents = sum(1 for f in case["findings"] if f["kind"] == "document")
    approvals = sum(1 for f in case["findings"] if f["kind"] == "approval")
    assert documents >= 5 and approvals >= 5  # PCS-D, PBS, the sole-source memo ...; OSP, DFA ...
    assert [(u["attribute"], u["required"]) for u in case["unstated"]] == [("on_file", documents),
                                                                          ("approved", approvals)]
    assert case["settings"]["unstated_status"] == "unknown"
    result = _run("check", _case(tmp_path))
    assert result.exit_code == 3, "a check that could not see what is on file is not an all-clear"
    assert f"? {documents} documents required; on-file status not stated" in result.output
    assert f"? {approvals} approvals required; approval status not stated" in result.output
    assert "no violations among what the case states" in result.output


PO = """case "PO"
jurisdiction arkansas
purchase_order "Ozark" {{
    division DDS
    term 2025-07-01 to 2025-12-31
    compensation $4,500.00
    reimbursable {reimbursable}
    cost_center "3310"
    phi no
{method}    on_file []
    approved []
    contractor "Ozark LLC" {{ entity llc }}
}}
"""


@pytest.mark.parametrize("reimbursable, method, code, complete", [
    ("$500.00", "", 0, True),                               # $5,000.00: read as a Small Procurement
    ("$500.01", "", 3, False),                              # $5,000.01: how it was procured is not known
    ("$500.01", "    procurement competitive_bid\n", 0, True),
])
def test_a_fact_the_case_does_not_state_is_not_an_all_clear(tmp_path, reimbursable, method, code, complete):
    path = tmp_path / "po.pos"
    path.write_text(PO.format(reimbursable=reimbursable, method=method))
    result = _run("check", str(path))
    assert result.exit_code == code, result.output
    assert ("Not checked: the case does not say" in result.output) is not complete
    assert ("procurement_method_not_stated" in result.output) is not complete
    assert ("no violations among what the case states" in result.output) is not complete
    [case] = json.loads(_run("check", "--format", "json", str(path)).output)["cases"]
    assert case["complete"] is complete and case["unstated"] == []
    unknown = [f["finding"] for f in case["findings"] if f["kind"] == "unknown"]
    assert unknown == ([] if complete else ["procurement_method_not_stated"])


def test_a_stated_list_is_not_reported_as_unstated(tmp_path):
    result = _run("check", _case(tmp_path, "    on_file [OSP-1]\n    approved [dfa]\n"))
    assert "not stated" not in result.output and result.exit_code == 1


def test_strict_reads_an_unstated_list_as_empty(tmp_path):
    result = _run("check", "--strict", _case(tmp_path))
    assert result.exit_code == 1
    assert "missing_document(PCS-D)" in result.output and "missing_approval(osp_sole_source)" in result.output
    assert "not stated" not in result.output


def test_the_case_language_doc_explains_unstated_status():
    text = (ROOT / "docs" / "case-language.md").read_text()
    assert "on-file status not stated" in text and "--strict" in text


# -- 3. pos diff checks what it claims ----------------------------------------------------------------

@pytest.mark.parametrize("make", ["missing", "broken", "empty_dir"])
def test_diff_refuses_cases_it_cannot_load(tmp_path, make):
    if make == "missing":
        target = str(tmp_path / "nowhere.pos")
    elif make == "broken":
        target = str(tmp_path / "broken.pos")
        Path(target).write_text('jurisdiction arkansas\ncontract "C" {\n')
    else:
        (tmp_path / "none").mkdir()
        target = str(tmp_path / "none")
    result = _run("diff", "--base", "HEAD", target)
    assert result.exit_code == 2, result.output
    assert "no case changes" not in result.output


# -- 6. citations where they are needed ---------------------------------------------------------------

def test_a_missing_document_cites_the_provision_that_requires_it(tmp_path):
    result = _run("check", _case(tmp_path, "    on_file [OSP-1]\n"))
    line = next(row for row in result.output.splitlines() if "missing_document(PCS-D)" in row)
    assert "Contract Manual ch. 3 §I.A.1" in line and "shown in the derivation" not in result.output
    doc = json.loads(_run("check", "--format", "json", _case(tmp_path, "    on_file [OSP-1]\n")).output)
    [missing] = [f for f in doc["cases"][0]["findings"] if f["finding"] == "missing_document(PCS-D)"]
    assert missing["cite"].startswith("Contract Manual ch. 3 §I.A.1")



def test_a_missing_approval_names_the_provisions_that_require_it(tmp_path):
    """Issue 14 item 2: a filter by provision finds the violation under the requiring rule's id
    too, in the checklist and in JSON; an approval two rules require names both."""
    case = _case(tmp_path, "    on_file [OSP-1]\n    approved [dfa]\n"
                           "    executed 2025-06-15\n")
    line = next(row for row in _run("check", case).output.splitlines()
                if "missing_approval(osp_sole_source)" in row)
    assert line.endswith("[AR-PROC-31, POS-FILE-02]")
    doc = json.loads(_run("check", "--format", "json", case).output)
    rules = {f["finding"]: f["rules"] for f in doc["cases"][0]["findings"] if f["kind"] == "violation"}
    assert rules["missing_approval(osp_sole_source)"] == ["AR-PROC-31", "POS-FILE-02"]
    assert rules["missing_document(PCS-D)"] == ["AR-DISC-01", "POS-FILE-01"]
    spouse = tmp_path / "spouse.pos"
    spouse.write_text(SOLE.format(extra="    approved [dfa]\n").replace(
        'contractor "X" { entity corporation }',
        'contractor "X" { entity individual\n'
        '        interest "X" { role constitutional_officer; link spouse; tie contractor } }'))
    doc = json.loads(_run("check", "--format", "json", str(spouse)).output)
    [governor] = [f for f in doc["cases"][0]["findings"] if f["finding"] == "missing_approval(governor)"]
    assert governor["rules"] == ["AR-DISC-13", "AR-DISC-17", "POS-FILE-02"]
    assert "ch. 3 §II.E" in governor["cite"] and "§II.G.2" in governor["cite"]


def test_a_fact_that_breaks_two_provisions_cites_both():
    """A Small Procurement for $15,000.00 breaks ch. 4 §I (AR-PROC-04) and the CB band of
    §II.G.2.b (AR-PROC-14): both ids, and both citations, not only the first rule's."""
    doc = json.loads(_run("check", "--format", "json",
                          str(ROOT / "cases/arkansas/ch4-method-below-band.pos")).output)
    [small] = [f for f in doc["cases"][0]["findings"] if f["finding"] == "method_not_allowed(small_procurement)"
               and f["agreement"] == "Small Procurement at $15,000.00"]
    assert small["rules"] == ["AR-PROC-04", "AR-PROC-14"]
    assert small["cite"] == "Contract Manual ch. 4 §I, §II.G.1.b; §II.G.2.b"  # the chapter named once

# -- 8. JSON fit for tools ----------------------------------------------------------------------------

def test_json_is_slim_by_default_and_says_what_run_made_it(tmp_path):
    doc = json.loads(_run("check", "--format", "json", "--set", "pcs_d_on_amendment=after_only",
                          _case(tmp_path)).output)
    assert doc["version"] == 2 and doc["tool"]["name"] == "pos-logic" and doc["tool"]["version"]
    assert len(doc["policies"]["digest"]) == 64 and doc["policies"]["folder"].endswith("policies")
    assert doc["settings"] == {"pcs_d_on_amendment": "after_only"}
    assert doc["cases"][0]["settings"]["pcs_d_on_amendment"] == "after_only"
    assert all("derivations" not in f for f in doc["cases"][0]["findings"])
    full = json.loads(_run("check", "--format", "json", "--derivations", _case(tmp_path)).output)
    assert all(f["derivations"] for f in full["cases"][0]["findings"])


def test_json_findings_have_typed_arguments(tmp_path):
    doc = json.loads(_run("check", "--format", "json", _case(tmp_path)).output)
    [total] = [f for f in doc["cases"][0]["findings"] if f["kind"] == "value" and f["key"][0] == "total"]
    assert total["args"] == [{"type": "name", "value": "total"},
                             {"type": "money", "cents": 6_000_000, "text": "$60,000.00"}]


def test_json_stays_valid_when_a_file_cannot_load(tmp_path):
    bad = tmp_path / "bad.pos"
    bad.write_text('jurisdiction arkansas\ncontract "C" {\n')
    result = CliRunner().invoke(main, ["check", "--format", "json", _case(tmp_path), str(bad)])
    assert result.exit_code == 2
    doc = json.loads(result.stdout)
    assert len(doc["cases"]) == 1 and doc["errors"][0]["file"] == str(bad) and doc["errors"][0]["line"] >= 2


def test_check_reads_standard_input():
    text = (ROOT / "cases" / "examples" / "acme-counseling.pos").read_text()
    result = _run("check", "-", input=text)
    assert result.exit_code in (0, 1, 3) and "<stdin>: Acme counseling" in result.output


# -- 9. CI-friendly commands --------------------------------------------------------------------------

def _bad_policies(tmp_path) -> Path:
    import shutil
    root = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", root)
    (root / "arkansas" / "extra.lp").write_text("violation(A, oops) :- agreement(A).\n")
    return root


def test_lint_errors_exit_1_with_an_error_prefix_and_usage_errors_exit_2(tmp_path):
    root = _bad_policies(tmp_path)
    result = CliRunner().invoke(main, ["lint", str(root), "-j", "arkansas"])
    assert result.exit_code == 1 and "extra.lp:1:1: error: " in result.stderr
    assert _run("lint", str(tmp_path / "nowhere")).exit_code == 2


def test_lint_speaks_sarif_2_1_0(tmp_path):
    root = _bad_policies(tmp_path)
    result = CliRunner().invoke(main, ["lint", str(root), "-j", "arkansas", "--format", "sarif"])
    doc = json.loads(result.stdout)
    assert doc["version"] == "2.1.0" and doc["$schema"].endswith("sarif-2.1.0.json")
    [run] = doc["runs"]
    errors = [r for r in run["results"] if r["level"] == "error"]
    assert errors and errors[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("extra.lp")
    assert {r["ruleId"] for r in run["results"]} <= {d["id"] for d in run["tool"]["driver"]["rules"]}


def test_lint_without_argument_checks_the_coverage_table(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, ["lint", "--format", "json"])
    doc = json.loads(result.stdout)
    assert not any("coverage table" in d["message"] for d in doc["diagnostics"])
    assert doc["policies"]["folder"] == str(ROOT / "policies")


def test_lint_says_when_there_is_no_coverage_table(tmp_path):
    result = _run("lint", str(ROOT / "policies"), "--coverage", str(tmp_path / "none.md"))
    assert "the check that every finding id appears in it was skipped" in result.output


def test_fmt_diff_and_stdin(tmp_path):
    path = tmp_path / "a.pos"
    path.write_text('jurisdiction arkansas\ncontract "C" {  compensation   $48000 }\n')
    before = path.read_text()
    diffed = _run("fmt", "--diff", str(path))
    assert diffed.exit_code == 1 and "+contract \"C\" { compensation $48,000.00 }" in diffed.output and path.read_text() == before
    piped = _run("fmt", "-", input=before)
    assert piped.exit_code == 0 and "{ compensation $48,000.00 }" in piped.output
    assert _run("fmt", "--check", "-", input=before).exit_code == 1
    assert _run("fmt", "--check", "-", input=piped.output).exit_code == 0


def test_the_shipped_cases_are_canonical():
    result = _run("fmt", "--check", str(ROOT / "cases"))
    assert result.exit_code == 0, "run `pos fmt cases/`:\n" + result.output


def test_test_and_fmt_default_to_the_project_cases_from_a_subfolder(monkeypatch):
    import re
    monkeypatch.chdir(ROOT / "docs")
    result = _run("fmt", "--check")
    assert result.exit_code in (0, 1)
    assert int(re.search(r"of (\d+) file", result.output).group(1)) == len(list((ROOT / "cases").rglob("*.pos")))


def test_help_examples_name_files_that_exist():
    import re
    for command in ("check", "explain", "facts", "test", "fmt", "diff", "lint", "rules"):
        help_text = _run(command, "--help").output
        for name in re.findall(r"\b(cases/[\w./-]+\.pos)\b", help_text):
            assert (ROOT / name).is_file(), (command, name)


# -- 4. pos test --update keeps what a person wrote ---------------------------------------------------

PINNED = '''case "update me"
jurisdiction arkansas
contract "C" {
    term          2025-07-01 to 2026-06-30
    compensation  $30,000.00
    contractor { entity corporation }
    on_file [OSP-1, DHS-9190, DHS-9193]
}

expect {
    # a person wrote this
    not document BAA            # holds: kept
    not document PCS-D          # fails now
    document PCS-D because AR-DISC-99   # names the wrong rule
    approval dfa                # holds
    value total $99.00
    violation only missing_document(XYZ)
}
'''


def test_update_rewrites_only_the_failing_lines(tmp_path):
    path = tmp_path / "a.pos"
    path.write_text(PINNED)
    result = _run("test", "--update", str(path))
    assert result.exit_code == 0, result.output
    assert path.read_text() == PINNED.replace(
        "    not document PCS-D          # fails now\n", "").replace(
        "document PCS-D because AR-DISC-99   # names", "document PCS-D because AR-DISC-01  # names").replace(
        "    value total $99.00\n", "").replace(
        "violation only missing_document(XYZ)",
        "violation only missing_document(PBS),\n                   missing_document(PCS-D)")


def test_snapshot_replaces_the_expect_block_by_everything_derived(tmp_path):
    path = tmp_path / "a.pos"
    path.write_text(PINNED)
    assert _run("test", "--snapshot", str(path)).exit_code == 0
    text = path.read_text()
    assert "not document DHS-9193" not in text and "dfa because AR-PCS-02" in text


# -- 7. why-not rejects what no rule can derive -------------------------------------------------------

@pytest.mark.parametrize("query, hint", [("approval dfx", "'dfa'"), ("document PCS-X", "'PCS-D'")])
def test_why_not_rejects_an_unknown_finding_with_did_you_mean(query, hint):
    result = _run("explain", str(ROOT / "cases/examples/acme-counseling.pos"), "--why-not", query)
    assert result.exit_code == 2 and f"did you mean {hint}" in result.output


def test_why_not_still_explains_a_known_finding():
    result = _run("explain", str(ROOT / "cases/examples/acme-counseling.pos"), "--why-not",
                  "violation missing_document(PBS)")
    assert result.exit_code == 0 and "is not derived" in result.output


# -- 10. vocabulary discoverable ---------------------------------------------------------------------

@pytest.mark.parametrize("jurisdiction", ["arkansas", "connecticut"])
def test_vocabulary_pages_are_generated_from_the_schema(jurisdiction):
    from pos_logic.language import vocabulary
    page = ROOT / "docs" / "vocabulary" / f"{jurisdiction}.md"
    assert page.read_text(encoding="utf-8") == vocabulary.markdown(jurisdiction), \
        f"{page} is stale: run `pos schema {jurisdiction} --write {page.relative_to(ROOT)}`"


def test_pos_schema_prints_blocks_attributes_types_and_values():
    result = _run("schema", "connecticut")
    assert result.exit_code == 0
    assert "agency" in result.output and "DMHAS" in result.output and "provider" in result.output
    assert _run("schema").output.split() == ["arkansas", "connecticut"]
    wrong = _run("schema", "conneticut")
    assert wrong.exit_code == 2 and "did you mean 'connecticut'" in wrong.output


def test_an_unknown_attribute_lists_the_allowed_ones(tmp_path):
    path = tmp_path / "a.pos"
    path.write_text('jurisdiction connecticut\ncontract "C" {\n    agncy DSS\n}\n')
    result = _run("check", str(path))
    assert result.exit_code == 2 and "did you mean 'agency'" in result.output
    assert "expected: agency, amendment_effective, amount" in result.output


# -- 11. pos test -k, -x, -q --------------------------------------------------------------------------

def _suite(tmp_path):
    for name, amount in (("a-fails.pos", "$60,000.00"), ("b-fails.pos", "$60,000.00"), ("c-passes.pos", "$1.00")):
        (tmp_path / name).write_text(SOLE.replace("$60,000.00", amount).format(extra="")
                                     + "expect {\n    not approval legislative_council\n}\n")
    return str(tmp_path)


def test_pos_test_selects_stops_and_quiets(tmp_path):
    folder = _suite(tmp_path)
    everything = _run("test", folder)
    assert everything.exit_code == 1 and "1 passed, 2 failed" in everything.output
    picked = _run("test", folder, "-k", "PASSES")
    assert picked.exit_code == 0 and "1 passed, 0 failed" in picked.output and "a-fails" not in picked.output
    first = _run("test", folder, "-x")
    assert first.exit_code == 1 and "FAIL" in first.output and "b-fails" not in first.output
    assert "stopped at the first failure (-x)" in first.output
    quiet = _run("test", folder, "-q")
    assert "pass " not in quiet.output and "FAIL" in quiet.output
    assert _run("test", folder, "-k", "nothing").exit_code == 2


# -- 11. a terminal that helps ------------------------------------------------------------------------

def _check_env(env):
    return CliRunner().invoke(main, ["check", str(ROOT / "cases/examples/acme-counseling.pos")], env=env)


def test_a_pipe_gets_plain_unwrapped_text():
    result = _check_env({"NO_COLOR": None, "FORCE_COLOR": None, "COLUMNS": "60"})
    assert "\x1b[" not in result.stdout and max(map(len, result.stdout.splitlines())) > 60


def test_a_terminal_gets_colour_and_lines_wrapped_to_its_width():
    result = _check_env({"NO_COLOR": None, "FORCE_COLOR": "1", "COLUMNS": "60"})
    assert "\x1b[" in result.stdout
    import re
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", result.stdout)
    assert max(map(len, plain.splitlines())) <= 60 and "Acme Counseling" in plain


def test_a_pipe_is_known_without_importing_rich_and_anything_else_is_rich_s_to_decide(monkeypatch):
    """rich (~25 ms to import, a tenth of a one-file check) is imported only where output may be
    a terminal: a TTY, or FORCE_COLOR or TTY_COMPATIBLE=1 set."""
    import io
    import sys

    from pos_logic.render.terminal import _plain

    class Tty(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("TTY_COMPATIBLE", raising=False)
    assert _plain(io.StringIO()) and not _plain(Tty())
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    assert not _plain(io.StringIO())
    monkeypatch.delenv("TTY_COMPATIBLE")
    monkeypatch.setenv("FORCE_COLOR", "")
    assert not _plain(io.StringIO())
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    probe = ("import sys; from pos_logic.cli import main\n"
             "try: main(['check', sys.argv[1]])\nexcept SystemExit: pass\n"
             "print('rich imported' if 'rich' in sys.modules else 'no rich', file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", probe, str(ROOT / "cases/examples/acme-counseling.pos")],
                          capture_output=True, text=True, env=env)
    assert "Acme Counseling" in done.stdout and done.stderr.strip().endswith("no rich"), done.stderr


@pytest.mark.parametrize("line, style", [
    ("    Violations", "bold"), ("    Not checked: the case does not say", "bold"),
    ("    Contract language", "bold"), ("    Met requirements", "bold"),
    ("      ? procurement_method_not_stated — Contract Manual ch. 4 §II.B [AR-PROC-06]", "yellow"),
    ("      ✗ missing_document(PCS-D)", "bold red"), ("          Obtain the form.", ""),
])
def test_every_kind_heading_is_bold_and_marks_keep_their_colour(line, style):
    from pos_logic.render.terminal import _style
    assert _style(line) == style


def test_no_color_is_honoured_even_when_forced():
    result = _check_env({"NO_COLOR": "1", "FORCE_COLOR": "1", "COLUMNS": "60"})
    import re
    codes = set(re.findall(r"\x1b\[([0-9;]*)m", result.stdout))
    assert codes and codes <= {"0", "1", "2"}  # bold and dim are not colour


# -- 7. explain an officer can read -------------------------------------------------------------------

ACME = str(ROOT / "cases/examples/acme-counseling.pos")


def test_explain_prints_a_repeated_subtree_once_and_refers_back_to_it():
    out = _run("explain", ACME).output
    assert "derived as shown above [" in out
    labels = [line.split("[", 1)[1].split("]", 1)[0] for line in out.splitlines() if "─ [" in line]
    assert len(labels) == len(set(labels))  # each derivation printed once
    assert out.count("ground rule: money_addend(total(1),compensation,usd(0,40000,0))") == 1


def test_explain_depth_stops_descending():
    full = _run("explain", ACME, "document PCS-D").output
    shallow = _run("explain", ACME, "document PCS-D", "--depth", "1").output
    assert len(shallow.splitlines()) < len(full.splitlines()) and "  …" in shallow
    assert "ground rule: document(1,\"PCS-D\",file)" in shallow and "money_sum" not in shallow.split("…")[-1]


def test_explain_brief_gives_rule_citation_sentence_reading_and_case_lines():
    out = _run("explain", ACME, "document PCS-D", "--brief").output
    assert "rule AR-DISC-01 · Contract Manual ch. 3" in out and "read as:" in out
    assert "acme-counseling.pos:10: compensation $40,000.00" in out and "ground rule" not in out


def test_why_not_ranks_the_closest_rules_first_and_says_why_in_words():
    out = _run("explain", ACME, "--why-not", "approval joint_budget_committee").output
    assert "closest first" in out
    counts = [int(line.rsplit("· ", 1)[1].split()[0]) for line in out.splitlines() if "condition" in line and " · " in line]
    assert counts == sorted(counts) and counts
    assert "✗ this rule is for a purchase order; the case's agreement is a contract" in out
    assert "✗ nothing in the case makes this hold: agreement_type" not in out


# -- 5. boundary coverage per dated version -----------------------------------------------------------

def test_coverage_reports_each_dated_version_of_a_threshold_separately(testland, tmp_path):
    case = ('case "c"\njurisdiction testland\ncontract "C" {{\n    term {start} to {end}\n'
            '    compensation {amount}\n}}\n')
    for name, start, end, amount in (("a", "2024-01-01", "2024-12-31", "$25,000.00"),
                                     ("b", "2024-01-01", "2024-12-31", "$25,000.01"),
                                     ("c", "2025-07-01", "2026-06-30", "$50,000.00"),
                                     ("d", "2025-07-01", "2026-06-30", "$50,000.01")):
        (tmp_path / f"{name}.pos").write_text(case.format(start=start, end=end, amount=amount))
    out = _run("test", "--coverage", str(tmp_path)).output
    old = out.split("f1_threshold $25,000.00 (since 2000-01-01): both sides", 1)[1]
    new = out.split("f1_threshold $50,000.00 (since 2025-07-01): both sides", 1)[1]
    assert old.split("\n    ", 4)[3].strip() == "pinned to the cent"
    assert new.split("\n    ", 4)[3].strip() == "pinned to the cent"
    (tmp_path / "d.pos").unlink()
    out = _run("test", "--coverage", str(tmp_path)).output
    assert "f1_threshold $50,000.00 (since 2025-07-01): false only" in out


@pytest.mark.parametrize("derivations", [False, True])
def test_json_output_follows_its_published_schema(tmp_path, derivations):
    """docs/findings.schema.json is what tools code against: every kind of finding, `complete`
    and `unstated` included, on cases that yield each kind."""
    import jsonschema
    schema = json.loads((ROOT / "docs" / "findings.schema.json").read_text())
    files = [ROOT / "cases/examples/acme-counseling.pos", ROOT / "cases/arkansas/ch4-method-not-stated-5000-01.pos",
             ROOT / "cases/arkansas/ch4-method-below-band.pos", ROOT / "cases/connecticut/part2-amendment.pos",
             ROOT / "cases/arkansas/approval-timing-unknown.pos"]
    doc = json.loads(_run("check", "--format", "json", *(["--derivations"] if derivations else []),
                          *map(str, files)).output)
    jsonschema.Draft202012Validator(schema).validate(doc)
    kinds = {f["kind"] for c in doc["cases"] for f in c["findings"]}
    assert {"violation", "unknown", "met", "value", "document", "approval"} <= kinds


def test_an_unstated_attribute_is_named_as_the_case_would_write_it():
    """The reason of a finding that waits on an attribute names the attribute, not the rules'
    bookkeeping predicate (`given`)."""
    result = _run("check", str(ROOT / "cases/examples/acme-counseling.pos"))
    line = next(r for r in result.output.splitlines() if "The contractor and the division should agree" in r)
    assert "(the case does not state reimbursement_method)" in line and "given" not in line
