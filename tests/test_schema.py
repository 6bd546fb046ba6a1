"""Schema files: topic files merge into schema.toml, blocks extend blocks, mistakes are located."""

import pytest

from pos_logic.errors import InputError
from pos_logic.language.schema import load_schema
from tests.conftest import make_case


def test_a_topic_file_adds_attributes_to_a_block(testland):
    (testland / "testland" / "extra.toml").write_text('[blocks.contract]\nattributes.division = { type = "string" }\n')
    assert "division" in load_schema("testland").blocks["contract"].attributes
    assert make_case('compensation $1.00\ndivision "X"').agreements[0].attributes


def test_declaring_an_attribute_twice_is_refused_where_it_happens(testland):
    (testland / "testland" / "extra.toml").write_text('[blocks.contract]\nattributes.term = { type = "date" }\n')
    with pytest.raises(InputError) as err:
        load_schema("testland")
    [d] = err.value.diagnostics
    assert d.file.endswith("extra.toml") and "declared twice" in d.message


def test_a_block_extends_another_and_adds_its_own(testland):
    (testland / "testland" / "extra.toml").write_text(
        '[blocks.renewal]\nlabel = "required"\nextends = "contract"\nattributes.option = { type = "int" }\n')
    block = load_schema("testland").blocks["renewal"]
    assert {"compensation", "term", "option"} <= set(block.attributes)
    assert "contractor" in block.children


def test_extending_an_unknown_block_is_refused(testland):
    (testland / "testland" / "extra.toml").write_text('[blocks.renewal]\nextends = "contrct"\n')
    with pytest.raises(InputError) as err:
        load_schema("testland")
    assert "'contrct' is not a block it can extend" in err.value.diagnostics[0].message


def test_a_misspelt_schema_key_is_refused_with_a_suggestion(testland):
    (testland / "testland" / "extra.toml").write_text('[blocks.contract]\nattributes.division = { type = "string", requird = true }\n')
    with pytest.raises(InputError) as err:
        load_schema("testland")
    assert "unknown key 'requird' (did you mean 'required'?)" in err.value.diagnostics[0].message


@pytest.mark.parametrize("fact", ["violation", "name", "given", "agreement"])
def test_a_case_fact_may_not_take_a_reserved_name(testland, fact):
    (testland / "testland" / "extra.toml").write_text(
        f'[blocks.contract]\nattributes.x = {{ type = "string", fact = "{fact}" }}\n')
    with pytest.raises(InputError) as err:
        load_schema("testland")
    assert "is reserved" in err.value.diagnostics[0].message


def test_two_agreements_may_not_share_a_title(testland):
    from pos_logic.language.load import load_case_text
    text = 'jurisdiction testland\ncontract "A" {\n compensation $1.00\n}\ncontract "A" {\n compensation $2.00\n}\n'
    with pytest.raises(InputError) as err:
        load_case_text(text, "t.pos")
    [d] = err.value.diagnostics
    assert (d.line, "two agreements are called") == (5, d.message[:25])


def _errors(text):
    from pos_logic.language.load import load_case_text
    with pytest.raises(InputError) as err:
        load_case_text(text, "t.pos")
    return err.value.diagnostics


def test_a_misspelt_required_attribute_is_one_problem_not_two(testland):
    [d] = _errors('jurisdiction testland\ncontract "C" {\n compensaton $1.00\n}\n')
    assert d.hint == "compensation"


def test_attributes_run_together_on_one_line_get_a_hint_about_semicolons(testland):
    diags = _errors('jurisdiction testland\ncontract "C" {\n compensation $1.00\n contractor { entity corporation share 5% }\n}\n')
    assert any("separate them with ';'" in d.message for d in diags)


@pytest.mark.parametrize("date", ["2025-7-1", "2025-07-1", "20255-01-01"])
def test_dates_are_written_with_four_two_and_two_digits(testland, date):
    diags = _errors(f'jurisdiction testland\ncontract "C" {{\n compensation $1.00\n term {date} to 2026-01-01\n}}\n')
    assert any("YYYY-MM-DD" in d.message or "not a" in d.message for d in diags)
