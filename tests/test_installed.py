"""The rules in force are the ones being edited: the package installed the way the README says
(not editable), run inside a checkout, reads the checkout's policies, in every command."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
THRESHOLD = "param(disclosure_threshold, d(2007,1,1), usd(0,25000,0))."


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """pos-logic installed as `pip install .` does (a copy in a site folder, policies bundled)."""
    site = tmp_path_factory.mktemp("site")
    done = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site),
                           str(ROOT)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot build the package here: {done.stderr[-300:]}")
    return site


@pytest.fixture
def checkout(tmp_path) -> Path:
    """A checkout as a policy analyst has it: a git repository with policies, cases, docs."""
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copy(ROOT / "pyproject.toml", repo)
    shutil.copytree(ROOT / "policies", repo / "policies")
    shutil.copytree(ROOT / "cases" / "examples", repo / "cases" / "examples")
    (repo / "docs").mkdir()
    shutil.copy(ROOT / "docs" / "coverage.md", repo / "docs")
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run(git + ["init", "-q"], check=True)
    subprocess.run(git + ["add", "."], check=True)
    subprocess.run(git + ["commit", "-qm", "start"], check=True)
    return repo


def _pos(site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "POS_POLICIES"}
    env["PYTHONPATH"] = str(site)
    return subprocess.run([sys.executable, "-m", "pos_logic", *args], cwd=cwd, env=env,
                          capture_output=True, text=True)


def test_an_edited_threshold_shows_in_check_test_lint_and_diff(installed, checkout):
    case = "cases/examples/acme-counseling.pos"
    assert "PCS-D (file)" in _pos(installed, checkout, "check", case).stdout
    params = checkout / "policies" / "arkansas" / "parameters.lp"
    text = params.read_text()
    assert THRESHOLD in text
    params.write_text(text.replace(THRESHOLD, THRESHOLD.replace("usd(0,25000,0)", "usd(0,50000,0)")))

    checked = _pos(installed, checkout, "check", case)
    assert "PCS-D (file)" not in checked.stdout, checked.stdout + checked.stderr
    assert checked.stdout.startswith("policies: policies (") and "+edits" in checked.stdout.splitlines()[0]

    tested = _pos(installed, checkout, "test")
    assert tested.returncode == 1 and "expected document PCS-D" in tested.stdout

    diffed = _pos(installed, checkout, "diff", "--base", "HEAD")
    assert diffed.returncode == 1, diffed.stderr
    assert "acme-counseling.pos" in diffed.stdout and "- document PCS-D" in diffed.stdout

    (checkout / "policies" / "arkansas" / "extra.lp").write_text("violation(A, oops) :- agreement(A).\n")
    linted = _pos(installed, checkout, "lint")
    assert linted.returncode == 1 and "extra.lp:1:1: error:" in linted.stderr


def test_outside_a_project_the_bundled_policies_apply_and_say_so(installed, tmp_path):
    shutil.copy(ROOT / "cases" / "examples" / "acme-counseling.pos", tmp_path)
    out = _pos(installed, tmp_path, "check", "acme-counseling.pos").stdout
    assert out.splitlines()[0].startswith(f"policies: {installed / 'pos_logic' / 'policies'} (bundled with pos-logic")


def test_a_case_file_inside_a_project_uses_that_project_from_anywhere(installed, checkout, tmp_path):
    params = checkout / "policies" / "arkansas" / "parameters.lp"
    params.write_text(params.read_text().replace(THRESHOLD, THRESHOLD.replace("25000", "50000")))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = _pos(installed, elsewhere, "check", str(checkout / "cases/examples/acme-counseling.pos")).stdout
    assert "PCS-D (file)" not in out and str(checkout / "policies") in out.splitlines()[0]


def test_policies_is_an_option_of_every_command(installed, checkout, tmp_path):
    other = tmp_path / "other"
    shutil.copytree(checkout / "policies", other)
    params = other / "arkansas" / "parameters.lp"
    params.write_text(params.read_text().replace(THRESHOLD, THRESHOLD.replace("25000", "50000")))
    case = "cases/examples/acme-counseling.pos"
    out = _pos(installed, checkout, "check", case, "--policies", str(other)).stdout
    assert "PCS-D (file)" not in out and str(other) in out.splitlines()[0]
    for command in (["explain", case], ["facts", case], ["test"], ["rules"], ["diff", "--base", "HEAD"],
                    ["lint"]):
        assert "--policies" in _pos(installed, checkout, *command[:1], "--help").stdout, command
