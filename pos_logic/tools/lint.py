"""`pos lint`: every problem of a policies folder at once, each at its file:line:col.

Loading a policy (policy.py) refuses what would make it wrong to run, and stops at the first
file with errors. The lint reports the same refusals for every file (syntax errors, #script,
#include, #external, #program, constraints, choices, a finding without id, cite or says) and
goes on to what would make a policy silently wrong:

- annotations: an unknown `%@` key (`%@ cit:`, with a "did you mean"), a line that is not
  `%@ key: value`, a key given twice for one rule, annotations no rule follows, a `{Var}` in
  `says`/`cure` that is not a variable of the rule;
- ids: one id on rules that cite different sources (document and chapter), or in two
  jurisdictions; an id of a finding rule the coverage table (docs/coverage.md) does not list
  (ids starting with POS- excepted), and a rule id the table lists that no rule has;
- parameters: used (`in_force(A, name, V)`, `param(name, …)`) but never defined, defined twice
  for one Since, a `param` fact without `%@ param:` / `%@ cite:` / `%@ says:`, a `%@ param:`
  naming another parameter, a Since that is not d(Y,M,D), a parameter no rule reads;
- predicates: read in a body but derived by no rule and not a fact of the schema ("did you
  mean"), derived but never read (not a finding), a finding with the wrong arguments, recursion
  through `not`, `reading(Name, Value)` of an undeclared setting or value;
- code: `@function` calls anywhere (they need a #script); `#const` is refused with the rest;
- grounding: the instrumented program is grounded once with no case facts, in a child process
  with a time limit, and what clingo says (unsafe variables, undefined operations) is put back
  at the policy file's line and column.

A warning (`severity="warning"`, `is_warning`) is probably a mistake but does not make a check
wrong: a predicate or parameter no rule reads, a literal threshold in a rule.

    >>> is_warning(Diagnostic("policies/x/a.lp", 3, 1, "p/1 is derived but no rule reads it", severity="warning"))
    True
"""

from __future__ import annotations

import dataclasses
import difflib
import multiprocessing
import re
from dataclasses import dataclass, field
from pathlib import Path

import clingo
from clingo import ast
from clingo.ast import ASTType
from pebble import ProcessExpired, concurrent

from ..policy import policy as _policy
from ..errors import Diagnostic, InputError, closest, sorted_diagnostics
from ..policy.policy_guard import parse_named, read_policy_text
from ..engine.portfolio import PEER_ARITY
from ..language.model import FINDINGS
from ..language.schema import Schema, load_schema

#: every key a `%@` annotation may have
KNOWN_KEYS = ("id", "cite", "says", "reading", "cure", "means", "means_not", "param", "setting",
              "values", "internal", "cite_from")
#: the arguments of each finding (docs/policies.md, "Findings")
FINDING_ARITY = {k.name: k.arity for k in FINDINGS}
DOCUMENT_ROLES = ("legal_attachment", "file")
#: facts every case has (policy.HEADER_FACTS), with their arities (facts.py), and the facts the
#: portfolio stage may add (portfolio.py)
HEADER_ARITY = {"agreement": 1, "agreement_type": 2, "name": 2, "given": 2, "as_of": 1, "setting": 2,
                **PEER_ARITY}
PARAM_ANNOTATIONS = ("param", "cite", "says")
WARNING = "warning: "
#: how long grounding the policy with no case may take before it is reported as not finishing
GROUND_TIMEOUT = 30.0

_ANY_ANNOTATION = re.compile(r"^\s*%@")
_PLACEHOLDER = re.compile(r"\{([A-Z_][A-Za-z0-9_]*)\}")
_LITERAL_VALUES = ("usd", "pct", "d")
_ROW = re.compile(r"^\|\s*([A-Z][A-Z0-9-]+)\s*\|\s*(encoded|not encoded)\s*\|([^|]*)\|([^|]*)\|(.*)\|\s*$")


def is_warning(d: Diagnostic) -> bool:
    """A diagnostic that does not make the policy wrong to run (unused predicate, …)."""
    return d.severity == "warning"


def lint(root: Path, jurisdictions: list[str] | None = None,
         coverage: Path | None = None, ground_timeout: float | None = GROUND_TIMEOUT) -> list[Diagnostic]:
    """Every problem of the policies under `root`, sorted.

    jurisdictions: the folders to lint (default: every folder with a schema.toml); the shared
    `common/` library is linted with each. coverage: the coverage table (default:
    `<root>/../docs/coverage.md`); the id check is skipped when the file is missing or has no
    rows. ground_timeout: seconds the grounding of one jurisdiction may take (None: no limit).
    """
    root = Path(root)
    if not root.is_dir():
        return [Diagnostic(str(root), 1, 1, "not a policies folder")]
    known = sorted(p.name for p in root.iterdir() if (p / "schema.toml").is_file())
    linter = _Linter(root)
    chosen = known if jurisdictions is None else list(jurisdictions)
    for name in chosen:
        if name not in known:
            linter.add(Diagnostic(str(root / name), 1, 1, f"no jurisdiction '{name}' (no {name}/schema.toml)",
                                  hint=closest(name, known)))
            continue
        linter.jurisdiction(name, ground_timeout)
    linter.library_uses()
    linter.ids()
    coverage = coverage if coverage is not None else root.parent / "docs" / "coverage.md"
    linter.coverage(coverage, every_jurisdiction=jurisdictions is None)
    return linter.result()


