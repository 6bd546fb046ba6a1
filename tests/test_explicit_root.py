"""The policies folder is an argument, chosen once at the edge and passed down (issue 15, item 4):
nothing in the package writes the environment, nothing below the edge reads it or the current
directory, and two checks in one process against two folders each see their own rules."""

from __future__ import annotations

import ast
import inspect
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

import pos_logic
from pos_logic.check import check_cases, check_each, check_files, stream_files
from pos_logic.cli import main
from pos_logic.language.casejson import load_case_json, write_json_schemas
from pos_logic.language.load import load_case, load_case_text
from pos_logic.language.schema import jurisdictions, load_schema
from pos_logic.policy.policy import load_policy
from pos_logic.policy.policy_cache import CACHE_ENV
from pos_logic.policy.resources import POLICIES_ENV, bundled_policies, choose_policies
from pos_logic.web.app import create_app

PACKAGE = Path(pos_logic.__file__).parent
ROOT = PACKAGE.parent
SOURCES = sorted(PACKAGE.rglob("*.py"))
CASE = ROOT / "cases" / "examples" / "acme-counseling.pos"
#: the public entry points whose `policies=None` means "chosen as the CLI would", resolved once
ENTRY_POINTS = [load_case, load_case_text, load_case_json, load_schema, jurisdictions, load_policy,
                check_files, stream_files, check_cases, check_each, write_json_schemas, create_app]
#: the functions that may choose a folder: the entry points, resources, the CLI's and the pytest
#: plugin's one chooser each
RESOLVERS = {f.__name__ for f in ENTRY_POINTS} | {"given", "_policies", "_check_all"}


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), str(path))


def _name(call: ast.Call) -> str | None:
    f = call.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None


def test_nothing_in_the_package_writes_the_environment():
    writes = re.compile(r"os\.environ\[[^\]]*\]\s*=(?!=)|os\.environ\.(pop|setdefault|update|clear)\(|"
                        r"os\.putenv|del os\.environ")
    found = [f"{p.relative_to(ROOT)}:{i}" for p in SOURCES
             for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if writes.search(line)]
    assert found == []


def _lines(pattern: str) -> list[str]:
    found = re.compile(pattern)
    return [f"{p.relative_to(ROOT)}" for p in SOURCES
            for line in p.read_text(encoding="utf-8").splitlines() if found.search(line)]


def test_only_resources_reads_the_policies_variable_or_looks_for_the_project():
    """The variable, and the project around the current directory or a file, are read where
    the folder is chosen; the CLI asks for the project only for its default cases folder."""
    assert set(_lines(r"environ(\.get)?[\[(]\s*(POLICIES_ENV|[\"']POS_POLICIES)")) == {"pos_logic/policy/resources.py"}
    assert set(_lines(r"find_project\(")) == {"pos_logic/policy/resources.py"}
    assert set(_lines(r"\bproject\(\)")) == {"pos_logic/policy/resources.py", "pos_logic/cli.py"}


def test_every_call_inside_the_package_passes_the_policies_folder():
    """An entry point's default is for callers outside the package; inside, the folder is passed."""
    where = {f.__name__: list(inspect.signature(f).parameters).index("policies") for f in ENTRY_POINTS}
    missing = []
    for path in SOURCES:
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.Call) and _name(node) in where:
                if len(node.args) <= where[_name(node)] and not any(k.arg == "policies" for k in node.keywords):
                    missing.append(f"{path.relative_to(ROOT)}:{node.lineno} {_name(node)}")
    assert missing == []


def test_only_the_entry_points_and_the_cli_choose_the_folder():
    """`given` (an entry point's None default) and `choose_policies` are called nowhere deeper."""
    wrong = []
    for path in SOURCES:
        for fn in ast.walk(_tree(path)):
            if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for node in ast.walk(fn):
                    if isinstance(node, ast.Call) and _name(node) in ("given", "choose_policies") \
                            and fn.name not in RESOLVERS:
                        wrong.append(f"{path.relative_to(ROOT)}:{node.lineno} in {fn.name}")
    assert wrong == []


# -- two folders, one process --------------------------------------------------------------------

