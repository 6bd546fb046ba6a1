"""The portfolio stage: the agreements of every case file of one run, seen together.

The Arkansas format rules sum compensation "per vendor, per fiscal year, per cost center"
(Contract Manual ch. 2 §II.A.4, ch. 10 §II.A, §XI.A): two $15,000.00 purchase orders to one
vendor in two case files are one $30,000.00 purchase. The engine keeps cases apart, so this stage,
run on the facts of a whole run before the engine, gives each case the new agreements of the
*other* cases that share a vendor name and a cost center with one of its own, as `peer_*` facts
that point at the other file's lines. Which of them count (same fiscal year, the threshold) is
the policy's to decide (policies/arkansas/formats.lp). Agreements without a vendor name or a
cost center are never linked.

    >>> from pos_logic.language.load import load_case_text
    >>> from pos_logic.language.facts import from_case
    >>> po = ('jurisdiction arkansas\\npurchase_order "{}" {{\\n term 2025-07-01 to 2026-06-30\\n'
    ...       ' compensation $15,000.00\\n cost_center "4410"\\n contractor "V" {{ entity llc }}\\n}}\\n')
    >>> from pos_logic.policy.resources import bundled_policies
    >>> root = bundled_policies()
    >>> facts = [from_case(load_case_text(po.format(t), f"{t}.pos", root), None, root) for t in "ab"]
    >>> [str(f.symbol) for f in link(facts)[0] if f.symbol.name == "peer_compensation"]
    ['peer_compensation(peer("b.pos",1),usd(0,15000,0))']
"""

from __future__ import annotations

from clingo import Function, Number, String, Symbol

from ..language.facts import Fact

#: the facts this stage gives a case, with their arities (case facts for policy.py and lint.py)
PEER_ARITY = {"peer_agreement": 3, "peer_vendor": 2, "peer_cost_center": 2, "peer_term": 3,
              "peer_compensation": 2}
#: agreement kinds a run's portfolio sums: new agreements (an amendment restates a contract)
NEW_KINDS = ("contract", "purchase_order")
#: the attribute and block facts `_agreements` reads (from_case's `only`)
READS = frozenset({"contractor", "cost_center", "term", "compensation"})


def _agreements(facts: list[Fact]) -> dict[int, dict[str, Fact]]:
    """The new agreements of one case's facts, by id, with the facts that key and sum them."""
    by_id: dict[int, dict[str, Fact]] = {}
    entity_name: dict[int, Fact] = {}
    contractor_of: dict[int, int] = {}
    for fact in facts:
        name, args = fact.name, fact.args
        if name == "agreement_type" and args[1].name in NEW_KINDS:
            by_id.setdefault(args[0].number, {})["type"] = fact
        elif name == "name" and len(args) == 2:
            entity_name[args[0].number] = fact
        elif name == "contractor" and len(args) == 2:
            contractor_of[args[0].number] = args[1].number
    for fact in facts:
        name, args = fact.name, fact.args
        if name in ("cost_center", "term", "compensation") and args and \
                args[0].type.name == "Number" and args[0].number in by_id:
            by_id[args[0].number][name] = fact
    for ident, parts in by_id.items():
        agreement_name = entity_name.get(ident)
        vendor = entity_name.get(contractor_of.get(ident, -1))
        if agreement_name is not None:
            parts["title"] = agreement_name
        if vendor is not None:
            parts["vendor"] = vendor
    return {i: p for i, p in by_id.items() if {"vendor", "cost_center", "term", "compensation"} <= p.keys()}


def _key(parts: dict[str, Fact]) -> tuple[Symbol, Symbol]:
    return parts["vendor"].args[1], parts["cost_center"].args[1]


class Portfolio:
    """A run's new agreements by vendor and cost center, gathered one case at a time (`add`),
    so a run checked in chunks can give each case the peers it has in any other chunk. Cases of
    different groups (jurisdictions) are never peers."""

    def __init__(self) -> None:
        self.found: list[dict[int, dict[str, Fact]]] = []
        self.groups: list[str] = []
        self.holders: dict[tuple[str, Symbol, Symbol], set[int]] = {}

    def add(self, facts: list[Fact], group: str = "") -> None:
        found = _agreements(facts)
        for parts in found.values():
            self.holders.setdefault((group, *_key(parts)), set()).add(len(self.found))
        self.found.append(found)
        self.groups.append(group)

    def forget_unshared(self) -> None:
        """Keep only the agreements another case shares a key with: the rest give no peers."""
        for found, group in zip(self.found, self.groups):
            for ident in [i for i, parts in found.items() if len(self.holders[(group, *_key(parts))]) < 2]:
                del found[ident]

    def peers(self, case: int) -> list[Fact]:
        """The peer facts of the other cases' new agreements that share a vendor name and a
        cost center with one of this case's new agreements, by case and agreement."""
        group = self.groups[case]
        keys = {(group, *_key(parts)) for parts in self.found[case].values()}
        out: list[Fact] = []
        for other in sorted({c for key in keys for c in self.holders[key]} - {case}):
            for ident, parts in sorted(self.found[other].items()):
                if (group, *_key(parts)) in keys:
                    # named by its file, not its place in the run, so a run split in parts reads the same
                    out.extend(_peer_facts(Function("peer", [String(parts["type"].span.file), Number(ident)]), parts))
        return out


def link(runs_facts: list[list[Fact]]) -> list[list[Fact]]:
    """For each case, the peer facts of the other cases (Portfolio.peers), empty lists when none."""
    portfolio = Portfolio()
    for facts in runs_facts:
        portfolio.add(facts)
    return [portfolio.peers(case) for case in range(len(runs_facts))]


def _peer_facts(peer: Symbol, parts: dict[str, Fact]) -> list[Fact]:
    def fact(name: str, source: str, *args: Symbol) -> Fact:
        return Fact.of(name, [peer, *args], parts[source].span)

    kind = parts["type"].args[1]
    term = parts["term"].args
    title = parts["title"].args[1] if "title" in parts else Function("untitled")
    return [fact("peer_agreement", "type", kind, title),
            fact("peer_vendor", "vendor", parts["vendor"].args[1]),
            fact("peer_cost_center", "cost_center", parts["cost_center"].args[1]),
            fact("peer_term", "term", *term[1:]),
            fact("peer_compensation", "compensation", parts["compensation"].args[1])]