def _shown(file: str) -> str:
    path = Path(file)
    if path.is_absolute():
        try:
            return str(path.relative_to(Path.cwd()))
        except ValueError:
            pass
    return file


# -- one file, parsed once ----------------------------------------------------------------------

@dataclass
class _Source:
    path: Path
    folder: str
    text: str
    lines: list[str]
    nodes: list[ast.AST]  # the file's rules
    statements: list[ast.AST]  # every statement (for code in #show and the like)
    errors: list[Diagnostic]
    complete: bool = True  # False: a syntax error or #include; its rules are unknown

    @property
    def file(self) -> str:
        return str(self.path)


@dataclass
class _Rule:
    src: _Source
    node: ast.AST
    rule: _policy.Rule

    @property
    def where(self) -> tuple[str, int, int]:
        return self.src.file, self.rule.line, self.rule.column


@dataclass
class _Linter:
    root: Path
    found: set[Diagnostic] = field(default_factory=set)
    sources: dict[Path, _Source] = field(default_factory=dict)
    #: every rule seen, by (folder, file, line, column), for the id and coverage checks
    rules: dict[tuple, _Rule] = field(default_factory=dict)
    checked: set[Path] = field(default_factory=set)
    #: predicates each jurisdiction defines (rule heads, schema facts, findings): name → arities
    defined: dict[str, dict[str, set[int]]] = field(default_factory=dict)
    #: atoms the shared library reads that a linted jurisdiction does not define
    library: dict[tuple[str, int, int, str, int], tuple[_Source, ast.AST]] = field(default_factory=dict)

    def add(self, d: Diagnostic) -> None:
        if d.message.startswith(WARNING):  # checks mark warnings in their message; record it as severity
            d = dataclasses.replace(d, message=d.message[len(WARNING):], severity="warning")
        self.found.add(d)

    def at(self, src: _Source, location, message: str, hint: str | None = None) -> None:
        begin, end = location.begin, location.end
        width = end.column - begin.column if end.line == begin.line else 1
        self.add(Diagnostic(src.file, begin.line, begin.column, message, hint=hint, width=max(width, 1)))

    def result(self) -> list[Diagnostic]:
        """Each diagnostic once, with its source line, its file relative to the working folder
        where it is inside it."""
        texts = {src.file: src.text for src in self.sources.values()}
        out = []
        for d in self.found:
            text = texts.get(d.file)
            if text is None and d.file.endswith((".lp", ".md", ".toml")) and Path(d.file).is_file():
                text = Path(d.file).read_text(encoding="utf-8")
            d = d.with_source(text)
            out.append(dataclasses.replace(d, file=_shown(d.file)))
        return sorted_diagnostics(set(out))

    # -- files --

    def source(self, path: Path, folder: str) -> _Source:
        if path not in self.sources:
            errors: list[Diagnostic] = []
            try:
                text = read_policy_text(path)
            except InputError as err:
                text, errors = "", list(err.diagnostics)
            kept = _policy.parse_file(path, text, errors) if text else []  # what load_policy refuses
            statements: list[ast.AST] = []
            complete = bool(kept) or not errors  # it parses, and follows no #include
            if complete:
                # parsed again so that every location, down to a variable, names the file
                try:
                    parse_named(path, text, statements.append, logger=lambda *_: None)
                except RuntimeError:
                    statements, complete = [], False
            nodes = [n for n in statements if n.ast_type is ASTType.Rule]
            self.sources[path] = _Source(path, folder, text, text.split("\n"), nodes, statements, errors,
                                         complete)
        return self.sources[path]

    def file_checks(self, src: _Source) -> None:
        if src.path in self.checked:
            return
        self.checked.add(src.path)
        for d in src.errors:
            self.add(d)
        self.annotation_lines(src)
        for node in src.statements:
            for call in _external_calls(node):
                self.at(src, call.location, f"'@{call.name}': a policy must not call code "
                                            "(an @function needs a #script)")

    def annotation_lines(self, src: _Source) -> None:
        """Every `%@` line is `key: value` with a known key, and belongs to the rule below it."""
        starts = {n.location.begin.line for n in src.nodes}
        starts |= {s.location.begin.line for s in src.statements if s.ast_type is not ASTType.Program}
        block: list[tuple[int, str]] = []
        for number, row in enumerate(src.lines + [""], start=1):
            m = _policy.ANNOTATION.match(row)
            if m:
                key = m.group(1)
                column = row.index(key) + 1
                if key not in KNOWN_KEYS:
                    self.add(Diagnostic(src.file, number, column, f"unknown annotation key '{key}'",
                                        hint=closest(key, KNOWN_KEYS), width=len(key)))
                elif any(k == key for _, k in block):
                    self.add(Diagnostic(src.file, number, column,
                                        f"'%@ {key}:' is given twice for one rule (only the one nearest "
                                        "the rule counts)", width=len(key)))
                block.append((number, key))
                continue
            if _ANY_ANNOTATION.match(row):
                self.add(Diagnostic(src.file, number, row.index("%@") + 1,
                                    "an annotation is written '%@ key: value'", hint=_guess_key(row)))
            elif block and number not in starts and src.complete:
                first = block[0][0]
                self.add(Diagnostic(src.file, first, 1, "these '%@' annotations belong to no rule: "
                                                        "the rule must start on the line right below them"))
            block = []

    # -- one jurisdiction --

    def jurisdiction(self, name: str, timeout: float | None) -> None:
        """What load_policy refuses (it stops at the first file with errors; this goes on, with
        the same checks), then the lint's own checks."""
        schema = None
        try:
            schema = load_schema(name, self.root)
        except InputError as err:
            for d in err.diagnostics:
                self.add(d)
        sources, rules, errors = self.parsed(name)
        for src in sources:
            self.file_checks(src)
        _policy.read_settings([r.rule for r in rules], errors)
        for d in errors:  # constraints, choices, a finding without id, cite or says, settings
            self.add(d)
        for r in rules:
            self.rules.setdefault((r.src.folder, r.src.file, r.rule.line, r.rule.column), r)
        j = _Jurisdiction(self, name, sources, rules, schema)
        j.findings()
        j.placeholders()
        j.parameters()
        if j.complete:  # what is defined is known only when every file parses
            j.predicates()
            j.settings()
        j.stratified()
        j.literals()
        j.internal_reads()
        if schema is not None:
            j.ground(timeout)

    def parsed(self, name: str) -> tuple[list[_Source], list[_Rule], list[Diagnostic]]:
        """A jurisdiction's files (the library's first), the rules load_policy keeps, and what
        it says about the others."""
        sources = [self.source(p, p.parent.name) for p in _policy.policy_files(name, self.root)]
        rules: list[_Rule] = []
        errors: list[Diagnostic] = []
        for src in sources:
            for node in src.nodes:
                rule = _policy.read_rule(len(rules), src.path, node, src.lines, errors)
                if rule is not None:
                    rules.append(_Rule(src, node, rule))
        return sources, rules, errors

    def definitions(self, name: str) -> dict[str, set[int]]:
        """What a jurisdiction defines: its rule heads (and the library's), its schema's facts,
        the header facts and the findings."""
        if name not in self.defined:
            out: dict[str, set[int]] = {k: {n} for k, n in {**HEADER_ARITY, **FINDING_ARITY}.items()}
            try:
                schema = load_schema(name, self.root)
            except InputError:
                schema = None
            if schema is not None:
                for fact, arities in _schema_facts(schema).items():
                    out.setdefault(fact, set()).update(arities)
            sources, rules, _ = self.parsed(name)
            for r in rules:
                out.setdefault(r.rule.head, set()).add(r.rule.arity)
            for src in sources:  # `#defined p/2.`: an input that may have no atoms
                for node in src.statements:
                    if node.ast_type is ASTType.Defined:
                        out.setdefault(node.name, set()).add(node.arity)
            self.defined[name] = out
        return self.defined[name]

    # -- across jurisdictions --

    def library_uses(self) -> None:
        """An atom the shared library reads is an input a jurisdiction may supply or not
        (money_addend, default_setting, …): worth a warning only if no jurisdiction defines it."""
        every = sorted(p.name for p in self.root.iterdir() if (p / "schema.toml").is_file())
        names = {n for j in every for n in self.definitions(j)}
        for (_f, _l, _c, name, arity), (src, atom) in sorted(self.library.items(), key=lambda kv: kv[0]):
            if any(arity in self.definitions(j).get(name, ()) for j in every):
                continue
            self.at(src, _at(atom), f"{WARNING}{name}/{arity} is read by the shared library but no jurisdiction "
                                    "defines it (no rule derives it, no schema has it): the rule never applies",
                    hint=closest(name, names - {name}))

    def ids(self) -> None:
        """One id, one provision: rules that share an id cite the same source (document and
        chapter; the sections may differ, as one provision's rules often cite finer parts of
        it), and an id belongs to one jurisdiction (the shared library counts as its own)."""
        first: dict[str, _Rule] = {}
        for key in sorted(self.rules, key=lambda k: (k[0] != "common", *k)):
            r = self.rules[key]
            ident = r.rule.annotations.get("id")
            if not ident:
                continue
            if ident not in first:
                first[ident] = r
                continue
            f = first[ident]
            where = f"{f.src.file}:{f.rule.line}"
            mine, theirs = r.rule.annotations.get("cite", ""), f.rule.annotations.get("cite", "")
            if f.src.folder != r.src.folder:
                self.add(Diagnostic(*r.where, f"id {ident} is also used in {f.src.folder} ({where}): "
                                              "an id belongs to one jurisdiction"))
            elif not _same_source(mine, theirs):
                self.add(Diagnostic(*r.where, f"id {ident} cites '{_norm(mine)}' here but '{_norm(theirs)}' "
                                              f"at {where}: rules that share an id encode one provision "
                                              "(give this rule its own id, or correct the citation)"))

    def coverage(self, path: Path, every_jurisdiction: bool) -> None:
        """Every id of a finding rule (but the checker's own POS-…) has a row in the coverage table."""
        if not path.is_file():
            return
        text = path.read_text(encoding="utf-8")
        listed: dict[str, tuple[int, int]] = {}
        rows = 0
        for number, row in enumerate(text.splitlines(), start=1):
            m = _ROW.match(row)
            if not m:
                continue
            rows += 1
            offset = m.start(3)
            for cell in m.group(3).split(","):
                ident = cell.strip().strip("`").strip()
                spot = re.search(rf"(?<![\w-]){re.escape(ident)}(?![\w-])", m.group(3)) if ident else None
                if ident:
                    listed.setdefault(ident, (number, offset + (spot.start() if spot else 0) + 1))
        if not rows:
            return
        seen: set[str] = set()
        ids = {r.rule.annotations.get("id") for r in self.rules.values()} - {None}
        for key in sorted(self.rules):
            r = self.rules[key]
            ident = r.rule.annotations.get("id")
            if not ident or not r.rule.is_finding or ident.startswith("POS-") or ident in seen:
                continue
            seen.add(ident)
            if ident not in listed:
                self.add(Diagnostic(*r.where, f"id {ident} is not in the coverage table ({path.name}): "
                                              "list it in the rules column of its provision's row",
                                    hint=_close_id(ident, listed)))
        if every_jurisdiction and all(src.complete for src in self.sources.values()):
            for ident, (line, column) in listed.items():
                if ident not in ids:
                    self.add(Diagnostic(str(path), line, column, f"rule id {ident} in the coverage table "
                                                                 "names no rule", hint=_close_id(ident, ids),
                                        width=len(ident)))


