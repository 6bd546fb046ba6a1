"""Case file → checked `Case`: read, parse, schema-check. The one entry point for case input.

    >>> case = load_case_text('jurisdiction arkansas\\ncontract "A" {\\n term 2025-07-01 to 2026-06-30\\n'
    ...     ' compensation $5.00\\n contractor { entity corporation }\\n}\\n', "a.pos")
    >>> case.title, case.agreements[0].title
    ('a.pos', 'A')
"""

from __future__ import annotations

import sys
from pathlib import Path

from .model import Case
from .parse import decode_case, one_newline, parse_text, read_case_file
from ..policy.resources import given
from .schema import check


def load_case_text(text: str, filename: str, policies: Path | None = None) -> Case:
    """Case text checked against the schemas of `policies` (None: chosen as the CLI would)."""
    text = one_newline(text)
    return check(parse_text(text, filename), filename, text, given(policies))


STDIN = "<stdin>"


def load_case(path: str | Path, policies: Path | None = None) -> Case:
    """A case file; `-` reads standard input (named <stdin> in messages); a `.json` file is a
    case in its JSON form (`casejson`); any other file is case text. policies: the folder whose
    schemas check it (None: chosen as the CLI would, with this file as the case named)."""
    root = given(policies, [path])
    if str(path) == "-":
        return load_case_text(decode_case(sys.stdin.buffer.read(), STDIN), STDIN, root)
    text = read_case_file(path)
    if str(path).endswith(".json"):
        from .casejson import load_case_json  # the JSON form imports this module's stages
        return load_case_json(text, str(path), root)
    return load_case_text(text, str(path), root)
