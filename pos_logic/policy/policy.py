"""Policy files → one instrumented program, loaded once with `clingo.ast`.

A jurisdiction's policy is `policies/common/*.lp` plus `policies/<jurisdiction>/*.lp`. Loading
does three things to the plain ASP the policy staff wrote:

1. reads the `%@ key: value` annotations above each rule (id, cite, says, reading, cure, means);
2. threads a case argument through every predicate that depends on case facts, so one clingo
   program can check many cases without one case's facts reaching another's rules;
3. instruments every rule `H :- B.` as `_pos_fired(Case, R, H', Vars) :- B.` and
   `H :- _pos_fired(Case, R, H', _).`, so the answer records which ground instance of which rule
   derived each atom, with the values of its variables: the raw material of explanations.
   Finding rules record as `_pos_found`, so a checklist can read only those.

    >>> policy = load_policy("arkansas")
    >>> any(r.annotations.get("id") == "AR-DISC-01" for r in policy.rules)
    True
"""

from __future__ import annotations

import dataclasses
import pickle
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import clingo
from clingo import ast
from clingo.ast import ASTType

from ..errors import Diagnostic, InputError
from .ground import RulePlan
from ..language.model import FINDING_KINDS
from .policy_cache import cached, policy_key
from .policy_guard import (external_calls, foreign_statements, negative_loops, outside_files, read_policy_text,
                           refused_directives)
from ..engine.portfolio import PEER_ARITY
from .reach import Index, Part, Signature, reachable, signatures
from .resources import given
from ..language.schema import load_schema

CASE_VAR = "POS_Case"
#: rule R records its ground instances as `_pos_rR(Case, Head, Values…)`: one predicate per
#: rule, so that re-deriving the head from the record is a projection clingo grounds at once;
#: the head and the values are arguments of their own, so reading a record builds no symbol
RECORD = "_pos_r"
CASE_DOMAIN = "_pos_case"
#: library predicates that read a dated parameter: (name, arity) → position of the parameter's name
PARAMETER_READERS = {("in_force", 3): 1, ("in_force_since", 4): 1, ("param", 3): 0, ("param_on", 3): 1}
#: predicates whose variable arguments are best named by one of their constant arguments
#: (the parameter readers: `in_force(A, disclosure_threshold, P)` names P)
LABEL_FROM_ARG = {name: position for (name, _), position in PARAMETER_READERS.items()}
PROBE = "_pos_probe"
#: facts every case has, whatever its schema
HEADER_FACTS = ("agreement", "agreement_type", "name", "given", "as_of", "setting")
FINDING_ANNOTATIONS = ("id", "cite", "says")
ANNOTATION = re.compile(r"^\s*%@\s*(\w+)\s*:\s*(.*?)\s*$")
_REFUSED = {
    ASTType.Script: "#script: a policy must not run code",
    ASTType.External: "#external: a policy's atoms are decided by the case alone",
    ASTType.Minimize: "weak constraints: a check has exactly one answer",
    ASTType.Heuristic: "#heuristic: a check has exactly one answer",
    ASTType.Edge: "#edge is not allowed in a policy",
    ASTType.ProjectAtom: "#project is not allowed in a policy",
    ASTType.ProjectSignature: "#project is not allowed in a policy",
    ASTType.TheoryDefinition: "#theory is not allowed in a policy",
    ASTType.Definition: "#const: write a threshold as a dated parameter, param(Name, Since, Value)",
}


