"""Shared fixtures: a small jurisdiction of our own, so engine tests do not move when the
Arkansas encoding does."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from pos_logic.language.load import load_case_text
from pos_logic.policy.policy_cache import CACHE_ENV
from pos_logic.policy.resources import POLICIES_ENV, bundled_policies

TESTLAND_SCHEMA = """
jurisdiction = "testland"
agreements = ["contract"]

[forms]
"F-1" = "Form F-1"
"F-2" = "Form F-2"

[blocks.contract]
label = "required"
attributes.term = { type = "period" }
attributes.compensation = { type = "money", required = true }
attributes.reimbursable = { type = "money" }
attributes.on_file = { type = "form", many = true }
attributes.approved = { type = "enum", many = true, values = ["board"] }
children.contractor = { block = "contractor" }

[blocks.contractor]
label = "optional"
attributes.entity = { type = "enum", values = ["corporation", "state_agency"] }
attributes.share = { type = "percent" }
"""

TESTLAND_RULES = """
% Testland rules: one threshold, one exemption, one approval.
%@ param: f1_threshold
%@ cite: Testland Code § 1
%@ says: total above which Form F-1 is needed
param(f1_threshold, d(2000,1,1), usd(0,25000,0)).
%@ param: f1_threshold
%@ cite: Testland Code § 1 (amended)
%@ says: total above which Form F-1 is needed
param(f1_threshold, d(2025,7,1), usd(0,50000,0)).

law_date(A, S) :- term(A, S, _).
money_addend(total(A), comp, M) :- compensation(A, M).
money_addend(total(A), reimb, M) :- reimbursable(A, M).
%@ means: the total is compensation plus reimbursable
total(A, T) :- money_sum(total(A), T), agreement(A).

%@ means: the contractor is a government entity
%@ means_not: the contractor is not a government entity
government(A) :- contractor(A, C), entity(C, state_agency).

%@ id: T-1
%@ cite: Testland Code § 1
%@ says: A contract whose total exceeds {P} needs Form F-1.
%@ reading: "exceeds" is strict
document(A, "F-1", legal_attachment) :- total(A, T), in_force(A, f1_threshold, P), T > P,
    not government(A).

%@ id: T-2
%@ cite: Testland Code § 2
%@ says: Every contract needs the board's approval.
approval(A, board) :- agreement(A).

%@ id: T-3
%@ cite: Testland Code § 3
%@ says: A contractor share of 10% or more is a violation.
%@ cure: Reduce the share below 10%.
violation(A, share_too_high) :- contractor(A, C), share(C, S), S >= pct(1000).

%@ id: T-4
%@ cite: Testland Code § 4
%@ says: The total is computed.
value(A, total, T) :- total(A, T).
"""


@pytest.fixture
def testland(tmp_path, monkeypatch) -> Path:
    """A policies folder with the common library and the small 'testland' jurisdiction."""
    root = tmp_path / "policies"
    shutil.copytree(bundled_policies() / "common", root / "common")
    (root / "testland").mkdir(parents=True)
    (root / "testland" / "schema.toml").write_text(TESTLAND_SCHEMA)
    (root / "testland" / "rules.lp").write_text(TESTLAND_RULES)
    monkeypatch.setenv(POLICIES_ENV, str(root))
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))  # compiled policies: not in the home folder
    return root


def make_case(body: str, name: str = "t.pos", header: str = ""):
    """A testland case from the inside of one contract block."""
    text = f'jurisdiction testland\n{header}contract "C" {{\n{textwrap.dedent(body)}\n}}\n'
    return load_case_text(text, name)


SETTING_RULES = """
%@ setting: f2_basis
%@ values: total, compensation
%@ cite: Testland Code § 5
%@ says: which amount decides whether Form F-2 is needed
default_setting(f2_basis, total).

%@ id: T-5
%@ cite: Testland Code § 5
%@ says: A contract with any reimbursable amount needs Form F-2 when read by total.
%@ reading: setting f2_basis
document(A, "F-2", file) :- reimbursable(A, _), reading(f2_basis, total).
"""
