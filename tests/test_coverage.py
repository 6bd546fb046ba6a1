"""docs/coverage.md stays true: rule ids exist, pinned cases exist and exercise them, and every
catalog id of the catalog files in scope has a row."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pytest

from pos_logic.check import check_cases
from pos_logic.language.load import load_case
from pos_logic.policy.policy import load_policy
from pos_logic.language.schema import jurisdictions

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT.parent / "shared" / "design" / "provisions"
_ROW = re.compile(r"^\|\s*([A-Z][A-Z0-9-]+)\s*\|\s*(encoded|not encoded)\s*\|([^|]*)\|([^|]*)\|(.*)\|\s*$")


def _table():
    text = (ROOT / "docs" / "coverage.md").read_text(encoding="utf-8")
    rows = [_ROW.match(line) for line in text.splitlines() if line.startswith("| ") and "---" not in line]
    rows = [m for m in rows if m]
    scope = re.findall(r"^- `([\w.-]+\.md)`", text.split("## Scope", 1)[1].split("## Table", 1)[0], re.M)
    return rows, scope


@lru_cache(maxsize=None)
def _rule_ids() -> frozenset[str]:
    return frozenset(r.annotations.get("id") for j in jurisdictions() for r in load_policy(j).rules)


def _split(cell: str) -> list[str]:
    return [x.strip().strip("`") for x in cell.split(",") if x.strip()]


ROWS, SCOPE = _table()


def test_every_row_is_well_formed_and_ids_are_unique():
    ids = [m.group(1) for m in ROWS]
    assert len(ids) == len(set(ids)), "a catalog id has two rows"
    for m in ROWS:
        if m.group(2) == "encoded":
            assert _split(m.group(3)) and _split(m.group(4)), f"{m.group(1)}: encoded needs rules and cases"
        else:
            assert m.group(5).strip(), f"{m.group(1)}: say why it is not encoded"


@pytest.mark.parametrize("row", [m for m in ROWS if m.group(2) == "encoded"], ids=lambda m: m.group(1))
def test_an_encoded_provision_has_its_rules_and_cases(row):
    rules = _split(row.group(3))
    missing = [r for r in rules if r not in _rule_ids()]
    assert not missing, f"{row.group(1)}: no rule with id {missing}"
    cases = [load_case(ROOT / c) for c in _split(row.group(4))]
    results = check_cases(cases, depth=1)
    fired = {i for r in results for f in r.findings for i in f.rule_ids}
    assert fired & set(rules), f"{row.group(1)}: no listed case derives a finding by {rules}"


@pytest.mark.skipif(not CATALOG.is_dir(), reason="the provision catalog (../shared) is not beside this checkout")
@pytest.mark.parametrize("catalog", SCOPE)
def test_every_catalog_id_in_scope_has_a_row(catalog):
    text = (CATALOG / catalog).read_text(encoding="utf-8")
    ids = set(re.findall(r"^### ([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+) —", text, re.M))
    listed = {m.group(1) for m in ROWS}
    assert not ids - listed, f"{catalog}: no row for {sorted(ids - listed)}"