@dataclass(frozen=True)
class Rule:
    """One rule of a policy file, with its annotations and where it stands."""

    index: int
    file: str
    line: int
    column: int
    head: str  # predicate name of the head
    arity: int
    text: str
    annotations: dict[str, str]
    source: str = field(compare=False, repr=False)  # the rule exactly as written, first character to last
    path: str = field(default="", compare=False, repr=False)  # the file it was read from
    variables: tuple[str, ...] = ()
    local: bool = True

    @property
    def is_finding(self) -> bool:
        return self.head in FINDING_KINDS

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"

    @cached_property
    def node(self) -> ast.AST:
        """The rule's clingo AST, at its own file:line:col. A policy read from the cache holds
        no AST (clingo's cannot be stored): each rule is parsed again from its text when
        something first looks at it, which is only the few rules an explanation cites."""
        nodes: list[ast.AST] = []
        ast.parse_string("\n" * (self.line - 1) + " " * (self.column - 1) + self.source, nodes.append)
        return nodes[-1].update(location=relocated(nodes[-1].location, self.path))

    @cached_property
    def labels(self) -> dict[str, str]:
        """What each variable stands for, from the first positive atom that binds it:
        `total(A, T)` makes T "total"; `in_force(A, disclosure_threshold, P)` makes P that parameter."""
        if self._stored is not None:
            return self._stored[1]
        labels: dict[str, str] = {}
        for lit in self.node.body:
            if lit.ast_type is not ASTType.Literal or lit.sign != ast.Sign.NoSign \
                    or lit.atom.ast_type is not ASTType.SymbolicAtom:
                continue
            fn = lit.atom.symbol
            if fn.ast_type is not ASTType.Function:
                continue
            label = fn.name
            pos = LABEL_FROM_ARG.get(fn.name)
            if pos is not None and len(fn.arguments) > pos and fn.arguments[pos].ast_type is not ASTType.Variable:
                label = str(fn.arguments[pos])
            for arg in fn.arguments:
                if arg.ast_type is ASTType.Variable and arg.name not in labels:
                    labels[arg.name] = label.replace("_", " ")
        return labels

    @cached_property
    def plan(self) -> RulePlan:
        """The rule's text as templates its firings' values fill (explanations)."""
        return self._stored[0] if self._stored is not None else RulePlan(self.node)

    @cached_property
    def _explained(self) -> bytes:
        """The plan and labels, pickled once: what a stored policy keeps in the AST's place."""
        return pickle.dumps((self.plan, self.labels), pickle.HIGHEST_PROTOCOL)

    @cached_property
    def _stored(self) -> tuple[RulePlan, dict[str, str]] | None:
        """The plan and labels a stored policy kept, read back when the rule is first explained:
        ~20 µs, against ~0.3 ms to parse the rule and build them again (a process that explains
        a batch explains hundreds of rules; one that checks a file, a few dozen)."""
        data = self.__dict__.get("_explained")
        return pickle.loads(data) if data is not None else None

    def __getstate__(self):
        """clingo's AST cannot be stored: the rule's plan and labels are, pickled."""
        state = {k: v for k, v in self.__dict__.items() if k not in ("node", "labels", "plan", "_stored")}
        state["_explained"] = self._explained
        return state


def _with_node(rule: Rule, node: ast.AST) -> Rule:
    """`rule` holding the AST it was read from, so that it is not parsed again."""
    rule.__dict__["node"] = node  # what cached_property would store
    return rule


@dataclass(frozen=True)
class Setting:
    """A named interpretive choice: `%@ setting:` / `%@ values:` above `default_setting(N, V).`"""

    name: str
    values: tuple[str, ...]
    default: str
    rule: Rule


@dataclass(frozen=True)
class Policy:
    """A jurisdiction's compiled policy: what every check reads and nothing writes, and what
    policy_cache keeps between processes.

    Rules whose heads depend on no case are the case-independent part (parameters, state
    holidays): it is ground and solved once at compile time, and cases read its answer as
    `facts`; `parts` hold the case rules, as ASP text in each view (reach.py)."""

    jurisdiction: str
    root: Path  # the policies folder it was compiled from: its schema gives a case's facts their names
    files: tuple[Path, ...]
    rules: tuple[Rule, ...]
    parts: tuple[Part, ...]  # the case rules, threaded, in each view, with what they need and give
    index: Index  # which parts need each predicate
    facts: str  # the case-independent atoms the case rules read
    fact_signatures: frozenset[Signature]  # their predicates
    global_rules: dict[str, int]  # each case-independent atom (its text) → the rule that derived it
    local: frozenset[str]
    case_facts: frozenset[str] = frozenset()
    settings: dict[str, Setting] = field(default_factory=dict)
    means: dict[str, tuple[str, str]] = field(default_factory=dict)  # `%@ means:` / `means_not:` by predicate
    #: predicates marked `%@ internal:` (the money library's limbs): shown by that phrase, their
    #: steps not followed, since the rule that reads them says the result in words
    internal: dict[str, str] = field(default_factory=dict)
    key: str = ""

    def rule(self, index: int) -> Rule:
        return self.rules[index]

    def text(self, view: str, present: set[Signature] | None = None) -> str:
        """The case rules in `view` (program: every rule instrumented, with the `#show` of its
        records; derivations: all but the internal helpers; checklist: only the finding rules;
        plain: none), keeping only those that can fire when the case facts' predicates are
        `present` (None: every rule)."""
        keep = reachable(self.parts, self.index, present | self.fact_signatures) if present is not None \
            else [True] * len(self.parts)
        kept = [part for part, k in zip(self.parts, keep) if k]
        # a checklist's shared record predicates: each projection and #show once
        once = dict.fromkeys(part.checklist_once for part in kept) if view == "checklist" else {}
        return "\n".join([*(getattr(part, view) for part in kept), *filter(None, once)])

    @property
    def plain(self) -> str:
        """Every case rule as plain clingo would run it."""
        return self.text("plain")