@dataclass
class _Jurisdiction:
    lint: _Linter
    name: str
    sources: list[_Source]
    rules: list[_Rule]
    schema: Schema | None
    recursive: set[tuple[str, int]] = field(default_factory=set)  # predicates that depend on themselves

    @property
    def complete(self) -> bool:
        return all(src.complete for src in self.sources)

    def at(self, src: _Source, location, message: str, hint: str | None = None) -> None:
        self.lint.at(src, location, message, hint)

    def add(self, r: _Rule, message: str, hint: str | None = None) -> None:
        self.lint.add(Diagnostic(*r.where, message, hint=hint))

    def own(self, src: _Source) -> bool:
        return src.folder == self.name

    def qualified(self, src: _Source, message: str) -> str:
        """A message about a shared library file says which jurisdiction it concerns."""
        return message if self.own(src) else f"{message} (with the {self.name} policy)"

    # -- findings and their annotations --

    def findings(self) -> None:
        for r in self.rules:
            arity = FINDING_ARITY.get(r.rule.head)
            if arity is None:
                continue
            if r.rule.arity != arity:
                args = ("A, Form, Role" if r.rule.head == "document" else
                        "A, Name, Value" if r.rule.head == "value" else "A, What")
                self.add(r, f"a {r.rule.head} finding is {r.rule.head}({args}): {arity} arguments, "
                            f"not {r.rule.arity}")
            elif r.rule.head == "document":
                role = r.node.head.atom.symbol.arguments[2]
                named = _constant(role)
                if named is not None and named not in DOCUMENT_ROLES:
                    self.at(r.src, role.location, f"a document's role is {' or '.join(DOCUMENT_ROLES)}, not '{named}'",
                            hint=closest(named, DOCUMENT_ROLES))

    def placeholders(self) -> None:
        """`{Var}` in says and cure must be a variable the rule binds (explain fills them in)."""
        for r in self.rules:
            names = _policy.global_variables(r.node)
            row = r.rule.line - 2
            while row >= 0 and (found := _policy.ANNOTATION.match(r.src.lines[row])):
                line = r.src.lines[row]
                key = found.group(1)
                if key in ("says", "cure"):
                    start = line.index(":", line.index(key)) + 1
                    for m in _PLACEHOLDER.finditer(line, start):
                        if m.group(1) not in names:
                            self.lint.add(Diagnostic(
                                r.src.file, row + 1, m.start() + 1,
                                f"'{m.group(0)}' in '%@ {key}:' is not a variable of the rule"
                                + (f" (it has {', '.join(names)})" if names else ""),
                                hint=closest(m.group(1), names), width=len(m.group(0))))
                row -= 1

    # -- parameters --

    def parameters(self) -> None:
        defined: dict[str, _Rule] = {}
        versions: dict[tuple[str, str], _Rule] = {}
        for r in self.rules:
            if r.rule.head != "param":
                continue
            if r.rule.arity != 3:
                self.add(r, f"a parameter is param(Name, Since, Value): 3 arguments, not {r.rule.arity}")
                continue
            name_term, since, _value = r.node.head.atom.symbol.arguments
            name = _constant(name_term)
            if r.node.body or name is None:
                self.add(r, "a parameter is a fact param(name, d(Y,M,D), Value), not a rule")
                continue
            missing = [k for k in PARAM_ANNOTATIONS if not r.rule.annotations.get(k)]
            if missing:
                self.add(r, f"parameter {name} lacks " + ", ".join(f"'%@ {k}:'" for k in missing))
            declared = r.rule.annotations.get("param")
            if declared and declared != name:
                self.add(r, f"'%@ param: {declared}' names another parameter than the fact's '{name}'",
                         hint=name if closest(declared, [name]) else None)
            if not _is_date(since):
                self.at(r.src, _at(since), f"parameter {name}: Since must be a date d(Year,Month,Day), "
                                               f"not {since}")
            key = (name, str(since))
            if key in versions:
                f = versions[key]
                self.add(r, f"parameter {name} is defined twice for {since} (first at "
                            f"{f.src.file}:{f.rule.line}): a change in law is a new Since")
            versions.setdefault(key, r)
            defined.setdefault(name, r)
        if not self.complete:
            return
        used: set[str] = set()
        requested = self.calendar_params()
        for r in self.rules:
            for atom in _body_atoms(r.node):
                sym = atom.symbol
                if sym.ast_type is not ASTType.Function:
                    continue
                position = _policy.PARAMETER_READERS.get((sym.name, len(sym.arguments)))
                if position is None:
                    continue
                term = sym.arguments[position]
                name = _constant(term)
                if name is None:
                    continue
                used.add(name)
                if name not in defined:
                    self.at(r.src, _at(term), self.qualified(
                        r.src, f"parameter {name} is used but never defined by a param({name}, Since, Value) fact"),
                        hint=closest(name, defined))
                elif sym.name == "param_on" and requested is not None and name not in requested:
                    self.at(r.src, _at(term), self.qualified(
                        r.src, f"param_on(_, {name}, _) is never true: the calendar gives a parameter's version "
                               f"on a date only for the parameters requested; add the fact calendar_param({name})."))
        for name, r in defined.items():
            if name not in used and self.own(r.src):
                self.add(r, f"{WARNING}parameter {name} is defined but no rule reads it")

    def calendar_params(self) -> set[str] | None:
        """The parameters `calendar_param(Name)` facts request for param_on (calendar.lp), or None
        where a rule requests them some other way (then every read may be answered)."""
        requested: set[str] = set()
        for r in self.rules:
            if r.rule.head == "calendar_param":
                name = _constant(r.node.head.atom.symbol.arguments[0]) if r.rule.arity == 1 else None
                if r.node.body or name is None:
                    return None
                requested.add(name)
        return requested

    # -- predicates --

    def case_facts(self) -> dict[str, set[int]]:
        out: dict[str, set[int]] = {k: {n} for k, n in HEADER_ARITY.items()}
        for fact, arities in (_schema_facts(self.schema) if self.schema is not None else {}).items():
            out.setdefault(fact, set()).update(arities)
        return out

    def predicates(self) -> None:
        """Every atom read in a body is derived by some rule or is a fact of the case; every
        predicate the jurisdiction derives is read by some rule, or is a finding."""
        if self.schema is None:
            return
        defined = self.lint.definitions(self.name)
        heads: dict[tuple[str, int], _Rule] = {}
        for r in self.rules:
            heads.setdefault((r.rule.head, r.rule.arity), r)
        used: set[tuple[str, int]] = set()
        for r in self.rules:
            for atom in _body_atoms(r.node):
                sym = atom.symbol
                if sym.ast_type is not ASTType.Function:
                    continue
                sig = (sym.name, len(sym.arguments))
                used.add(sig)
                if sig[1] in defined.get(sym.name, ()):
                    continue
                if not self.own(r.src):
                    loc = _at(atom).begin
                    self.lint.library.setdefault((r.src.file, loc.line, loc.column, *sig), (r.src, atom))
                    continue
                if sym.name in defined:
                    others = ", ".join(f"{sym.name}/{n}" for n in sorted(defined[sym.name]))
                    message = f"{sym.name}/{sig[1]} is never defined (there is {others})"
                    hint = None
                else:
                    message = (f"{sym.name}/{sig[1]} is never defined: no rule derives it and it is not "
                               f"a fact of the {self.name} schema")
                    hint = closest(sym.name, defined)
                self.at(r.src, _at(atom), message, hint=hint)
        for sig, r in heads.items():
            if sig not in used and sig[0] not in FINDING_ARITY and self.own(r.src) \
                    and sig[0] not in ("param", "default_setting"):
                self.add(r, f"{WARNING}{sig[0]}/{sig[1]} is derived but no rule reads it, and it is not a finding")

    def settings(self) -> None:
        """`reading(Name, Value)` names a declared setting and one of its values."""
        declared = _policy.read_settings([r.rule for r in self.rules], [])
        for r in self.rules:
            for atom in _body_atoms(r.node):
                sym = atom.symbol
                if sym.ast_type is not ASTType.Function or sym.name != "reading" or len(sym.arguments) != 2:
                    continue
                name, value = (_constant(a) for a in sym.arguments)
                if name is None:
                    continue
                if name not in declared:
                    self.at(r.src, _at(sym.arguments[0]),
                            self.qualified(r.src, f"setting {name} is not declared (%@ setting: above "
                                                  "default_setting(Name, Value))"), hint=closest(name, declared))
                elif value is not None and value not in declared[name].values:
                    self.at(r.src, _at(sym.arguments[1]),
                            f"'{value}' is not a value of setting {name} "
                            f"({', '.join(declared[name].values)})", hint=closest(value, declared[name].values))

    def stratified(self) -> None:
        """No recursion through `not` (docs/policies.md): a check must have exactly one answer."""
        edges: dict[tuple[str, int], list[tuple[tuple[str, int], str | None, _Rule, ast.AST]]] = {}
        for r in self.rules:
            head = (r.rule.head, r.rule.arity)
            for atom, how in _body_atoms(r.node, with_how=True):
                sym = atom.symbol
                if sym.ast_type is ASTType.Function:
                    edges.setdefault(head, []).append(((sym.name, len(sym.arguments)), how, r, atom))
        component = _components({h: [t for t, *_ in out] for h, out in edges.items()})
        self.recursive = {sig for sig, c in component.items() if c is not None}
        for head, out in edges.items():
            for target, how, r, atom in out:
                # only `not`: a sum of sums recurses through an aggregate at the predicate level
                # (money_addend ← total ← money_sum ← money_addend) and is stratified by its keys
                if how != "'not'" or component.get(head) is None or component.get(target) != component.get(head):
                    continue
                cycle = ("itself" if target == head else
                         f"{target[0]}/{target[1]}, which depends on {head[0]}/{head[1]}")
                self.at(r.src, _at(atom), self.qualified(
                    r.src, f"recursion through {how}: {head[0]}/{head[1]} depends on {cycle} "
                           "(rules must be stratified, so that a check has one answer)"))

    def literals(self) -> None:
        """Thresholds are dated parameters, not literals in a rule."""
        for r in self.rules:
            if r.rule.head in ("param", "default_setting"):
                continue
            for term in _literal_values(r.node.body):
                self.at(r.src, _at(term), f"{WARNING}literal {_norm(str(term))} in a rule: a threshold "
                                              "or date the law sets is a dated parameter (param/3)")

    def internal_reads(self) -> None:
        """A rule that reads a `%@ internal:` helper names its arguments: the helper's steps are
        not recorded, so an explanation shows its atom as the reading rule's values fill it,
        and a `_` there stays a `_`."""
        internal = _policy.internal_predicates(r.rule for r in self.rules)
        for r in self.rules:
            if r.rule.head in internal:
                continue
            for atom, how in _body_atoms(r.node, with_how=True):
                sym = atom.symbol
                if how is None and sym.ast_type is ASTType.Function and sym.name in internal \
                        and "_" in _policy.variables_in(sym):
                    self.at(r.src, _at(atom), f"{WARNING}{sym.name} is an internal helper, which an explanation "
                                              "shows as this rule's values fill it: name its arguments here "
                                              "instead of '_', which it would print")

    # -- grounding --

    def ground(self, timeout: float | None) -> None:
        case_facts = set(self.case_facts())
        kept = [(r.node, r.rule) for r in self.rules]
        local = _policy.local_predicates([n for n, _ in kept], case_facts)
        statements: list[ast.AST] = []
        for node, rule in kept:
            statements.extend(_policy.instrument(node, _policy.scoped(rule, node, local), local))
        result = _ground(statements, timeout)
        if result is None:
            message = (f"grounding the {self.name} policy with no case did not finish in {timeout:g}s: "
                       "a recursive rule may derive new terms without end (like n(X+1) :- n(X))")
            suspects = [r for r in self.rules if (r.rule.head, r.rule.arity) in self.recursive]
            # the shared library's bounded chains (money.lp's carries) are tested on their own
            suspects.sort(key=lambda r: (r.src.folder == "common", not _computes(r.node.head)))
            if suspects:
                self.add(suspects[0], message)
            else:
                self.lint.add(Diagnostic(str(self.lint.root / self.name), 1, 1, message))
            return
        for code, message in result:
            if code == clingo.MessageCode.AtomUndefined.name:
                continue  # predicates() says it better
            for d in _clingo_messages(message):
                self.lint.add(d)



