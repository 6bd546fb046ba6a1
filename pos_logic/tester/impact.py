"""`pos diff --base REV`: the impact of a policy edit. The pinned cases are run under the
policies at git revision REV and under the working tree, and every case whose findings or
explanations change is listed with the change."""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..check import check_cases, expand
from ..errors import InputError, PosError
from ..language.load import load_case


@contextmanager
def policies_at(rev: str, policies: Path):
    """The policies folder as it was at a git revision, in a temporary folder."""
    policies = policies.resolve()
    found = subprocess.run(["git", "-C", str(policies), "rev-parse", "--show-toplevel"],
                           capture_output=True, text=True)
    if found.returncode != 0:
        raise PosError(f"the policies in use ({policies}) are not in a git checkout, so there is no "
                       f"revision {rev!r} to compare with: run pos diff inside the checkout, or "
                       "name its policies with --policies")
    if rev.startswith("-"):  # git would read it as an option (--output=FILE writes a file)
        raise PosError(f"--base {rev!r}: a git revision does not start with '-'")
    repo = Path(found.stdout.strip()).resolve()
    rel = policies.relative_to(repo).as_posix()
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


def _snapshot(cases, policies: Path) -> dict[str, dict]:
    """Per case file, under the policies in `policies`: finding → (rule ids, reason)."""
    out: dict[str, dict] = {}
    for r in check_cases(cases, depth=1, policies=policies):
        out[r.case.file] = {f"{f.kind} {f.label}" + (f" ({f.agreement_title})" if len(r.case.agreements) > 1 else ""):
                            (tuple(f.rule_ids), f.reason) for f in r.findings}
    return out


@dataclass
class Change:
    file: str
    lines: list[str]

    @property
    def outcome_changes(self) -> bool:
        return any(line.lstrip().startswith(("+", "-")) for line in self.lines)


def load_all(case_paths, policies: Path) -> list:
    """Every case, read by the schemas in `policies`, or an InputError: a diff that silently
    skips a case it could not load (or a path that does not exist) would report "no change"
    for what it never checked."""
    cases, problems = [], []
    for path in expand(case_paths):
        try:
            cases.append(load_case(path, policies))
        except InputError as err:
            problems.extend(err.diagnostics)
    if problems:
        raise InputError(problems)
    return cases


def impact(base: str, case_paths, policies: Path) -> tuple[list[Change], int]:
    """The cases whose findings or explanations change between the policies folder `policies`
    at git revision REV and as it is now, and how many cases were compared. The revision is
    extracted to a temporary folder and checked by passing that folder, like any other."""
    cases = load_all(case_paths, policies)
    with policies_at(base, policies) as old_root:
        before = _snapshot(cases, old_root)
    after = _snapshot(cases, policies)
    changes = []
    for file in sorted(set(before) | set(after)):
        old, new = before.get(file, {}), after.get(file, {})
        lines = []
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
    return changes, len(cases)


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