def policy_files(jurisdiction: str, root: Path) -> list[Path]:
    return sorted((root / "common").glob("*.lp")) + sorted((root / jurisdiction).glob("*.lp"))


def load_policy(jurisdiction: str, policies: Path | None = None) -> Policy:
    """A jurisdiction's compiled policy: from this process's memory or the disk cache if its
    files are byte for byte those it was compiled from, else compiled now. Errors are
    InputErrors at file:line:col. policies: the folder (None: chosen as the CLI would)."""
    root = given(policies)
    return _load_policy(jurisdiction, root, policy_key(jurisdiction, root))


@lru_cache(maxsize=16)
def _load_policy(jurisdiction: str, root: Path, key: str) -> Policy:
    return cached(jurisdiction, key, lambda: compile_policy(jurisdiction, root, key))


def compile_policy(jurisdiction: str, root: Path, key: str = "") -> Policy:
    """Parse, check, thread and instrument a jurisdiction's rules, and solve the part that
    depends on no case."""
    schema = load_schema(jurisdiction, root)
    files = policy_files(jurisdiction, root)
    errors: list[Diagnostic] = outside_files(root, files)
    if errors:
        raise InputError(errors)
    parsed: list[tuple[Path, ast.AST, list[str]]] = []
    for path in files:
        text = read_policy_text(path)
        lines = text.split("\n")  # as clingo counts lines: U+2028, NEL, form feed end none
        nodes = parse_file(path, text, errors)
        parsed.extend((path, n, lines) for n in nodes)
    case_facts = set(HEADER_FACTS) | set(PEER_ARITY)
    for block in schema.blocks.values():
        case_facts.update(a.fact for a in block.attributes.values())
        case_facts.update(c.fact for c in block.children.values())
    rules: list[Rule] = []
    kept: list[tuple[ast.AST, Rule]] = []
    for path, node, lines in parsed:
        rule = read_rule(len(rules), path, node, lines, errors)
        if rule is not None:
            rules.append(rule)
            kept.append((node, rule))
    settings = read_settings(rules, errors)
    errors.extend(negative_loops(rules))
    if errors:
        raise InputError(errors)
    local = local_predicates([n for n, _ in kept], case_facts)
    statements: list[ast.AST] = []
    parts: list[Part] = []
    final_rules: list[Rule] = []
    read_by_cases: set[str] = set()
    internal = internal_predicates(r for _, r in kept)
    followed = followed_predicates(kept, internal)
    for node, rule in kept:
        rule = _with_node(scoped(rule, node, local), node)
        final_rules.append(rule)
        threaded = _thread(node, local)
        instrumented = instrument(node, rule, local, threaded)
        statements.extend(instrumented)
        if rule.local:
            show = f"#show {record_name(rule)}/{record_arity(rule)}."
            program = "\n".join([*map(str, instrumented), show])
            checklist, once = str(threaded), ""
            if rule.is_finding:
                record, rederive = instrument(node, rule, local, threaded, shared=True)
                checklist, once = str(record), f"{rederive}\n#show {record_name(rule, True)}/{record_arity(rule)}."
            parts.append(Part(*signatures(threaded), program=program, checklist=checklist,
                              checklist_once=once, plain=str(threaded),
                              followed=rule.head in followed))
            read_by_cases |= _predicates(node)
    facts, facts_read, global_rules = _solve_globals(statements, final_rules, read_by_cases - local)
    means: dict[str, tuple[str, str]] = {}
    for rule in final_rules:
        a = rule.annotations
        if a.get("means") or a.get("means_not"):
            means.setdefault(rule.head, (a.get("means", ""), a.get("means_not", "")))
    return Policy(jurisdiction, root, tuple(files), tuple(final_rules), tuple(parts), Index.of(tuple(parts)),
                  "\n".join(facts), frozenset(facts_read), global_rules, frozenset(local),
                  frozenset(case_facts), settings, means, internal, key)