# -- AST helpers ---------------------------------------------------------------------------------

def _schema_facts(schema: Schema) -> dict[str, set[int]]:
    """The facts a case of this schema can have (facts.py), with their arities."""
    out: dict[str, set[int]] = {}
    for block in schema.blocks.values():
        for a in block.attributes.values():
            out.setdefault(a.fact, set()).add(1 + sum(2 if f.type == "period" else 1 for f in a.fields))
        for c in block.children.values():
            out.setdefault(c.fact, set()).add(2)
    return out


def _computes(node: ast.AST) -> bool:
    """The node contains arithmetic or an interval (a head that can make new terms)."""
    found: list[bool] = []

    class _Ops(ast.Transformer):
        def visit_BinaryOperation(self, op):
            found.append(True)
            return op

        def visit_Interval(self, op):
            found.append(True)
            return op

    _Ops()(node)
    return bool(found)


def _at(node: ast.AST):
    """A sub-node's location (its file name is clingo's <string>; the line and column are right)."""
    if node.ast_type is ASTType.SymbolicAtom:
        node = node.symbol
    return node.location


def _constant(term: ast.AST) -> str | None:
    if term.ast_type is ASTType.SymbolicTerm and term.symbol.type is clingo.SymbolType.Function \
            and not term.symbol.arguments and term.symbol.name:
        return term.symbol.name
    if term.ast_type is ASTType.Function and not term.arguments and term.name and not term.external:
        return term.name
    return None


