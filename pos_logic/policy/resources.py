"""Where the grammar and the policies are, and which revision of the policies a run used.

The policies in force follow one rule a user can predict, first match wins:

1. `--policies DIR` (any command) or $POS_POLICIES;
2. the project around the current directory: the nearest folder upward holding a `pos.toml`, or
   a `pyproject.toml` with a `[tool.pos]` table, whose `policies` key (default `policies`) names
   the folder; failing that, the project around the first case file named;
3. the policies bundled with the installed package.

So an analyst who edits `policies/arkansas/parameters.lp` in a checkout sees the edit in every
command run inside it, whether pos was installed editable or not.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

#: set to a folder to check cases against other policies (a policy editor's working copy)
POLICIES_ENV = "POS_POLICIES"
_PACKAGE = Path(__file__).resolve().parent.parent
_CHECKOUT = _PACKAGE.parent


@dataclass(frozen=True)
class Project:
    """A folder that declares itself a pos project, and its folders (relative keys resolved)."""

    root: Path
    policies: Path
    cases: Path
    coverage: Path


def _settings_of(folder: Path) -> dict | None:
    """The `[tool.pos]` table (or `pos.toml`) of a folder, or None if it is not a project."""
    own = folder / "pos.toml"
    try:
        if own.is_file():
            data = tomllib.loads(own.read_text(encoding="utf-8"))
            return data.get("tool", {}).get("pos", data)
        py = folder / "pyproject.toml"
        if py.is_file():
            table = tomllib.loads(py.read_text(encoding="utf-8")).get("tool", {}).get("pos")
            return table if isinstance(table, dict) else None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    return None


def find_project(start: Path) -> Project | None:
    """The nearest project at or above `start` (a folder or a file), or None."""
    here = Path(start).resolve()
    if not here.is_dir():
        here = here.parent
    for folder in (here, *here.parents):
        table = _settings_of(folder)
        if table is not None:
            def at(key: str, default: str) -> Path:
                return (folder / str(table.get(key, default))).resolve()
            return Project(folder, at("policies", "policies"), at("cases", "cases"),
                           at("coverage", "docs/coverage.md"))
    return None


def _located(folder: str, installed: str | None = None) -> Path:
    local = _CHECKOUT / folder
    if local.is_dir() and (_CHECKOUT / "pyproject.toml").is_file():
        return local
    return _PACKAGE / (installed or folder)  # installed: package data beside the code


@lru_cache(maxsize=None)
def grammar_path() -> Path:
    return _located("grammar") / "case.lark"


def bundled_policies() -> Path:
    return _located("policies")


@lru_cache(maxsize=None)
def examples_dir() -> Path:
    """The bundled example cases (cases/examples in a checkout), for the web page to start from."""
    return _located("cases/examples", "examples")


def policies_root() -> Path:
    override = os.environ.get(POLICIES_ENV)
    if override:
        return Path(override).resolve()
    project = find_project(Path.cwd())
    return project.policies if project is not None else bundled_policies()


def choose_policies(option: str | None, files=()) -> None:
    """Fix the policies of this run: the option, else (when neither $POS_POLICIES nor the
    current directory decides) the project around the first case file."""
    if option:
        os.environ[POLICIES_ENV] = str(Path(option).resolve())
        return
    if os.environ.get(POLICIES_ENV) or find_project(Path.cwd()) is not None:
        return
    for name in files:
        if name != "-" and Path(name).exists():
            project = find_project(Path(name))
            if project is not None:
                os.environ[POLICIES_ENV] = str(project.policies)
            return


def coverage_table(root: Path) -> Path:
    """The coverage table for a policies folder: its project's, else `<root>/../docs/coverage.md`."""
    here = find_project(root)
    if here is not None and here.policies == root.resolve():
        return here.coverage
    return root.parent / "docs" / "coverage.md"


def project() -> Project | None:
    """The project of this run (around the current directory), if any."""
    return find_project(Path.cwd())


# -- provenance -----------------------------------------------------------------------------------

def _git(folder: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def policy_files_of(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.suffix in (".lp", ".toml") and p.is_file())


def digest(root: Path) -> str:
    """sha256 over every rule and schema file of the folder (names and contents): two runs with
    the same digest used the same rules."""
    h = hashlib.sha256()
    for path in policy_files_of(root):
        h.update(path.relative_to(root).as_posix().encode() + b"\0")
        h.update(path.read_bytes() + b"\0")
    return h.hexdigest()


def revision(root: Path) -> str:
    """The git commit of the policies folder, with '+edits' when it has uncommitted changes, or
    'bundled with pos-logic X' / 'not in git'."""
    root = root.resolve()
    if root == bundled_policies().resolve() and not (root.parent / ".git").exists():
        from importlib.metadata import PackageNotFoundError, version
        try:
            return f"bundled with pos-logic {version('pos-logic')}"
        except PackageNotFoundError:
            return "bundled"
    commit = _git(root, "rev-parse", "--short=12", "HEAD")
    if commit is None:
        return "not in git"
    dirty = _git(root, "status", "--porcelain", "--", ".")
    return commit + ("+edits" if dirty else "")


def provenance(root: Path | None = None) -> dict:
    """Which policies a run used: folder, how it was chosen, git revision, content digest."""
    root = (root or policies_root()).resolve()
    here = project()
    how = ("--policies or $POS_POLICIES" if os.environ.get(POLICIES_ENV) else
           "project" if here is not None and here.policies == root else "bundled")
    return {"folder": str(root), "chosen_by": how, "revision": revision(root), "digest": digest(root)}


def header(root: Path | None = None) -> str:
    """One line for a text report: `policies: FOLDER (REVISION)`."""
    p = provenance(root)
    folder = Path(p["folder"])
    try:
        shown = os.path.relpath(folder)
        shown = shown if not shown.startswith("..") else str(folder)
    except ValueError:
        shown = str(folder)
    return f"policies: {shown} ({p['revision']}, digest {p['digest'][:12]})"