@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def _own_cache(cache, monkeypatch):
    """Compiled copies of the policies stay out of the home folder."""
    monkeypatch.setenv(CACHE_ENV, str(cache))


@pytest.fixture(scope="module")
def two_folders(tmp_path_factory) -> tuple[Path, Path]:
    """The policies, and a copy whose legislative review threshold is $50,000.00, not $25,000.00."""
    base = tmp_path_factory.mktemp("two")
    same, raised = (base / "same" / "policies").resolve(), (base / "raised" / "policies").resolve()
    shutil.copytree(bundled_policies(), same)
    shutil.copytree(bundled_policies(), raised)
    params = raised / "arkansas" / "parameters.lp"
    text = params.read_text(encoding="utf-8")
    old = "param(legislative_review_threshold, d(2007,1,1), usd(0,25000,0))."
    assert old in text
    params.write_text(text.replace(old, old.replace("usd(0,25000,0)", "usd(0,50000,0)")), encoding="utf-8")
    return same, raised


def _approvals(results) -> set[str]:
    [result] = results
    return {f.label for f in result.findings if f.kind == "approval"}


def test_two_folders_in_one_process_give_each_its_own_findings(two_folders, monkeypatch):
    same, raised = two_folders
    monkeypatch.setenv(POLICIES_ENV, str(raised))  # an explicit folder wins over the environment
    before = dict(os.environ)
    first, problems = check_files([CASE], policies=same)
    assert problems == [] and "legislative_council" in _approvals(first)  # $48,000.00 > $25,000.00
    second, _ = check_files([CASE], policies=raised)
    assert "legislative_council" not in _approvals(second)  # $48,000.00 <= $50,000.00
    again, _ = check_files([CASE], policies=same)  # nothing of the second run stayed behind
    assert _approvals(again) == _approvals(first)
    assert dict(os.environ) == before


def test_the_facade_without_a_folder_chooses_as_the_cli_does(two_folders, monkeypatch):
    same, raised = two_folders
    monkeypatch.setenv(POLICIES_ENV, str(raised))
    assert "legislative_council" not in _approvals(check_files([CASE])[0])
    [(_, result)] = check_each([CASE]).items()
    assert not isinstance(result, Exception) and "legislative_council" not in _approvals([result])
    monkeypatch.setenv(POLICIES_ENV, str(same))
    assert "legislative_council" in _approvals(check_files([CASE])[0])


def _provenance(out) -> dict:
    """The `policies` object of a JSON report, valid against docs/findings.schema.json."""
    schema = json.loads((ROOT / "docs" / "findings.schema.json").read_text(encoding="utf-8"))
    doc = json.loads(out.stdout)["policies"]
    jsonschema.Draft202012Validator(schema["properties"]["policies"]).validate(doc)
    return doc


def test_the_cli_passes_its_folder_and_says_how_it_was_chosen(two_folders, monkeypatch):
    same, raised = two_folders
    monkeypatch.delenv(POLICIES_ENV, raising=False)
    out = CliRunner().invoke(main, ["check", "--format", "json", str(CASE)])
    assert _provenance(out)["chosen_by"] == "project"  # the checkout around the current directory
    monkeypatch.setenv(POLICIES_ENV, str(raised))
    out = CliRunner().invoke(main, ["check", "--format", "json", str(CASE)])
    doc = _provenance(out)
    assert (doc["folder"], doc["chosen_by"]) == (str(raised), "$POS_POLICIES")
    out = CliRunner().invoke(main, ["--policies", str(same), "check", "--format", "json", str(CASE)])
    doc = _provenance(out)
    assert (doc["folder"], doc["chosen_by"]) == (str(same), "--policies")
    assert os.environ[POLICIES_ENV] == str(raised)  # the option did not rewrite the environment


def test_a_variable_that_names_no_folder_is_an_error_not_the_bundled_rules(tmp_path, monkeypatch):
    monkeypatch.setenv(POLICIES_ENV, str(tmp_path / "nowhere"))
    result = CliRunner().invoke(main, ["check", str(CASE)])
    assert result.exit_code == 2 and "POS_POLICIES" in result.output and "not a folder" in result.output


