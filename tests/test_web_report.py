"""`pos check --format html`: one self-contained page with the same payload as the web page."""

from __future__ import annotations

import json
import re

from click.testing import CliRunner

from pos_logic.cli import main

EXAMPLE = "cases/examples/acme-counseling.pos"


def _embedded(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="pos-data">(.*?)</script>', page, re.S)
    assert m, "the report embeds its findings"
    return json.loads(m.group(1))


def test_html_report_is_self_contained_and_complete():
    result = CliRunner().invoke(main, ["check", "--format", "html", EXAMPLE])
    assert result.exit_code == 3  # the example does not state its approvals
    page = result.output
    assert page.startswith("<!doctype html>") and "<style>" in page
    assert 'src="' not in page and 'href="/' not in page, "nothing to fetch: the file stands alone"
    data = _embedded(page)
    [case] = data["cases"]
    assert case["file"] == EXAMPLE and case["source"].startswith("# Acme counseling")
    pcs_d = next(f for f in case["findings"] if f["finding"] == "PCS-D")
    assert pcs_d["derivations"][0]["premises"], "derivations unfold in the report"


def test_case_text_cannot_close_the_script(tmp_path):
    case = tmp_path / "x.pos"
    case.write_text('case "</script><script>alert(1)</script>"\njurisdiction arkansas\ncontract "A" {\n'
                    ' term 2025-07-01 to 2026-06-30\n compensation $5.00\n contractor { entity corporation }\n}\n',
                    encoding="utf-8")
    page = CliRunner().invoke(main, ["check", "--format", "html", str(case)]).output
    assert "<script>alert(1)" not in page
    assert _embedded(page)["cases"][0]["title"] == "</script><script>alert(1)</script>"
