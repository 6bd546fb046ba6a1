"""pos rules, pos diff and pos explain --why-not."""

import subprocess

from click.testing import CliRunner

from pos_logic.cli import main


def _run(*args):
    return CliRunner().invoke(main, list(args))


def _why_not(tmp_path, contract_body: str, finding: str) -> str:
    """`pos explain --why-not FINDING` on a testland contract with the given attribute lines."""
    path = tmp_path / "c.pos"
    path.write_text(f'jurisdiction testland\ncontract "C" {{\n{contract_body}\n}}\n')
    return _run("explain", str(path), "--why-not", finding).output


def test_rules_lists_id_citation_sentence_parameters_and_place(testland):
    out = _run("rules", "testland").output
    assert "T-1" in out and "Testland Code § 1" in out and "params: f1_threshold" in out
    assert "policies/testland/rules.lp:" in out


def test_rules_writes_markdown(testland, tmp_path):
    target = tmp_path / "rules.md"
    _run("rules", "--write", str(target), "testland")
    assert "| T-1 | document | Testland Code § 1 |" in target.read_text()


def test_why_not_names_the_failed_comparison_with_actual_values(testland, tmp_path):
    out = _why_not(tmp_path, " term 2024-01-01 to 2024-12-31\n compensation $25,000.00", "document F-1")
    assert "T-1 · Testland Code § 1" in out
    assert "✗ total $25,000.00 does not exceed f1 threshold $25,000.00" in out
    assert "✓ not government(1)" in out


def test_why_not_names_the_missing_condition(testland, tmp_path):
    out = _why_not(tmp_path, " compensation $1.00", "violation share_too_high")
    assert "✗ nothing in the case makes this hold: contractor(A,C)" in out
    assert "POS-FILE-01" not in out


def test_why_not_says_when_the_finding_is_derived(testland, tmp_path):
    assert "IS derived" in _why_not(tmp_path, " compensation $1.00", "approval board")


def _git(repo, *args):
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def test_diff_lists_the_cases_a_threshold_edit_moves(testland, tmp_path, monkeypatch):
    repo = testland.parent
    _git(repo, "init", "-q")
    _git(repo, "-c", "user.email=a@b", "-c", "user.name=t", "add", "policies")
    _git(repo, "-c", "user.email=a@b", "-c", "user.name=t", "commit", "-qm", "base")
    cases = tmp_path / "cases"
    cases.mkdir()
    for amount in ("$20,000.00", "$30,000.00"):
        (cases / f"c{amount[1:3]}.pos").write_text(
            f'jurisdiction testland\ncontract "C" {{\n term 2024-01-01 to 2024-12-31\n compensation {amount}\n}}\n')
    rules = testland / "testland" / "rules.lp"
    rules.write_text(rules.read_text().replace("usd(0,25000,0)", "usd(0,15000,0)"))
    result = _run("diff", "--base", "HEAD", str(cases))
    assert result.exit_code == 1
    out = result.output
    assert "2 of 2 cases change against HEAD: 1 in their findings, 1 only in their explanations" in out
    c20, c30 = out.split("c20.pos")[1].split("c30.pos")
    assert "+ document F-1  [T-1]" in c20  # gains the form
    assert "~ document F-1" in c30  # keeps it, for another reason
    assert "was: A contract whose total exceeds $25,000.00" in c30
    assert "now: A contract whose total exceeds $15,000.00" in c30


def test_why_not_takes_a_finding_whose_argument_has_spaces(testland, tmp_path):
    # the quoted name is one argument: known names are explained, an unknown one is named whole
    out = _why_not(tmp_path, " compensation $1.00", 'violation missing_document("F-1")')
    assert "POS-FILE-01" in out and "no rule derives" not in out
    out = _why_not(tmp_path, " compensation $1.00", 'violation missing_document("F 1")')
    assert "mention 'F 1'" in out and "did you mean 'F-1'" in out


def test_why_not_names_the_arguments_a_rule_does_hold_for(testland, tmp_path):
    out = _why_not(tmp_path, " term 2024-01-01 to 2024-12-31\n compensation $30,000.00", "document F-2")
    assert "T-1" not in out  # a rule whose head is F-1 cannot be F-2
