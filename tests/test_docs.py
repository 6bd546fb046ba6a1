"""Generated documentation stays true to the policies."""

from pathlib import Path

from pos_logic.policy.resources import bundled_policies
from pos_logic.tools import catalog

ROOT = Path(__file__).resolve().parent.parent


def test_docs_rules_md_is_the_current_rule_catalog():
    written = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert written == catalog.markdown(None, bundled_policies()), "docs/rules.md is stale: run `pos rules --write docs/rules.md`"
