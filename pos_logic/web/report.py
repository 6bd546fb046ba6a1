"""`pos check --format html`: one self-contained HTML file a person can attach to a contract
file. It embeds the findings payload and the page's own stylesheet and script, so it shows
exactly what the web page shows, with no network and nothing else to open."""

from __future__ import annotations

import html
import json
from pathlib import Path

from ..check import CaseResult
from .payload import results_payload

_STATIC = Path(__file__).parent / "static"


def html_report(results: list[CaseResult]) -> str:
    data = json.dumps(results_payload(results), ensure_ascii=False, sort_keys=True)
    data = data.replace("<", "\\u003c")  # nothing in a case can close the script element
    title = "pos-logic report: " + ", ".join(r.case.title for r in results)
    css = (_STATIC / "style.css").read_text(encoding="utf-8")
    script = (_STATIC / "app.js").read_text(encoding="utf-8")
    return (f'<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html.escape(title)}</title>\n<style>\n{css}</style>\n</head>\n"
            f'<body class="report">\n<header>\n<h1>pos-logic report</h1>\n'
            f"<p>What the law requires of each case, and why: unfold a finding to see its derivation.</p>\n"
            f'</header>\n<main id="report"></main>\n'
            f'<script type="application/json" id="pos-data">{data}</script>\n'
            f"<script>\n{script}</script>\n</body>\n</html>\n")