def test_the_case_files_project_is_chosen_and_named_so(tmp_path, monkeypatch):
    project = tmp_path / "proj"
    shutil.copytree(bundled_policies(), project / "rules")
    (project / "pos.toml").write_text('policies = "rules"\n', encoding="utf-8")
    monkeypatch.delenv(POLICIES_ENV, raising=False)
    monkeypatch.chdir(tmp_path)  # no project around the current directory
    case = project / "case.pos"
    assert choose_policies(None, [str(case)]).chosen_by == "bundled"  # the file is not there yet
    shutil.copy(CASE, case)
    chosen = choose_policies(None, [str(case)])
    assert (chosen.root, chosen.chosen_by) == ((project / "rules").resolve(), "case file's project")
    result = CliRunner().invoke(main, ["check", "--format", "json", str(case)])
    assert _provenance(result)["chosen_by"] == "case file's project"
    assert choose_policies(None, []).chosen_by == "bundled"


# -- pos diff: the base revision is a folder passed, not an environment swapped ------------------

def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"})


@pytest.mark.parametrize("variable", ["unset", "set"])
def test_diff_against_head_after_an_edit(tmp_path, variable):
    repo = tmp_path / "repo"
    shutil.copytree(bundled_policies(), repo / "policies")
    (repo / "pos.toml").write_text("", encoding="utf-8")
    shutil.copy(CASE, repo / "case.pos")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "base")
    params = repo / "policies" / "arkansas" / "parameters.lp"
    params.write_text(params.read_text(encoding="utf-8").replace(
        "param(legislative_review_threshold, d(2007,1,1), usd(0,25000,0)).",
        "param(legislative_review_threshold, d(2007,1,1), usd(0,50000,0))."), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != POLICIES_ENV}  # the cache: _own_cache
    if variable == "set":
        env[POLICIES_ENV] = str(repo / "policies")
    done = subprocess.run([sys.executable, "-m", "pos_logic", "diff", "--base", "HEAD", "case.pos"],
                          cwd=repo, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stderr
    assert "1 of 1 cases change against HEAD" in done.stdout
    assert "- approval legislative_council" in done.stdout
    again = subprocess.run([sys.executable, "-m", "pos_logic", "diff", "--base", "HEAD", "case.pos"],
                           cwd=repo, env=env, capture_output=True, text=True, timeout=300)
    assert again.stdout == done.stdout  # the base's run left nothing behind for the next


def test_lint_names_the_folder_it_was_given(testland):
    result = CliRunner().invoke(main, ["lint", "--format", "json", str(testland)])
    doc = _provenance(result)
    assert (doc["folder"], doc["chosen_by"]) == (str(testland.resolve()), "argument")


def test_the_web_app_and_its_workers_read_the_folder_they_were_given(two_folders, monkeypatch):
    """The workers are other processes: the folder reaches them with each request, not through
    the environment (set here to the other folder)."""
    from fastapi.testclient import TestClient

    same, raised = two_folders
    monkeypatch.setenv(POLICIES_ENV, str(same))
    with TestClient(create_app(raised)) as client:
        body = client.post("/v1/check", json={"case": CASE.read_text(encoding="utf-8")}).json()
    approvals = {f["finding"] for f in body["case"]["findings"] if f["kind"] == "approval"}
    assert approvals and "legislative_council" not in approvals


def test_a_folder_given_through_a_link_is_the_folder_it_links_to_and_is_resolved_once(tmp_path, monkeypatch):
    """given() resolves a folder once: a stage handed the folder it returned does not resolve it
    again (a few system calls a stage, every case), and a link still names its target."""
    from pos_logic.policy import resources

    link = tmp_path / "rules"
    link.symlink_to(ROOT / "policies", target_is_directory=True)
    root = resources.given(link)
    assert root == (ROOT / "policies").resolve() and resources.given(str(link)) == root
    calls = []
    real = Path.resolve
    monkeypatch.setattr(Path, "resolve", lambda self, *a: calls.append(self) or real(self, *a))
    assert resources.given(root) is root and calls == []
    assert resources.given(link) == root and calls == [link]
