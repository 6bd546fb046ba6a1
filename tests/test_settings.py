"""Named interpretive settings: declared by the policy, chosen per case or per run."""

import pytest

from pos_logic.check import check_cases
from pos_logic.errors import InputError
from tests.conftest import SETTING_RULES, make_case


@pytest.fixture
def with_setting(testland):
    (testland / "testland" / "settings.lp").write_text(SETTING_RULES)
    return testland


def _has_f2(case, **settings):
    [result] = check_cases([case], settings=settings)
    return any(f.label == "F-2" for f in result.findings)


def test_the_default_reading_applies_when_nothing_is_chosen(with_setting):
    assert _has_f2(make_case("compensation $1.00\nreimbursable $1.00"))


def test_a_case_may_choose_the_other_reading(with_setting):
    case = make_case("compensation $1.00\nreimbursable $1.00", header="setting f2_basis compensation\n")
    assert not _has_f2(case)


def test_a_run_may_choose_for_every_case_and_the_case_still_wins(with_setting):
    plain = make_case("compensation $1.00\nreimbursable $1.00")
    own = make_case("compensation $1.00\nreimbursable $1.00", header="setting f2_basis total\n")
    assert not _has_f2(plain, f2_basis="compensation")
    assert _has_f2(own, f2_basis="compensation")


def test_an_unknown_setting_is_an_input_error_with_a_suggestion(with_setting):
    case = make_case("compensation $1.00", header="setting f2_bases total\n")
    with pytest.raises(InputError) as err:
        check_cases([case])
    [d] = err.value.diagnostics
    assert (d.line, d.column, d.hint) == (2, 9, "f2_basis")


def test_an_unknown_value_is_an_input_error(with_setting):
    with pytest.raises(InputError) as err:
        check_cases([make_case("compensation $1.00")], settings={"f2_basis": "totl"})
    assert err.value.diagnostics[0].hint == "total"


def test_a_default_outside_its_values_is_a_policy_error(testland):
    (testland / "testland" / "settings.lp").write_text(SETTING_RULES.replace("default_setting(f2_basis, total)",
                                                                             "default_setting(f2_basis, both)"))
    with pytest.raises(InputError) as err:
        check_cases([make_case("compensation $1.00")])
    assert "the default 'both' is not among" in err.value.diagnostics[0].message