def _is_date(term: ast.AST) -> bool:
    if term.ast_type is ASTType.Function and term.name == "d" and len(term.arguments) == 3:
        return all(a.ast_type is ASTType.SymbolicTerm and a.symbol.type is clingo.SymbolType.Number
                   for a in term.arguments)
    if term.ast_type is ASTType.SymbolicTerm:
        s = term.symbol
        return (s.type is clingo.SymbolType.Function and s.name == "d" and len(s.arguments) == 3
                and all(a.type is clingo.SymbolType.Number for a in s.arguments))
    return False


def _body_atoms(rule: ast.AST, with_how: bool = False):
    """The symbolic atoms of a rule's body; with_how: with how each is read, None for a plain
    positive literal, else "'not'", "an aggregate" or "a condition" (not monotone)."""
    out: list[tuple[ast.AST, str | None]] = []

    def collect(node: ast.AST, how: str | None) -> None:
        found: list[ast.AST] = []

        class _Atoms(ast.Transformer):
            def visit_SymbolicAtom(self, atom):
                found.append(atom)
                return atom

        _Atoms()(node)
        out.extend((a, how) for a in found)

    for lit in rule.body:
        if lit.ast_type is ASTType.Literal and lit.atom.ast_type is ASTType.SymbolicAtom:
            collect(lit, None if lit.sign == ast.Sign.NoSign else "'not'")
        elif lit.ast_type is ASTType.ConditionalLiteral:
            collect(lit, "a condition")
        else:
            collect(lit, "an aggregate")
    return out if with_how else [a for a, _ in out]


