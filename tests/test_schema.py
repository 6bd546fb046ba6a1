"""Schema files: topic files merge into schema.toml, blocks extend blocks, mistakes are located."""

import pytest

from pos_logic.errors import InputError
from pos_logic.schema import load_schema
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
