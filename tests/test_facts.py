"""Case → facts through the clingo API; case text can never become rule text."""

import clingo
import pytest

from pos_logic.check import check_cases
from pos_logic.language.facts import from_case
from tests.conftest import make_case

HOSTILE = ['x"). evil :- .', "a :- b.", "#script (python)\nimport os\n#end.", 'q"). violation(1,x', "100% % comment",
           "line\nbreak", "tab\there", "back\\slash", "approval(1,board).", "#include \"/etc/passwd\"."]


def _quoted(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'


def test_attributes_become_typed_facts_with_their_lines(testland):
    case = make_case("term 2024-01-01 to 2024-12-31\ncompensation $25,000.01\ncontractor \"K\" { share 12.5% }")
    facts = {str(f.symbol): f.span.line for f in from_case(case, None, testland)}
    assert facts["compensation(1,usd(0,25000,1))"] == 4
    assert facts["term(1,d(2024,1,1),d(2024,12,31))"] == 3
    assert facts["contractor(1,2)"] == 5
    assert facts['name(2,"K")'] == 5
    assert facts["share(2,pct(1250))"] == 5
    assert facts["given(1,compensation)"] == 4


def _findings(case):
    [result] = check_cases([case])
    return sorted((f.kind, f.key) for f in result.findings)


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_names_arrive_as_plain_values_and_change_no_finding(testland, name):
    plain = make_case('compensation $30,000.00\nterm 2024-01-01 to 2024-12-31\ncontractor "Plain" { entity corporation }')
    hostile = make_case(f'compensation $30,000.00\nterm 2024-01-01 to 2024-12-31\ncontractor {_quoted(name)} {{ entity corporation }}')
    [label] = [f.symbol for f in from_case(hostile, None, testland) if f.symbol.name == "name" and f.symbol.arguments[0].number == 2]
    assert label.arguments[1].type is clingo.SymbolType.String
    assert label.arguments[1].string == name
    assert _findings(hostile) == _findings(plain)