def _external_calls(node: ast.AST) -> list[ast.AST]:
    found: list[ast.AST] = []

    class _Calls(ast.Transformer):
        def visit_Function(self, fn):
            if fn.external:
                found.append(fn)
            self.visit_children(fn)
            return fn

    _Calls()(node)
    return found


def _literal_values(body) -> list[ast.AST]:
    """Ground usd(…)/pct(…)/d(…) terms written in a rule body."""
    found: list[ast.AST] = []

    class _Values(ast.Transformer):
        def visit_Function(self, fn):
            if fn.name in _LITERAL_VALUES and fn.arguments and all(
                    a.ast_type is ASTType.SymbolicTerm and a.symbol.type is clingo.SymbolType.Number
                    for a in fn.arguments):
                found.append(fn)
                return fn
            self.visit_children(fn)
            return fn

        def visit_SymbolicTerm(self, term):
            s = term.symbol
            if s.type is clingo.SymbolType.Function and s.name in _LITERAL_VALUES and s.arguments:
                found.append(term)
            return term

        def visit_SymbolicAtom(self, atom):
            # an atom named d/3 is a predicate, not a date: look only inside its arguments
            if atom.symbol.ast_type is ASTType.Function:
                for argument in atom.symbol.arguments:
                    self(argument)
            return atom

    for lit in body:
        _Values()(lit)
    return found