def internal_predicates(rules: Iterable[Rule]) -> dict[str, str]:
    """`%@ internal:` marks a predicate, whichever of its rules carries it: explanations never
    follow its atoms (they say its phrase, the value), and its rules run unrecorded."""
    return {r.head: r.annotations["internal"] for r in rules if r.annotations.get("internal")}


def _solve_globals(statements: list[ast.AST], rules: list[Rule],
                   read: set[str]) -> tuple[list[str], set[Signature], dict[str, int]]:
    """Ground and solve the instrumented policy without any case: what it derives is the
    case-independent part. Returns its atoms that the case rules read, as facts, their
    predicates, and which rule derived each atom. Grounding every rule here also reports clingo's errors (an
    unsafe variable) at the rule's own file:line:col, before any case is checked."""
    messages: list[str] = []
    ctl = clingo.Control(["--warn=none"], logger=lambda _c, m: messages.append(m), message_limit=50)
    try:
        with ast.ProgramBuilder(ctl) as builder:
            for node in statements:
                builder.add(node)
        ctl.ground([("base", [])])
    except RuntimeError:
        raise InputError([clingo_diagnostic(m, "policy") for m in messages or ["clingo could not ground the policy"]]) from None
    facts: list[str] = []
    predicates: set[Signature] = set()
    derived_by: dict[str, int] = {}
    with ctl.solve(yield_=True) as handle:
        model = next(iter(handle), None)
        if model is None:
            raise InputError([Diagnostic("policy", 1, 1, "the policy has no answer even without a case "
                                                         "(a rule must be contradictory)")])
        for sym in sorted(model.symbols(atoms=True)):
            if sym.name.startswith(RECORD):
                number, *args = sym.arguments
                rule = rules[number.number]
                head = str(args[rule.local])  # after the case, if the rule has one
                derived_by[head] = min(derived_by.get(head, rule.index), rule.index)
            elif sym.name in read:
                facts.append(f"{sym}.")
                predicates.add((sym.name, len(sym.arguments)))
    return facts, predicates, derived_by


def read_settings(rules: list[Rule], errors: list[Diagnostic]) -> dict[str, Setting]:
    """The settings a policy declares, each with its allowed values and its default."""
    out: dict[str, Setting] = {}
    for rule in rules:
        if rule.head != "default_setting":
            continue
        where = (rule.file, rule.line, rule.column)
        args = rule.node.head.atom.symbol.arguments
        name = rule.annotations.get("setting", "")
        values = tuple(v.strip() for v in rule.annotations.get("values", "").split(",") if v.strip())
        default = str(args[1]) if len(args) == 2 else ""
        if len(args) != 2 or str(args[0]) != name:
            errors.append(Diagnostic(*where, "a setting is declared as '%@ setting: NAME' above default_setting(NAME, VALUE)."))
        elif default not in values:
            errors.append(Diagnostic(*where, f"setting {name}: the default '{default}' is not among "
                                             f"'%@ values: {', '.join(values)}'"))
        elif name in out:
            errors.append(Diagnostic(*where, f"setting {name} is declared twice (first at {out[name].rule.location})"))
        else:
            out[name] = Setting(name, values, default, rule)
    return out


