"""The portfolio stage: every case file of one run is seen together for the Arkansas format rules
(compensation per vendor, per fiscal year, per cost center; multiple POs; split purchases)."""

import pytest
from click.testing import CliRunner

from pos_logic.check import check_cases, check_files
from pos_logic.cli import main
from pos_logic.language.load import load_case

PO = '''case "{title}"
jurisdiction arkansas
as_of 2025-07-01
purchase_order "{title}" {{
    term {term}
    compensation {amount}
    cost_center "{cc}"
    contractor "{vendor}" {{ entity llc }}
}}
'''


def _po(tmp_path, name, amount, term="2025-07-01 to 2025-12-31", cc="4410",
        vendor="River Valley Consulting, LLC"):
    path = tmp_path / f"{name}.pos"
    path.write_text(PO.format(title=name, amount=amount, term=term, cc=cc, vendor=vendor))
    return path


def _findings(results):
    return {r.case.title: {f.label for f in r.findings} for r in results}


def test_two_15000_pos_in_two_files_are_one_30000_purchase(tmp_path):
    _po(tmp_path, "po-1", "$15,000.00")
    _po(tmp_path, "po-2", "$15,000.00", term="2026-01-01 to 2026-06-30")
    results, problems = check_files([tmp_path])
    assert not problems
    for title, labels in _findings(results).items():
        assert "standard_contract_required" in labels, title
        assert "possible_split_purchase" in labels, title
        assert "report_to_osp(multiple_purchase_orders)" in labels, title
        assert "aggregate_compensation $30,000.00" in labels, title
    counted = [f for r in results for f in r.findings if f.label.startswith("counted_with")]
    assert {f.label for f in counted} == {"counted_with po-1", "counted_with po-2"}


@pytest.mark.parametrize("second, over", [("$10,000.00", False), ("$10,000.01", True)])
def test_the_sum_across_files_is_compared_with_25000_strictly(tmp_path, second, over):
    _po(tmp_path, "po-1", "$15,000.00")
    _po(tmp_path, "po-2", second)
    labels = _findings(check_files([tmp_path])[0])
    assert ("standard_contract_required" in labels["po-1"]) is over
    assert ("possible_split_purchase" in labels["po-2"]) is over
    assert "report_to_osp(multiple_purchase_orders)" in labels["po-1"]


@pytest.mark.parametrize("change", [{"cc": "4420"}, {"term": "2026-07-01 to 2026-12-31"},
                                    {"vendor": "Other Vendor, LLC"}])
def test_another_cost_center_fiscal_year_or_vendor_is_not_summed(tmp_path, change):
    _po(tmp_path, "po-1", "$15,000.00")
    _po(tmp_path, "po-2", "$15,000.00", **change)
    for title, labels in _findings(check_files([tmp_path])[0]).items():
        assert "standard_contract_required" not in labels, title
        assert "report_to_osp(multiple_purchase_orders)" not in labels, title
        assert "aggregate_compensation $15,000.00" in labels, title


def test_pinned_cases_checked_apart_do_not_see_each_other(tmp_path):
    cases = [load_case(_po(tmp_path, n, "$15,000.00")) for n in ("po-1", "po-2")]
    for labels in _findings(check_cases(cases)).values():
        assert "standard_contract_required" not in labels


def test_pos_check_dir_reports_the_split_and_exits_1(tmp_path):
    _po(tmp_path, "po-1", "$15,000.00")
    _po(tmp_path, "po-2", "$15,000.00")
    result = CliRunner().invoke(main, ["check", str(tmp_path)])
    assert result.exit_code == 1, result.output
    assert result.output.count("standard_contract_required") == 2
    assert "possible_split_purchase" in result.output


def _rows(results):
    return [(r.case.file, sorted((f.kind, f.key) for f in r.findings)) for r in results]


def test_a_run_checked_a_few_cases_at_a_time_sees_its_peers_in_every_chunk(tmp_path, monkeypatch):
    """stream_files: linked POs in different chunks, other vendors, and a file that does not
    load; with the parsed cases kept, and with only their text kept (a long run) and read again."""
    from pos_logic import check
    for i, vendor in enumerate(["V", "W", "V", "W", "V", "X"]):
        _po(tmp_path, f"po-{i}", "$9,000.00", vendor=vendor)
    (tmp_path / "bad.pos").write_text("jurisdiction arkansas\ncontract {\n")
    whole = check_cases([load_case(p) for p in sorted(tmp_path.glob("*.pos")) if p.name != "bad.pos"],
                        depth=1, together=True)
    for keep in (check.KEEP_PARSED, 0):
        monkeypatch.setattr(check, "KEEP_PARSED", keep)
        run = check.stream_files([tmp_path], depth=1, chunk=2)
        assert [d.file for d in run.problems] == [str(tmp_path / "bad.pos")]
        assert _rows(run.results) == _rows(whole)
    labels = {r.case.title: {f.label for f in r.findings} for r in whole}
    assert "aggregate_compensation $27,000.00" in labels["po-0"] and "aggregate_compensation $18,000.00" in labels["po-1"]
    assert not any(label.startswith("counted_with") for label in labels["po-5"])


def test_cases_of_different_jurisdictions_are_never_peers(tmp_path):
    from pos_logic.engine.portfolio import Portfolio
    from pos_logic.language.facts import from_case
    facts = [from_case(load_case(_po(tmp_path, f"po-{i}", "$9,000.00")), None, None) for i in range(2)]
    together, apart = Portfolio(), Portfolio()
    for i, f in enumerate(facts):
        together.add(f, "arkansas")
        apart.add(f, f"jurisdiction-{i}")
    assert together.peers(0) and together.peers(1)
    assert not apart.peers(0) and not apart.peers(1)


def test_a_file_edited_while_a_long_run_is_checked_is_checked_as_first_read(tmp_path, monkeypatch):
    from pos_logic import check
    monkeypatch.setattr(check, "KEEP_PARSED", 0)
    first = _po(tmp_path, "po-1", "$30,000.00")
    run = check.stream_files([first], depth=1)
    first.write_text("not a case")
    [result] = run.results
    assert "standard_contract_required" in {f.label for f in result.findings}
