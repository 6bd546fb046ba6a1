"""`pos diff --base REV`: the impact of a policy edit. The pinned cases are run under the
policies at git revision REV and under the working tree, and every case whose findings or
explanations change is listed with the change."""

from __future__ import annotations

import io
import os
import subprocess
import tarfile
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .check import check_cases, expand
from .errors import InputError, PosError
from .load import load_case
from .resources import POLICIES_ENV, policies_root


@contextmanager
def using_policies(root: Path):
    """Run the block against another policies folder."""
    old = os.environ.get(POLICIES_ENV)
    os.environ[POLICIES_ENV] = str(root)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(POLICIES_ENV, None)
        else:
            os.environ[POLICIES_ENV] = old


@contextmanager
def policies_at(rev: str, policies: Path):
    """The policies folder as it was at a git revision, in a temporary folder."""
    repo = policies.parent
    rel = policies.name
    if rev.startswith("-"):  # git would read it as an option (--output=FILE writes a file)
        raise PosError(f"--base {rev!r}: a git revision does not start with '-'")
    try:
        data = subprocess.run(["git", "-C", str(repo), "archive", "--format=tar", rev, rel],
                              check=True, capture_output=True).stdout
    except (subprocess.CalledProcessError, FileNotFoundError) as exc:
        message = exc.stderr.decode(errors="replace").strip() if hasattr(exc, "stderr") and exc.stderr else str(exc)
        raise PosError(f"cannot read {rel}/ at revision {rev!r}: {message}") from None
    with tempfile.TemporaryDirectory(prefix="pos-base-") as tmp:
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            tar.extractall(tmp, filter="data")
        yield Path(tmp) / rel


def _snapshot(paths) -> dict[str, dict]:
    """Per case file: finding → (rule ids, reason), or the load error."""
    out: dict[str, dict] = {}
    cases = []
    for path in paths:
        try:
            cases.append(load_case(path))
        except InputError as err:
            out[str(path)] = {"error": err.diagnostics[0].headline()}
    for r in check_cases(cases, depth=1):
        out[r.case.file] = {f"{f.kind} {f.label}" + (f" ({f.agreement_title})" if len(r.case.agreements) > 1 else ""):
                            (tuple(f.rule_ids), f.reason) for f in r.findings}
    return out


@dataclass
class Change:
    file: str
    lines: list[str]

    @property
    def outcome_changes(self) -> bool:
        return any(line.lstrip().startswith(("+", "-", "load")) for line in self.lines)


def impact(base: str, case_paths, policies: Path | None = None) -> list[Change]:
    policies = policies or policies_root()
    paths = expand(case_paths)
    with policies_at(base, policies) as old_root, using_policies(old_root):
        before = _snapshot(paths)
    with using_policies(policies):
        after = _snapshot(paths)
    changes = []
    for file in sorted(set(before) | set(after)):
        old, new = before.get(file, {}), after.get(file, {})
        lines = []
        if "error" in old or "error" in new:
            if old.get("error") != new.get("error"):
                lines.append(f"  load: {old.get('error', 'ok')} → {new.get('error', 'ok')}")
            if lines:
                changes.append(Change(file, lines))
            continue
        for key in sorted(set(old) | set(new)):
            if key not in new:
                lines.append(f"  - {key}  [{', '.join(old[key][0])}]")
            elif key not in old:
                lines.append(f"  + {key}  [{', '.join(new[key][0])}]  {new[key][1]}")
            elif old[key] != new[key]:
                lines.append(f"  ~ {key}")
                if old[key][0] != new[key][0]:
                    lines.append(f"      rules: {', '.join(old[key][0])} → {', '.join(new[key][0])}")
                if old[key][1] != new[key][1]:
                    lines.append(f"      was: {old[key][1]}")
                    lines.append(f"      now: {new[key][1]}")
        if lines:
            changes.append(Change(file, lines))
    return changes


def report(base: str, changes: list[Change], checked: int) -> str:
    """Cases whose findings change first (+ gained, - lost), then those whose findings stay but
    whose explanation changes (~)."""
    if not changes:
        return f"no case changes against {base} ({checked} cases)\n"
    moved = [c for c in changes if c.outcome_changes]
    explained = [c for c in changes if not c.outcome_changes]
    out = [f"{len(changes)} of {checked} cases change against {base}: "
           f"{len(moved)} in their findings, {len(explained)} only in their explanations"]
    for c in moved + explained:
        out.append(c.file)
        out.extend(c.lines)
    return "\n".join(out) + "\n"