def parse_file(path: Path, text: str, errors: list[Diagnostic]) -> list[ast.AST]:
    nodes: list[ast.AST] = []
    messages: list[str] = []
    # clingo would follow an #include while parsing; refuse it before it reads anything
    refused = refused_directives(path, text)
    if refused:
        errors.extend(refused)
        return []

    def log(_code, message):
        messages.append(message)

    try:
        ast.parse_string(text, nodes.append, logger=log, message_limit=50)
    except RuntimeError:
        for message in messages or ["syntax error"]:
            errors.append(clingo_diagnostic(message, str(path)))
        return []
    foreign = foreign_statements(path, nodes) + external_calls(path, nodes)
    if foreign:
        errors.extend(foreign)
        return []
    out = []
    for node in nodes:
        loc = node.location.begin
        if node.ast_type in _REFUSED:
            errors.append(Diagnostic(str(path), loc.line, loc.column, _REFUSED[node.ast_type]))
        elif node.ast_type is ASTType.Program:
            if node.name != "base" or node.parameters:
                errors.append(Diagnostic(str(path), loc.line, loc.column,
                                         "#program: a policy is one base program"))
        elif node.ast_type is ASTType.Rule:
            out.append(node.update(location=relocated(node.location, str(path))))
        # comments, #show and #defined are the plain-clingo view's business (common/show.lp)
    return out


def _display_path(path: Path) -> str:
    """A policy file as `policies/<jurisdiction>/<file>.lp`, wherever the policies are installed."""
    return f"policies/{path.parent.name}/{path.name}"


def relocated(location, filename: str):
    begin = location.begin._replace(filename=filename) if hasattr(location.begin, "_replace") else location.begin
    end = location.end._replace(filename=filename) if hasattr(location.end, "_replace") else location.end
    return ast.Location(begin, end)


def clingo_diagnostic(message: str, default_file: str) -> Diagnostic:
    """clingo's `file:line:col-col: error: text` as a Diagnostic."""
    m = re.match(r"(?P<file>[^:\n]*):(?P<line>\d+):(?P<col>\d+)(-[\d:]+)?: (?:error|info|warning): (?P<text>.*)",
                 message.strip(), re.S)
    if not m:
        return Diagnostic(default_file, 1, 1, message.strip())
    file = m.group("file")
    if file in ("<string>", "<block>", ""):
        file = default_file
    text = " ".join(m.group("text").split())
    return Diagnostic(file, int(m.group("line")), int(m.group("col")), text)


def read_rule(index: int, path: Path, node: ast.AST, lines: list[str], errors: list[Diagnostic]) -> Rule | None:
    loc = node.location.begin
    head = node.head
    where = (str(path), loc.line, loc.column)
    if head.ast_type is not ASTType.Literal or head.atom.ast_type is not ASTType.SymbolicAtom:
        kind = "an integrity constraint" if head.ast_type is ASTType.Literal else "a choice, disjunction or aggregate head"
        errors.append(Diagnostic(*where, f"{kind} is not allowed in a policy: derive a finding instead "
                                         "(a batch of cases must have exactly one answer)"))
        return None
    if head.sign != ast.Sign.NoSign:
        errors.append(Diagnostic(*where, "a negated head is not allowed in a policy"))
        return None
    term = head.atom.symbol
    if term.ast_type is not ASTType.Function or not term.name:
        errors.append(Diagnostic(*where, "a rule head must be an atom like p(X)"))
        return None
    if term.name.startswith("_pos"):
        errors.append(Diagnostic(*where, f"'{term.name}': predicates starting with _pos are reserved"))
        return None
    annotations: dict[str, str] = {}
    row = loc.line - 2
    while row >= 0 and (found := ANNOTATION.match(lines[row])):
        key, value = found.groups()
        annotations.setdefault(key, value)
        row -= 1
    end = node.location.end
    text = "\n".join(lines[loc.line - 1:end.line]).strip()
    rows = lines[loc.line - 1:end.line]
    source = "\n".join([*rows[:-1], rows[-1][:end.column - 1]])[loc.column - 1:]
    rule = _with_node(Rule(index, _display_path(path), loc.line, loc.column, term.name, len(term.arguments),
                           text, annotations, source, str(path)), node)
    if rule.is_finding:
        missing = [k for k in FINDING_ANNOTATIONS if not annotations.get(k)]
        if missing:
            errors.append(Diagnostic(*where, f"finding rule for {term.name}/{len(term.arguments)} lacks "
                                             + ", ".join(f"'%@ {k}:'" for k in missing)))
    return rule


# -- which predicates depend on a case ---------------------------------------------------------

