"""Jurisdictions are kept apart: a case is judged only by its own jurisdiction's schema and
rules. The same contract facts written as an Arkansas case and as a Connecticut case give each
its own findings, cited to its own law, and never a rule or citation of the other."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from pos_logic.check import check_cases
from pos_logic.cli import main
from pos_logic.errors import InputError
from pos_logic.language.load import load_case_text
from pos_logic.policy.policy import load_policy

#: one contract's facts, written once in each jurisdiction's words
FACTS = {
    "title": "Acme Counseling",
    "vendor": "Acme Counseling Services, Inc.",
    "start": "2025-07-01",
    "end": "2026-06-30",
    "amount": "$48,000.00",
    "as_of": "2025-05-20",
}

ARKANSAS = '''case "{title}, Arkansas"
jurisdiction arkansas
as_of {as_of}
contract "{title}" {{
    division     DCFS
    kind         professional
    term         {start} to {end}
    compensation {amount}
    contractor "{vendor}" {{ entity corporation }}
}}
'''

CONNECTICUT = '''case "{title}, Connecticut"
jurisdiction connecticut
as_of {as_of}
contract "{title}" {{
    agency        DCF
    contract_type pos
    term          {start} to {end}
    amount        {amount}
    provider "{vendor}" {{ type corporation }}
    service "Counseling" direct_human_services {{ recipients agency_clients }}
}}
'''

#: what each jurisdiction's citations look like, and what they must never look like
OWN_CITE = {"arkansas": re.compile(r"Contract Manual|A\.C\.A\.|Rule 016|Financial Guidelines|EO 98-04"),
            "connecticut": re.compile(r"C\.G\.S\. § 4-70b\(c\)|OPM POS page")}
OWN_ID = {"arkansas": re.compile(r"^(AR|FIN|APPB|APPC|COST)-"), "connecticut": re.compile(r"^CT-")}
COMMON_ID = re.compile(r"^POS-")


def _cases():
    ar = load_case_text(ARKANSAS.format(**FACTS), "same-facts-arkansas.pos")
    ct = load_case_text(CONNECTICUT.format(**FACTS), "same-facts-connecticut.pos")
    return ar, ct


def _derivations(finding):
    """Every derivation under a finding, down to the case facts."""
    stack = list(finding.derivations)
    while stack:
        d = stack.pop()
        yield d
        for p in d.premises:
            stack.extend(q.derivation for q in [p, *p.parts] if q.derivation is not None)


def _other(jurisdiction: str) -> str:
    return "connecticut" if jurisdiction == "arkansas" else "arkansas"


@pytest.fixture(scope="module")
def results():
    ar, ct = _cases()
    ar_result, ct_result = check_cases([ar, ct])  # one batch, both jurisdictions
    return {"arkansas": ar_result, "connecticut": ct_result}


@pytest.mark.parametrize("jurisdiction", ["arkansas", "connecticut"])
def test_the_same_facts_give_findings_under_each_jurisdiction(results, jurisdiction):
    assert results[jurisdiction].findings, f"no findings under {jurisdiction}"


@pytest.mark.parametrize("jurisdiction", ["arkansas", "connecticut"])
def test_every_finding_is_by_a_rule_of_its_own_jurisdiction_or_the_common_library(results, jurisdiction):
    for finding in results[jurisdiction].findings:
        for rule_id in finding.rule_ids:
            assert OWN_ID[jurisdiction].match(rule_id) or COMMON_ID.match(rule_id), \
                f"{jurisdiction} case: {finding.kind} {finding.label} derived by {rule_id}"
            assert not OWN_ID[_other(jurisdiction)].match(rule_id)


@pytest.mark.parametrize("jurisdiction", ["arkansas", "connecticut"])
def test_no_rule_file_of_the_other_jurisdiction_takes_part_in_any_derivation(results, jurisdiction):
    allowed = ("policies/common/", f"policies/{jurisdiction}/")
    for finding in results[jurisdiction].findings:
        for d in _derivations(finding):
            assert d.rule.file.startswith(allowed), f"{finding.label}: {d.rule.location}"


@pytest.mark.parametrize("jurisdiction", ["arkansas", "connecticut"])
def test_no_citation_of_the_other_jurisdiction_appears(results, jurisdiction):
    other = OWN_CITE[_other(jurisdiction)]
    for finding in results[jurisdiction].findings:
        for d in _derivations(finding):
            cite = d.rule.annotations.get("cite", "")
            assert not other.search(cite), f"{jurisdiction} case cites {cite!r} ({d.rule.location})"
            assert not other.search(d.says), f"{jurisdiction} case says {d.says!r}"


def test_the_connecticut_findings_are_cited_to_the_statute_and_the_opm_standards(results):
    ct = results["connecticut"].findings
    own = [f for f in ct if OWN_ID["connecticut"].match(f.rule_ids[0])]
    assert own and all(OWN_CITE["connecticut"].search(f.derivations[0].rule.annotations["cite"]) for f in own)
    labels = {(f.kind, f.label) for f in ct}
    assert ("value", "pos_contract yes") in labels
    assert ("document", "Part-II-2019") in labels
    assert ("value", "part_ii_effective 2019-07-01") in labels


def test_the_arkansas_findings_are_arkansas_ones(results):
    labels = {(f.kind, f.label) for f in results["arkansas"].findings}
    assert ("document", "PCS-D") in labels
    assert not any(label.startswith(("Part-", "pos_contract", "part_ii")) for _, label in labels)


def test_a_batch_of_both_jurisdictions_gives_each_case_what_it_gets_alone(results):
    ar, ct = _cases()
    [alone_ar], [alone_ct] = check_cases([ar]), check_cases([ct])
    for together, alone in ((results["arkansas"], alone_ar), (results["connecticut"], alone_ct)):
        assert [(f.kind, f.label, f.rule_ids) for f in together.findings] == \
               [(f.kind, f.label, f.rule_ids) for f in alone.findings]


def test_the_two_policies_share_only_the_common_library():
    ar, ct = load_policy("arkansas"), load_policy("connecticut")
    ar_files = {f"{p.parent.name}/{p.name}" for p in ar.files}
    ct_files = {f"{p.parent.name}/{p.name}" for p in ct.files}
    assert all(f.startswith("common/") for f in ar_files & ct_files)
    assert not any(f.startswith("arkansas/") for f in ct_files)
    assert not any(f.startswith("connecticut/") for f in ar_files)
    ids = lambda policy: {r.annotations["id"] for r in policy.rules
                          if r.annotations.get("id") and not r.file.startswith("policies/common/")}
    assert not ids(ar) & ids(ct)


def test_a_connecticut_case_explains_which_part_ii_applies_and_why(tmp_path):
    path = tmp_path / "ct.pos"
    path.write_text(CONNECTICUT.format(**FACTS))
    checked = CliRunner().invoke(main, ["check", str(path)])
    assert checked.exit_code == 3, checked.output  # no violations; on_file not stated
    assert "C.G.S. § 4-70b(c)" in checked.output and "OPM POS page, H. Standard Part 2" in checked.output
    explained = CliRunner().invoke(main, ["explain", str(path), "value part_ii_effective"])
    assert explained.exit_code == 0, explained.output
    assert ("Part II effective 2019-07-01 (Part-II-2019) applies: the contract starts 2025-07-01, "
            "on or after 2019-07-01, the latest version on the page.") in explained.output
    assert "contract start 2025-07-01 is on or after part ii effective 2019-07-01" in explained.output


# -- a case cannot borrow the other jurisdiction's vocabulary -----------------------------------

def _error(text: str) -> InputError:
    with pytest.raises(InputError) as caught:
        load_case_text(text, "mixed.pos")
    return caught.value


def test_arkansas_facts_under_a_connecticut_header_are_input_errors_all_at_once():
    text = ARKANSAS.format(**FACTS).replace("jurisdiction arkansas", "jurisdiction connecticut")
    messages = [d.message for d in _error(text).diagnostics]
    for word in ("division", "kind", "compensation", "contractor"):
        assert f"unknown attribute '{word}' in contract" in messages, messages
    assert any("has no 'agency'" in m for m in messages)
    assert any("has no 'provider' block" in m for m in messages)


def test_an_arkansas_only_attribute_in_a_connecticut_case_is_an_input_error():
    text = CONNECTICUT.format(**FACTS).replace("    amount", "    cost_center \"4410\"\n    amount")
    [d] = _error(text).diagnostics
    assert d.message == "unknown attribute 'cost_center' in contract"
    assert (d.file, d.line) == ("mixed.pos", 8)


def test_an_arkansas_division_in_a_connecticut_agency_gets_a_did_you_mean():
    text = CONNECTICUT.format(**FACTS).replace("agency        DCF", "agency        DCFS")
    [d] = _error(text).diagnostics
    assert d.hint == "DCF"
    assert "did you mean 'DCF'?" in d.headline()


def test_an_arkansas_contractor_entity_in_a_connecticut_provider_is_an_input_error():
    text = CONNECTICUT.format(**FACTS).replace("{ type corporation }", "{ entity corporation }")
    messages = [d.message for d in _error(text).diagnostics]
    assert "unknown attribute 'entity' in provider" in messages
    assert any("has no 'type'" in m for m in messages)


def test_a_connecticut_only_attribute_in_an_arkansas_case_is_an_input_error():
    text = ARKANSAS.format(**FACTS).replace("    kind", "    agency       DCF\n    kind")
    [d] = _error(text).diagnostics
    assert d.message == "unknown attribute 'agency' in contract"


def test_a_connecticut_document_is_unknown_in_arkansas_and_the_reverse():
    ar = ARKANSAS.format(**FACTS).replace("    kind", "    on_file [Part-II-2019]\n    kind")
    [d] = _error(ar).diagnostics
    assert "'Part-II-2019' is not a document known in arkansas" in d.message
    ct = CONNECTICUT.format(**FACTS).replace("    amount", "    on_file [PCS-D]\n    amount")
    [d] = _error(ct).diagnostics
    assert "'PCS-D' is not a document known in connecticut" in d.message


def test_the_command_exits_2_on_a_connecticut_case_with_arkansas_words(tmp_path):
    path = tmp_path / "mixed.pos"
    path.write_text(CONNECTICUT.format(**FACTS).replace("    amount", "    compensation $40,000.00\n    amount"))
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 2
