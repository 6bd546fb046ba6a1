"""Case file → checked `Case`: read, parse, schema-check. The one entry point for case input.

    >>> load_case_text('jurisdiction arkansas\\ncontract "A" {\\n compensation $5.00\\n}\\n', "a.pos").title
    'a.pos'
"""

from __future__ import annotations

from pathlib import Path

from .model import Case
from .parse import parse_text, read_case_file
from .schema import check


def load_case_text(text: str, filename: str) -> Case:
    return check(parse_text(text, filename), filename, text)


def load_case(path: str | Path) -> Case:
    return load_case_text(read_case_file(path), str(path))