def _predicates(node: ast.AST, negated: bool = True) -> set[str]:
    """The predicates a rule's body names (negated=False: but those of its `not` atoms)."""
    found: set[str] = set()

    class _Collect(ast.Transformer):
        def visit_SymbolicAtom(self, atom):
            if atom.symbol.ast_type is ASTType.Function:
                found.add(atom.symbol.name)
            return atom

    for lit in node.body:
        if negated or not (lit.ast_type is ASTType.Literal and lit.sign != ast.Sign.NoSign
                           and lit.atom.ast_type is ASTType.SymbolicAtom):
            _Collect()(lit)
    return found


def followed_predicates(kept: list[tuple[ast.AST, Rule]], internal: dict[str, str]) -> frozenset[str]:
    """The predicates whose atoms a full explanation can follow to a derivation: the findings'
    and, to a fixed point, those a rule for one of them names outside its `not` atoms (a
    positive premise, an aggregate's condition), not through the `%@ internal:` helpers. Only
    their rules record in the full-derivation program: about a tenth of a heavy case's records
    were of predicates read only under `not` or by helpers, which no explanation follows."""
    reads: dict[str, set[str]] = {}
    for node, rule in kept:
        if rule.head not in internal:
            reads.setdefault(rule.head, set()).update(_predicates(node, negated=False))
    found = {rule.head for _, rule in kept if rule.is_finding}
    todo = list(found)
    while todo:
        for name in reads.get(todo.pop(), ()):
            if name not in found:
                found.add(name)
                todo.append(name)
    return frozenset(found - internal.keys())


def local_predicates(nodes: list[ast.AST], case_facts: set[str]) -> set[str]:
    """Case facts, findings, and every predicate a rule derives from them, to a fixed point."""
    local = set(case_facts) | set(FINDING_KINDS)
    heads = [(n.head.atom.symbol.name, _predicates(n)) for n in nodes if n.ast_type is ASTType.Rule]
    changed = True
    while changed:
        changed = False
        for head, body in heads:
            if head not in local and body & local:
                local.add(head)
                changed = True
    return local


# -- rewriting ----------------------------------------------------------------------------------

class _CaseThreader(ast.Transformer):
    """Put the case variable first in every atom of a case-dependent predicate."""

    def __init__(self, local: set[str], var: ast.AST):
        self.local, self.var = local, var

    def visit_SymbolicAtom(self, atom):
        term = atom.symbol
        if term.ast_type is ASTType.Function and term.name in self.local:
            return atom.update(symbol=term.update(arguments=[self.var, *term.arguments]))
        return atom


def variables_in(node: ast.AST) -> list[str]:
    """The name of every variable in `node`, as often as it occurs, `_` included."""
    names: list[str] = []

    class _Collect(ast.Transformer):
        def visit_Variable(self, var):
            names.append(var.name)
            return var

    _Collect()(node)
    return names


def _variables(node: ast.AST) -> list[str]:
    """The named variables of `node`, each once, in order."""
    return list(dict.fromkeys(v for v in variables_in(node) if v != "_"))


def global_variables(rule: ast.AST) -> list[str]:
    """Variables bound for the whole rule (not those local to an aggregate or condition)."""
    names = _variables(rule.head)
    for lit in rule.body:
        if lit.ast_type is ASTType.Literal and lit.atom.ast_type is ASTType.BodyAggregate:
            parts = [g.term for g in (lit.atom.left_guard, lit.atom.right_guard) if g is not None]
        elif lit.ast_type is ASTType.ConditionalLiteral:
            parts = []
        else:
            parts = [lit]
        for part in parts:
            names += [v for v in _variables(part) if v not in names]
    return [n for n in names if n != CASE_VAR]


def scoped(rule: Rule, node: ast.AST, local: set[str]) -> Rule:
    """`rule` with the variables its instances record, and whether it depends on a case."""
    return _with_node(dataclasses.replace(rule, variables=tuple(global_variables(node)), local=rule.head in local),
                      node)