def _components(graph: dict) -> dict:
    """Strongly connected components (Tarjan): node → component number."""
    index: dict = {}
    low: dict = {}
    comp: dict = {}
    stack: list = []
    on: set = set()
    counter = [0]
    nodes = set(graph) | {t for ts in graph.values() for t in ts}
    for start in sorted(nodes):
        if start in index:
            continue
        work = [(start, iter(graph.get(start, ())))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on.add(start)
        while work:
            v, it = work[-1]
            pushed = False
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(graph.get(w, ()))))
                    pushed = True
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            if pushed:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp[w] = v
                    if w == v:
                        break
    # a node alone in its component without a self loop is not recursive
    for v in nodes:
        if v not in graph.get(v, ()) and sum(1 for w in comp if comp[w] == comp[v]) == 1:
            comp[v] = None
    return comp


def _cite_sources(cite: str) -> set[tuple[str, str]]:
    """The (document, chapter) pairs a citation names: 'Contract Manual ch. 3 §I.A.1; ch. 10
    §III.C.3' → {('contract manual', '3'), ('contract manual', '10')}. Quotes and parentheses
    are dropped; a part without a document name continues the one before it."""
    text, previous = cite, None
    while previous != text:
        previous, text = text, re.sub(r"\([^()]*\)", " ", text)
    text = re.sub(r'"[^"]*"|“[^”]*”', " ", text)
    out: set[tuple[str, str]] = set()
    document = ""
    for part in text.split(";"):
        m = re.match(r"\s*([^§,(]*?)\s*(?:\bch(?:apter|\.)\s*(\w+))?\s*(?:[§,(]|$)", part, re.I)
        name = _norm(m.group(1)).lower().strip(" .") if m else ""
        chapter = (m.group(2) or "").lower() if m else ""
        if name:
            document = name
        elif not chapter:
            continue
        out.add((document, chapter))
    return out


