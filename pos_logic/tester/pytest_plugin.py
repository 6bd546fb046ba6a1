"""pytest collects every `*.pos` case file as a test: it passes when the case loads and its
`expect` block holds, and fails with expected vs derived findings side by side.

Registered as a pytest11 entry point, so `pytest cases/` runs the pinned interpretations.
The first case item to run checks every selected case file at once (one engine call per
jurisdiction, derivations one level deep: what the comparison reads), as `pos test` does;
each item then reports its own file's result.
"""

from __future__ import annotations

import pytest

from ..check import CaseResult, check_each
from ..errors import InputError
from ..policy.resources import choose_policies
from .expect import diff_text

_RESULTS = pytest.StashKey[dict]()


class CaseFailure(Exception):
    """A pinned case whose derived findings disagree with its expect block."""


def pytest_collect_file(parent, file_path):
    if file_path.suffix == ".pos":
        return CaseFile.from_parent(parent, path=file_path)
    return None


class CaseFile(pytest.File):
    def collect(self):
        yield CaseItem.from_parent(self, name=self.path.stem)


class CaseItem(pytest.Item):
    def runtest(self):
        session = self.session
        if _RESULTS not in session.stash:
            session.stash[_RESULTS] = _check_all(session)
        result: CaseResult | InputError = session.stash[_RESULTS][self.path]
        if isinstance(result, InputError):
            raise result
        if result.misses:
            raise CaseFailure(diff_text(result.case, result.findings, result.misses))

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, (CaseFailure, InputError)):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self):
        return self.path, 0, f"case {self.path.name}"


def _check_all(session) -> dict:
    """Every selected case file, against the policies chosen once, as `pos test` chooses them."""
    paths = [item.path for item in session.items if isinstance(item, CaseItem)]
    return check_each(paths, policies=choose_policies(None, paths).root)