def _thread(node: ast.AST, local: set[str]) -> ast.AST:
    if node.ast_type is not ASTType.Rule or node.head.atom.symbol.name not in local:
        return node
    loc = node.location
    var = ast.Variable(loc, CASE_VAR)
    threaded = _CaseThreader(local, var)(node)
    bound = any(lit.ast_type is ASTType.Literal and lit.sign == ast.Sign.NoSign
                and lit.atom.ast_type is ASTType.SymbolicAtom
                and lit.atom.symbol.ast_type is ASTType.Function and lit.atom.symbol.name in local
                for lit in node.body)
    if not bound:
        domain = ast.Literal(loc, ast.Sign.NoSign, ast.SymbolicAtom(ast.Function(loc, CASE_DOMAIN, [var], 0)))
        threaded = threaded.update(body=[domain, *threaded.body])
    return threaded


def record_name(rule: Rule, shared: bool = False) -> str:
    """The predicate of rule's records: its own, `_pos_rR`; shared: that of every rule with the
    same head predicate and as many variables, `_pos_r{values}_{head arity}_{head}`."""
    return f"{RECORD}{len(rule.variables)}_{rule.arity}_{rule.head}" if shared else f"{RECORD}{rule.index}"


def record_arity(rule: Rule) -> int:
    """The arity of rule's record: the rule's number, the case (if it has one), the head, the values."""
    return 1 + rule.local + 1 + len(rule.variables)


def instrument(node: ast.AST, rule: Rule, local: set[str], threaded: ast.AST | None = None,
               shared: bool = False) -> list[ast.AST]:
    """`h(X) :- B.` (rule R) → `P(R, C, h(X), V1, …, VN) :- B.` and `h(C, X) :- P(_, C, h(X), _, …).`,
    P its record predicate (record_name). With a shared P the second is the same for every rule
    recording into P, and a program needs it once. `threaded`: the rule as _thread made it, if
    the caller has it already."""
    if node.ast_type is not ASTType.Rule:
        return [node]
    threaded = threaded if threaded is not None else _thread(node, local)
    loc = node.location
    head_term = node.head.atom.symbol  # without the case argument
    values = [ast.Variable(loc, v) for v in rule.variables]
    fresh = [ast.Variable(loc, f"POS_H{i}") for i in range(len(head_term.arguments))]
    case = [ast.Variable(loc, CASE_VAR)] if rule.local else []
    name, anything = record_name(rule, shared), ast.Variable(loc, "_")
    fired_head = ast.Function(loc, name, [ast.SymbolicTerm(loc, clingo.Number(rule.index)), *case, head_term, *values], 0)
    fired_body = ast.Function(loc, name, [anything, *case, head_term.update(arguments=fresh), *[anything] * len(values)], 0)
    derived = head_term.update(arguments=[*case, *fresh])
    record = threaded.update(head=ast.Literal(loc, ast.Sign.NoSign, ast.SymbolicAtom(fired_head)))
    rederive = ast.Rule(loc, ast.Literal(loc, ast.Sign.NoSign, ast.SymbolicAtom(derived)),
                        [ast.Literal(loc, ast.Sign.NoSign, ast.SymbolicAtom(fired_body))])
    return [record, rederive]


def probe_rule(policy: Policy, rule: Rule, body: list, tag) -> ast.AST:
    """`_pos_probe(Case, (Tag, Vars)) :- Body.` with Body some of `rule`'s body literals,
    threaded like the rule itself: for why-not and boundary coverage, which look at what the
    case offers a rule even where the rule does not fire."""
    node = rule.node
    loc = node.location
    partial = node.update(body=body)
    threaded = _thread(partial, set(policy.local))
    names = [v for v in global_variables(partial.update(head=ast.Literal(
        loc, ast.Sign.NoSign, ast.SymbolicAtom(ast.Function(loc, "x", [], 0)))))]
    variables = ast.Function(loc, "", [ast.Variable(loc, v) for v in names], 0)
    head = ast.Function(loc, PROBE, [ast.Variable(loc, CASE_VAR), ast.Function(loc, "", [tag, variables], 0)], 0)
    return threaded.update(head=ast.Literal(loc, ast.Sign.NoSign, ast.SymbolicAtom(head)))


def probe_variables(rule: Rule, body: list) -> list[str]:
    """The variables a probe built from `body` reports, in the order probe_rule lists them."""
    loc = rule.node.location
    head = ast.Literal(loc, ast.Sign.NoSign, ast.SymbolicAtom(ast.Function(loc, "x", [], 0)))
    return global_variables(rule.node.update(head=head, body=body))