def _same_source(a: str, b: str) -> bool:
    """Two citations name a common document (and chapter, where both give one)."""
    left, right = _cite_sources(a), _cite_sources(b)
    if not left or not right:
        return True
    return any((d1 == d2 or d1.startswith(d2) or d2.startswith(d1)) and (c1 == c2 or not c1 or not c2)
               for d1, c1 in left for d2, c2 in right)


def _close_id(ident: str, ids) -> str | None:
    """A catalog id one typo away (ids differ in a few characters, so closest() is too loose)."""
    match = difflib.get_close_matches(ident, sorted(ids), n=1, cutoff=0.85)
    return match[0] if match else None


def _norm(text: str) -> str:
    return " ".join(text.split())


def _guess_key(row: str) -> str | None:
    m = re.match(r"^\s*%@\s*(\w+)", row)
    return closest(m.group(1), KNOWN_KEYS) if m else None


# -- grounding -----------------------------------------------------------------------------------

def _ground_here(statements: list[ast.AST]) -> list[tuple[str, str]]:
    messages: list[tuple[str, str]] = []
    ctl = clingo.Control([], logger=lambda code, m: messages.append((code.name, m)), message_limit=1000)
    try:
        with ast.ProgramBuilder(ctl) as builder:
            for node in statements:
                builder.add(node)
        ctl.ground([("base", [])])
    except RuntimeError as err:
        if not messages:
            messages.append((clingo.MessageCode.RuntimeError.name, f"<string>:1:1: error: {err}"))
    return messages


def _ground(statements: list[ast.AST], timeout: float | None) -> list[tuple[str, str]] | None:
    """clingo's messages grounding the program; None when it did not finish within timeout
    (a forked process does the grounding, since clingo cannot be interrupted while grounding)."""
    if timeout is None or "fork" not in multiprocessing.get_all_start_methods():
        return _ground_here(statements)
    run = concurrent.process(timeout=timeout, mp_context=multiprocessing.get_context("fork"))(_ground_here)
    try:
        return run(statements).result()
    except TimeoutError:
        return None
    except ProcessExpired:  # the child died: ground here to see why
        return _ground_here(statements)


_LOCATED = re.compile(r"^(?P<file>.*?):(?P<line>\d+):(?P<col>\d+)(?:-(?:(?P<eline>\d+):)?(?P<ecol>\d+))?: "
                      r"(?P<kind>error|info|warning|note): (?P<text>.*)$")


def _clingo_messages(message: str) -> list[Diagnostic]:
    """One clingo message → diagnostics at the policy file's line and column. Unsafe variables
    become one diagnostic per variable, at the variable."""
    rows = message.strip("\n").splitlines()
    head = _LOCATED.match(rows[0]) if rows else None
    if head is None:
        return [_policy.clingo_diagnostic(message, "policy")]
    file = head.group("file")  # every location names its policy file (see _Linter.source)

    def located(m, text: str) -> Diagnostic:
        line, col = int(m.group("line")), int(m.group("col"))
        width = 1
        if m.group("ecol") and not m.group("eline"):
            width = max(int(m.group("ecol")) - col, 1)
        return Diagnostic(m.group("file") or file, line, col, text, width=width)

    notes = [m for m in map(_LOCATED.match, rows[1:]) if m and m.group("kind") == "note"]
    text = head.group("text")
    if text.startswith("unsafe variables in") and notes:
        out: dict[str, Diagnostic] = {}
        for m in notes:
            var = re.match(r"'(\w+)' is unsafe", m.group("text"))
            name = var.group(1) if var else m.group("text")
            if name.startswith("POS_"):
                continue
            d = located(m, f"unsafe variable '{name}': it must occur in a positive atom of the rule's body")
            # the instrumented copy repeats the variable at the rule's start: keep the real spot
            at_start = (int(head.group("line")), int(head.group("col")))
            if name not in out or (out[name].line, out[name].column) == at_start:
                out[name] = d
        return list(out.values())
    body = [r.strip() for r in rows[1:] if not _LOCATED.match(r)]
    detail = " ".join(body)
    if _policy.RECORD in detail:
        detail = ""
    # an undefined operation in a rule grounded without any case (a global rule) is a rule that
    # never applies: an error; clingo's other remarks are warnings
    kind = "" if head.group("kind") == "error" or text.startswith("operation undefined") else WARNING
    return [located(head, f"{kind}{text.rstrip(':')}{': ' + detail if detail else ''}")]
