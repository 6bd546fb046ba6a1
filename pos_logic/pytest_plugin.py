"""pytest collects every `*.pos` case file as a test: it passes when the case loads and its
`expect` block holds, and fails with expected vs derived findings side by side.

Registered as a pytest11 entry point, so `pytest cases/` runs the pinned interpretations.
"""

from __future__ import annotations

import pytest

from .check import check_cases
from .errors import InputError
from .expect import diff_text
from .load import load_case


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
        case = load_case(self.path)
        [result] = check_cases([case])
        if result.misses:
            raise CaseFailure(diff_text(case, result.findings, result.misses))

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, (CaseFailure, InputError)):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self):
        return self.path, 0, f"case {self.path.name}"
