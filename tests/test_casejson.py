"""The JSON form of cases: every case file round-trips through JSON to the same facts and
expectations, validates against its jurisdiction's published JSON Schema, and a bad JSON case
is reported at its line, column and JSON pointer."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from pos_logic.language.casejson import LABEL, case_to_json, json_schema, load_case_json
from pos_logic.errors import InputError
from pos_logic.language.facts import from_case
from pos_logic.language.load import load_case
from pos_logic.language.parse import parse_text, read_case_file
from pos_logic.language.schema import jurisdictions, load_schema
from pos_logic.policy.resources import bundled_policies

ROOT = Path(__file__).resolve().parent.parent
CASES = sorted(ROOT.glob("cases/**/*.pos"))
SCHEMA_DOCS = ROOT / "docs" / "schema"
POLICIES = bundled_policies()


def _as_json(path: Path) -> dict:
    return case_to_json(load_case(path), POLICIES, parse_text(read_case_file(path), str(path)))


def _expectations(case):
    return [(e.mode, e.kind, e.key, e.because, e.agreement) for e in case.expectations]


@pytest.mark.parametrize("path", CASES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_case_round_trips_through_json(path):
    case = load_case(path)
    doc = _as_json(path)
    back = load_case_json(json.dumps(doc, indent=2), f"{path}.json")
    assert sorted(map(str, (f.symbol for f in from_case(back, None, POLICIES)))) == \
        sorted(map(str, (f.symbol for f in from_case(case, None, POLICIES))))
    assert _expectations(back) == _expectations(case)
    assert (back.title, back.as_of, [(n.value, v.value) for n, v in back.settings]) == \
        (case.title, case.as_of, [(n.value, v.value) for n, v in case.settings])
    jsonschema.Draft202012Validator(json_schema(case.jurisdiction, POLICIES)).validate(doc)


@pytest.mark.parametrize("jurisdiction", jurisdictions())
def test_published_schema_is_valid_and_current(jurisdiction):
    schema = json_schema(jurisdiction, POLICIES)
    jsonschema.Draft202012Validator.check_schema(schema)
    refs = set(re.findall(r'"\$ref": "#/\$defs/([^"]+)"', json.dumps(schema)))
    assert refs <= set(schema["$defs"]), f"unresolved: {refs - set(schema['$defs'])}"
    published = SCHEMA_DOCS / f"{jurisdiction}.case.schema.json"
    assert json.loads(published.read_text(encoding="utf-8")) == schema, \
        (f"{published} is stale: regenerate with python -c 'from pathlib import Path; "
         "from pos_logic.language.casejson import write_json_schemas; write_json_schemas(Path(\"docs/schema\"))'")
    assert all(LABEL not in b.attributes for b in load_schema(jurisdiction).blocks.values()), \
        "an attribute called 'name' would clash with the JSON key of a block's quoted name"


def _errors(doc_text: str) -> list[str]:
    with pytest.raises(InputError) as err:
        load_case_json(doc_text, "c.json")
    return [d.headline() for d in err.value.diagnostics]


BASE = {"jurisdiction": "arkansas", "agreements": [{"type": "contract", "name": "A",
        "term": "2025-07-01 to 2026-06-30", "compensation": "$25,000.01", "contractor": {"entity": "corporation"}}]}


def _with(**changes) -> str:
    doc = json.loads(json.dumps(BASE))
    doc["agreements"][0].update(changes)
    return json.dumps(doc, indent=2)


def test_errors_name_the_json_pointer_line_and_column():
    [error] = _errors(_with(compensaton="$5.00"))
    assert error.startswith("c.json:12:7: /agreements/0/compensaton: unknown attribute 'compensaton'")
    assert "did you mean 'compensation'" in error
    [error] = _errors(_with(compensation="$25,000.1"))
    assert error.startswith("c.json:8:23: /agreements/0/compensation: '$25,000.1':")
    [error] = _errors(_with(term="07/01/2025 to 06/30/2026"))
    assert "/agreements/0/term" in error


def test_json_strings_never_become_statements():
    """An enum value carrying case syntax is one bad word, not a second agreement."""
    [error] = _errors(_with(division='DCFS }\ncontract "B" { compensation $1.00'))
    assert "/agreements/0/division" in error and "not a word" in error
    [error] = _errors(_with(compensation="$1.00 }"))
    assert "/agreements/0/compensation" in error


def test_syntax_errors_and_duplicate_keys_are_located():
    [error] = _errors('{"jurisdiction": "arkansas",\n "agreements": [}')
    assert error.startswith("c.json:2:17: not valid JSON")
    [error] = _errors('{"jurisdiction": "arkansas", "jurisdiction": "arkansas", "agreements": []}')
    assert "given twice" in error


def test_the_same_findings_as_the_case_file(tmp_path):
    """A .json file is checked like its .pos twin (pos check takes both)."""
    from pos_logic.check import check_files

    source = ROOT / "cases" / "examples" / "acme-counseling.pos"
    twin = tmp_path / "acme.json"
    twin.write_text(json.dumps(_as_json(source)), encoding="utf-8")
    (a,), _ = check_files([source])
    (b,), _ = check_files([twin])
    assert [(f.kind, f.key, f.rule_ids) for f in a.findings] == [(f.kind, f.key, f.rule_ids) for f in b.findings]
    assert not b.misses
