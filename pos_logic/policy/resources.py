"""Where the grammar and the policies are, and which revision of the policies a run used.

The policies in force follow one rule a user can predict, first match wins:

1. `--policies DIR` (any command), else $POS_POLICIES;
2. the project around the current directory: the nearest folder upward holding a `pos.toml`, or
   a `pyproject.toml` with a `[tool.pos]` table, whose `policies` key (default `policies`) names
   the folder; failing that, the project around the first case file named;
3. the policies bundled with the installed package.

So an analyst who edits `policies/arkansas/parameters.lp` in a checkout sees the edit in every
command run inside it, whether pos was installed editable or not.

`choose_policies` applies that rule once, at the edge (the CLI, or a library call given no
folder), and returns the folder; from there it is an argument, passed down to every loader.
Nothing in the package writes the environment, and nothing below the edge reads it or the
current directory: two checks in one process against two folders cannot see each other's.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import PosError

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


@dataclass(frozen=True)
class Policies:
    """The policies folder of a run, and which step of the rule chose it (for provenance)."""

    root: Path
    #: "--policies", "$POS_POLICIES", "project", "case file's project", "bundled", or "argument"
    #: (a folder named to `pos lint` or passed by a library caller)
    chosen_by: str


def choose_policies(option: str | Path | None = None, files=()) -> Policies:
    """The policies of a run, by the rule above: the option, else $POS_POLICIES, else the
    project around the current directory, else the project around the first case file that
    exists, else the bundled policies. The only reader of $POS_POLICIES and the current
    directory (for the policies); its callers pass the folder on."""
    if option:
        return Policies(Path(option).resolve(), "--policies")
    override = os.environ.get(POLICIES_ENV)
    if override:
        if not Path(override).is_dir():
            raise PosError(f"${POLICIES_ENV} names {override!r}, which is not a folder")
        return Policies(Path(override).resolve(), f"${POLICIES_ENV}")
    here = find_project(Path.cwd())
    if here is not None:
        return Policies(here.policies, "project")
    for name in files:
        if str(name) != "-" and Path(name).exists():
            around = find_project(Path(name))
            if around is not None:
                return Policies(around.policies, "case file's project")
            break
    return Policies(bundled_policies().resolve(), "bundled")


#: folders `given` has returned: each is resolved already, and the inner stages of a check pass
#: the outermost call's folder down, so every case paid ~20 µs of system calls a stage to
#: resolve it again (~3% of checking a one-agreement case)
_resolved: set[Path] = set()


def given(policies: str | Path | None, files=()) -> Path:
    """The folder a library entry point was given, else the one `choose_policies` picks: the
    one place a `policies=None` default is resolved, once, at the outermost call."""
    if isinstance(policies, Path) and policies in _resolved:
        return policies
    root = Path(policies).resolve() if policies is not None else choose_policies(None, files).root
    _resolved.add(root)
    return root


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


def provenance(policies: Policies) -> dict:
    """Which policies a run used: folder, how it was chosen, git revision, content digest."""
    root = policies.root.resolve()
    return {"folder": str(root), "chosen_by": policies.chosen_by, "revision": revision(root),
            "digest": digest(root)}


def header(policies: Policies) -> str:
    """One line for a text report: `policies: FOLDER (REVISION)`."""
    p = provenance(policies)
    folder = Path(p["folder"])
    try:
        shown = os.path.relpath(folder)
        shown = shown if not shown.startswith("..") else str(folder)
    except ValueError:
        shown = str(folder)
    return f"policies: {shown} ({p['revision']}, digest {p['digest'][:12]})"
