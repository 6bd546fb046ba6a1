"""A jurisdiction's case vocabulary, declared once in `policies/<jurisdiction>/schema.toml`,
and the check that turns parsed statements into the typed case model.

The schema names every block (agreements and the blocks inside them), its attributes with their
types and allowed values, and the documents the jurisdiction knows. `check` reports every
problem of a file at once, each with a "did you mean" where a name is close.

    >>> schema = load_schema("arkansas")
    >>> "contract" in schema.agreements
    True
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from ..errors import Diagnostic, InputError, Span, closest, with_sources
from .model import FINDING_KINDS, Attribute, Case, Entity, Expectation
from ..policy.policy_cache import cached, policy_key
from ..policy.policy_guard import outside_files
from ..policy.resources import given
from .syntax import Statement, Value

#: value types an attribute field may have, and how a person writes each
TYPES = {
    "money": "an amount like $48,000.00",
    "signed_money": "an amount like $1,200.00, or -$1,200.00 for one that goes the other way",
    "percent": "a percentage like 12%",
    "date": "a date like 2025-07-01",
    "period": "a period like 2025-07-01 to 2026-06-30",
    "int": "a whole number",
    "string": 'a quoted "text"',
    "yesno": "yes or no",
    "enum": "one of the listed words",
    "name": "a name",
    "form": "a document name like OSP-1",
}
_SYNTAX_KIND = {"money": "money", "signed_money": "money", "percent": "percent", "date": "date", "period": "period",
                "int": "number", "string": "string"}
_ASP_NAME = re.compile(r"[a-z][a-z0-9_]*")
_BLOCK_KEYS = ("about", "label", "head", "attributes", "children", "extends")
_ATTRIBUTE_KEYS = ("type", "values", "fields", "many", "required", "fact", "about")
_CHILD_KEYS = ("block", "many", "required", "fact", "about")
_TOP_KEYS = ("jurisdiction", "title", "agreements", "forms", "blocks")
#: predicates a case fact may not be named after: the engine's own facts and the findings
RESERVED_FACTS = frozenset({"agreement", "agreement_type", "name", "given", "as_of", "setting",
                            *FINDING_KINDS})
HEADER = ("case", "jurisdiction", "as_of", "setting", "expect")


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: str
    values: tuple[str, ...] = ()

    @cached_property
    def spelled(self) -> dict[str, str]:
        """The enum's values by their lower-case spelling (a case may write them in any case)."""
        return {x.lower(): x for x in self.values}

    def describe(self) -> str:
        if self.type == "enum":
            return "one of " + ", ".join(self.values)
        return TYPES[self.type]


@dataclass(frozen=True)
class AttributeSpec:
    name: str
    fields: tuple[FieldSpec, ...]
    fact: str
    many: bool = False
    required: bool = False
    about: str = ""


@dataclass(frozen=True)
class ChildSpec:
    name: str
    block: str
    fact: str
    many: bool = False
    required: bool = False


@dataclass(frozen=True)
class BlockSpec:
    name: str
    label: str  # required | optional | none
    head: str | None
    attributes: dict[str, AttributeSpec]
    children: dict[str, ChildSpec]
    about: str = ""

    def names(self) -> list[str]:
        return sorted([*self.attributes, *self.children])


@dataclass(frozen=True)
class Schema:
    jurisdiction: str
    title: str
    agreements: tuple[str, ...]
    blocks: dict[str, BlockSpec]
    forms: dict[str, str]
    path: Path = field(compare=False, default=Path("."))

    @cached_property
    def forms_spelled(self) -> dict[str, str]:
        """The forms by their lower-case spelling (a case may write them in any case)."""
        return {x.lower(): x for x in self.forms}


def jurisdictions(policies: Path | None = None) -> list[str]:
    """The jurisdictions of a policies folder: its folders with a schema.toml."""
    root = given(policies)
    return sorted(p.name for p in root.iterdir() if (p / "schema.toml").is_file())


def load_schema(jurisdiction: str, policies: Path | None = None) -> Schema:
    """Read and validate a jurisdiction's schema (once per folder); a broken schema is an InputError."""
    return _load_schema(jurisdiction, given(policies))


@lru_cache(maxsize=None)
def _load_schema(jurisdiction: str, root: Path) -> Schema:
    folder = root / jurisdiction
    main = folder / "schema.toml"
    paths = [main] + sorted(p for p in folder.glob("*.toml") if p != main)
    outside = outside_files(root, [p for p in paths if p.exists()])
    if outside:
        raise InputError(outside)
    # kept on disk with the compiled policy, under the same key: TOML is ~20 ms a process
    return cached(f"{jurisdiction}.schema", policy_key(jurisdiction, root), lambda: _read_schema(paths))


def _read_schema(paths: list[Path]) -> Schema:
    parts, errors = [], []
    for path in paths:
        try:
            parts.append((path, tomllib.loads(path.read_text(encoding="utf-8"))))
        except OSError as exc:
            errors.append(Diagnostic(str(path), 1, 1, f"cannot read schema: {exc.strerror}"))
        except tomllib.TOMLDecodeError as exc:
            m = re.search(r"at line (\d+), column (\d+)", str(exc))
            line, col = (int(m.group(1)), int(m.group(2))) if m else (1, 1)
            errors.append(Diagnostic(str(path), line, col, f"schema is not valid TOML: {exc}"))
    if errors:
        raise InputError(errors)
    return _SchemaReader(parts).read()


class _SchemaReader:
    """Builds a Schema from `schema.toml` and the topic files beside it (`procurement.toml`, …),
    which may add forms, blocks, attributes and children; every mistake is collected with its
    file and line."""

    def __init__(self, parts: list[tuple[Path, dict]]):
        self.path = parts[0][0]
        self.files = {path: path.read_text(encoding="utf-8").splitlines() for path, _ in parts}
        self.errors: list[Diagnostic] = []
        self.raw = self.merge(parts)

    def merge(self, parts: list[tuple[Path, dict]]) -> dict:
        merged: dict = {k: v for k, v in parts[0][1].items() if k not in ("forms", "blocks")}
        merged["forms"], merged["blocks"] = {}, {}
        for path, raw in parts:
            for key in raw:
                if key not in ("forms", "blocks") and path != self.path:
                    self.fail(key, f"'{key}' belongs in schema.toml, not {path.name}", path)
            for form, about in raw.get("forms", {}).items():
                if form in merged["forms"]:
                    self.fail(form, f"form '{form}' is declared twice", path)
                merged["forms"][form] = about
            for name, spec in raw.get("blocks", {}).items():
                into = merged["blocks"].setdefault(name, {"attributes": {}, "children": {}})
                for section in ("attributes", "children"):
                    for key, value in spec.get(section, {}).items():
                        if key in into[section]:
                            self.fail(key, f"blocks.{name}.{section}.{key} is declared twice", path)
                        into[section][key] = value
                for key, value in spec.items():
                    if key in ("attributes", "children"):
                        continue
                    if key in into and into[key] != value:
                        self.fail(key, f"blocks.{name}.{key} is declared differently twice", path)
                    into[key] = value
        return merged

    def fail(self, where: str, message: str, path: Path | None = None) -> None:
        key = where.split(".")[-1]
        candidates = [path] if path else list(self.files)
        for candidate in candidates:
            line = next((i + 1 for i, row in enumerate(self.files[candidate])
                         if re.match(rf"\s*\[?[\w.\"]*\b{re.escape(key)}\b", row)), None)
            if line is not None:
                self.errors.append(Diagnostic(str(candidate), line, 1, f"schema {where}: {message}"))
                return
        self.errors.append(Diagnostic(str(candidates[0]), 1, 1, f"schema {where}: {message}"))

    def read(self) -> Schema:
        raw = self.raw
        self.keys("schema", raw, _TOP_KEYS)
        declared = raw.get("jurisdiction", self.path.parent.name)
        if declared != self.path.parent.name:
            self.fail("jurisdiction", f"says '{declared}' but the folder is '{self.path.parent.name}': "
                                      "they must be the same")
        self.resolve_extends(raw["blocks"])
        forms = {str(k): str(v) for k, v in raw.get("forms", {}).items()}
        blocks = {name: self.block(name, spec) for name, spec in raw.get("blocks", {}).items()}
        agreements = tuple(raw.get("agreements", ()))
        for name in agreements:
            if name not in blocks:
                self.fail("agreements", f"'{name}' has no [blocks.{name}] table")
        for block in blocks.values():
            for child in block.children.values():
                if child.block not in blocks:
                    self.fail(f"blocks.{block.name}.children.{child.name}",
                              f"names block '{child.block}', which is not defined")
            if block.head and block.head not in block.attributes:
                self.fail(f"blocks.{block.name}.head", f"'{block.head}' is not one of its attributes")
        self.check_fact_arities(blocks)
        if self.errors:
            raise InputError(self.errors)
        return Schema(raw.get("jurisdiction", self.path.parent.name), raw.get("title", ""),
                      agreements, blocks, forms, self.path)

    def resolve_extends(self, blocks: dict) -> None:
        """`extends = "contract"`: a block starts with another block's attributes and children
        and adds or overrides its own, so agreement kinds share their vocabulary."""
        done: set[str] = set()

        def resolve(name: str, chain: tuple[str, ...]) -> None:
            spec = blocks[name]
            base = spec.get("extends")
            if base is None or name in done:
                done.add(name)
                return
            if base not in blocks or base in chain:
                self.fail(f"blocks.{name}.extends", f"'{base}' is not a block it can extend")
                spec.pop("extends")
                return
            resolve(base, (*chain, name))
            for section in ("attributes", "children"):
                spec[section] = {**blocks[base].get(section, {}), **spec.get(section, {})}
            done.add(name)

        for name in list(blocks):
            resolve(name, ())

    def keys(self, where: str, spec: dict, allowed: tuple[str, ...]) -> None:
        for key in spec:
            if key not in allowed:
                hint = closest(key, allowed)
                self.fail(f"{where}.{key}", f"unknown key '{key}'" + (f" (did you mean '{hint}'?)" if hint else "")
                          + f"; the keys here are {', '.join(allowed)}")

    def block(self, name: str, spec: dict) -> BlockSpec:
        self.keys(f"blocks.{name}", spec, _BLOCK_KEYS)
        for c, s in spec.get("children", {}).items():
            self.keys(f"blocks.{name}.children.{c}", s, _CHILD_KEYS)
        attrs = {a: self.attribute(f"blocks.{name}.attributes.{a}", a, s)
                 for a, s in spec.get("attributes", {}).items()}
        children = {}
        for c, s in spec.get("children", {}).items():
            children[c] = ChildSpec(c, s.get("block", c), s.get("fact", c),
                                    bool(s.get("many", False)), bool(s.get("required", False)))
            self.asp_name(f"blocks.{name}.children.{c}", children[c].fact)
        label = spec.get("label", "none")
        if label not in ("required", "optional", "none"):
            self.fail(f"blocks.{name}.label", "must be required, optional or none")
        return BlockSpec(name, label, spec.get("head"), attrs, children, spec.get("about", ""))

    def attribute(self, where: str, name: str, spec: dict) -> AttributeSpec:
        self.keys(where, spec, _ATTRIBUTE_KEYS)
        raw_fields = spec.get("fields") or [{"name": name, **{k: spec[k] for k in ("type", "values") if k in spec}}]
        fields = []
        for f in raw_fields:
            ftype = f.get("type", "")
            if ftype not in TYPES:
                self.fail(where, f"type '{ftype}' is not one of {', '.join(TYPES)}")
                ftype = "string"
            values = tuple(f.get("values", ()))
            if ftype == "enum" and not values:
                self.fail(where, "an enum needs its values")
            fields.append(FieldSpec(f.get("name", name), ftype, values))
        fact = spec.get("fact", name)
        self.asp_name(where, fact)
        return AttributeSpec(name, tuple(fields), fact, bool(spec.get("many", False)),
                             bool(spec.get("required", False)), spec.get("about", ""))

    def asp_name(self, where: str, fact: str) -> None:
        if not _ASP_NAME.fullmatch(fact):
            self.fail(where, f"fact name '{fact}' must be lower_snake_case")
        elif fact in RESERVED_FACTS:
            self.fail(where, f"fact name '{fact}' is reserved (the engine's own facts and the finding "
                             "kinds); give it another name with fact = \"…\"")

    def check_fact_arities(self, blocks: dict[str, BlockSpec]) -> None:
        arity: dict[str, tuple[int, str]] = {}
        for block in blocks.values():
            for a in block.attributes.values():
                n = 1 + sum(2 if f.type == "period" else 1 for f in a.fields)
                where = f"blocks.{block.name}.attributes.{a.name}"
                if arity.setdefault(a.fact, (n, where))[0] != n:
                    self.fail(where, f"fact {a.fact} has {n} arguments here but "
                                     f"{arity[a.fact][0]} at {arity[a.fact][1]}")


def check(statements: tuple[Statement, ...], filename: str, text: str, policies: Path) -> Case:
    """Parsed statements → Case, against the schema of `policies` the file's `jurisdiction`
    line selects."""
    return _Checker(filename, text, policies).case(statements)


class _Checker:
    def __init__(self, filename: str, text: str, policies: Path):
        self.filename, self.text, self.policies = filename, text, policies
        self.errors: list[Diagnostic] = []
        self.next_id = 1

    def fail(self, span: Span, message: str, hint: str | None = None, expected=()) -> None:
        self.errors.append(Diagnostic.at(span, message, hint=hint, expected=tuple(expected)))

    def done(self):
        if self.errors:
            raise InputError(with_sources(self.errors, self.text))

    # -- header -------------------------------------------------------------------------------
    def case(self, statements: tuple[Statement, ...]) -> Case:
        header: dict[str, Statement] = {}
        for st in statements:
            if st.name in ("case", "jurisdiction", "as_of"):
                if st.name in header:
                    self.fail(st.name_span, f"'{st.name}' is given twice (first at line {header[st.name].span.line})")
                header[st.name] = st
        if "jurisdiction" not in header:
            self.fail(Span(self.filename, 1, 1), "the case does not say its jurisdiction: "
                      f"add a line like 'jurisdiction {(jurisdictions(self.policies) or ['arkansas'])[0]}'")
            self.done()
        schema = self.schema(header["jurisdiction"])
        title = self.single(header.get("case"), "string")
        as_of = self.single(header.get("as_of"), "date")
        agreements: list[Entity] = []
        expectation_stmts: list[Statement] = []
        settings: list[tuple[Value, Value]] = []
        for st in statements:
            if st.name == "setting":
                settings.extend(self.setting(st, settings))
            elif st.name in ("case", "jurisdiction", "as_of"):
                if st.block is not None:
                    self.fail(st.block[0].name_span if st.block else st.span, f"'{st.name}' takes no block")
            elif st.name == "expect":
                expectation_stmts.append(st)
            elif st.name in schema.agreements:
                agreements.append(self.entity(st, schema.blocks[st.name], schema))
            else:
                names = [*HEADER, *schema.agreements]
                self.fail(st.name_span, f"'{st.name}' is not a case statement in {schema.jurisdiction}; "
                          f"expected one of {', '.join(names)}", closest(st.name, names))
        if not agreements and not self.errors:
            self.fail(Span(self.filename, 1, 1),
                      f"the case has no agreement: add a block like '{schema.agreements[0]} \"name\" {{ … }}'")
        titles = [a.title for a in agreements]
        for i, a in enumerate(agreements):
            if a.label is not None and a.title in titles[:i]:
                self.fail(a.label.span, f"two agreements are called \"{a.title}\": give each its own name, "
                                        "so findings and expectations can tell them apart")
        expectations = [e for st in expectation_stmts for e in self.expectations(st, titles)]
        self.done()
        return Case(self.filename, title.word if title else self.filename, schema.jurisdiction,
                    as_of.date if as_of else None, tuple(agreements), tuple(expectations), self.text,
                    tuple(settings), as_of.span if as_of else None)

    def setting(self, st: Statement, earlier: list) -> list[tuple[Value, Value]]:
        """`setting NAME VALUE`: which the policy knows is checked against the policy."""
        values = st.values()
        if len(values) != 2 or any(v.kind != "name" for v in values) or st.block is not None:
            self.fail(st.name_span, "write a setting as 'setting NAME VALUE', e.g. setting pcs_d_on_amendment after_only")
            return []
        if any(name.value == values[0].value for name, _ in earlier):
            self.fail(values[0].span, f"setting '{values[0].value}' is given twice")
            return []
        return [(values[0], values[1])]

    def schema(self, st: Statement) -> Schema:
        values = st.values()
        known = jurisdictions(self.policies)
        if len(values) != 1 or values[0].kind != "name":
            self.fail(st.span, "write the jurisdiction as one name", expected=known)
            self.done()
        name = values[0].word
        if name not in known:
            self.fail(values[0].span, f"unknown jurisdiction '{name}'", closest(name, known), known)
            self.done()
        return load_schema(name, self.policies)

    def single(self, st: Statement | None, kind: str) -> Value | None:
        if st is None:
            return None
        values = st.values()
        if len(values) != 1 or values[0].kind != kind:
            self.fail(st.name_span, f"'{st.name}' takes {TYPES[{'string': 'string', 'date': 'date'}[kind]]}")
            return None
        return values[0]

    # -- agreements and blocks ------------------------------------------------------------------
    def entity(self, st: Statement, spec: BlockSpec, schema: Schema, values=None) -> Entity:
        ident = self.next_id
        self.next_id += 1
        values = list(st.values() if values is None else values)
        label = None
        if spec.label != "none" and values and values[0].kind == "string":
            label = values.pop(0)
        elif spec.label == "required":
            self.fail(st.name_span, f"'{st.name}' needs a quoted name, like {st.name} \"…\"")
        attributes: dict[str, Attribute] = {}
        children: list[Entity] = []
        if spec.head and values:
            attributes[spec.head] = self.attribute(st, spec.attributes[spec.head], [tuple(values)], schema)
        elif values:
            self.fail(values[0].span, f"'{st.name}' takes no value here")
        seen: dict[str, Statement] = {}
        hinted: set[str | None] = set()  # names a "did you mean" already offered
        for inner in st.block or ():
            run_on = [v for g in inner.groups for v in g[1:] if v.kind == "name"
                      and (v.value in spec.attributes or v.value in spec.children)]
            if inner.name in spec.attributes and run_on and not spec.attributes[inner.name].many:
                self.fail(run_on[0].span, f"'{inner.name}' takes one value; to write several attributes on "
                          f"one line separate them with ';' ({inner.name} …; {run_on[0].value} …)")
                continue
            if inner.name in spec.attributes:
                aspec = spec.attributes[inner.name]
                if inner.block is not None:
                    self.fail(inner.name_span, f"'{inner.name}' takes values, not a block")
                if inner.name in attributes and not aspec.many:
                    first = seen[inner.name].span.line if inner.name in seen else st.span.line
                    self.fail(inner.name_span, f"'{inner.name}' is given twice (first at line {first})")
                    continue
                attr = self.attribute(inner, aspec, list(inner.groups), schema)
                if inner.name in attributes:
                    prev = attributes[inner.name]
                    attr = Attribute(attr.name, prev.items + attr.items, prev.span)
                attributes[inner.name] = attr
                seen[inner.name] = inner
            elif inner.name in spec.children:
                cspec = spec.children[inner.name]
                if not cspec.many and inner.name in seen:
                    self.fail(inner.name_span, f"'{inner.name}' is given twice (first at line {seen[inner.name].span.line})")
                    continue
                seen[inner.name] = inner
                children.append(self.entity(inner, schema.blocks[cspec.block], schema))
            else:
                hint = closest(inner.name, spec.names())
                hinted.add(hint)
                self.fail(inner.name_span, f"unknown attribute '{inner.name}' in {spec.name}", hint,
                          expected=spec.names())
        for name, aspec in spec.attributes.items():
            if aspec.required and name not in attributes and name not in hinted:
                self.fail(st.name_span, f"{spec.name} {_quoted(label)}has no '{name}' "
                          f"({aspec.fields[0].describe() if len(aspec.fields) == 1 else 'required'})")
        for name, cspec in spec.children.items():
            if cspec.required and name not in seen and name not in hinted:
                self.fail(st.name_span, f"{spec.name} {_quoted(label)}has no '{name}' block")
        ordered = tuple(attributes[a] for a in sorted(attributes))
        return Entity(ident, st.name, spec.name, label, ordered, tuple(children), st.span)

    def attribute(self, st: Statement, spec: AttributeSpec, groups: list, schema: Schema) -> Attribute:
        """Typed items of one attribute: a list or comma groups give several items (many=…)."""
        if len(spec.fields) == 1 and len(groups) == 1 and len(groups[0]) == 1 and groups[0][0].kind == "list":
            groups = [(v,) for v in groups[0][0].value]
            if not groups and spec.many:  # `on_file []`: stated, and empty
                return Attribute(spec.name, (), st.span)
        elif len(spec.fields) == 1 and len(groups) == 1 and len(groups[0]) > 1:
            groups = [(v,) for v in groups[0]]
        if not groups or not groups[0]:
            self.fail(st.name_span, f"'{st.name}' needs " + " ".join(f.describe() for f in spec.fields))
            return Attribute(spec.name, (), st.span)
        if len(groups) > 1 and not spec.many:
            self.fail(groups[1][0].span, f"'{st.name}' takes one value")
        items = []
        for group in groups:
            if len(group) != len(spec.fields):
                self.fail(group[0].span, f"'{st.name}' takes {len(spec.fields)} value(s): "
                          + ", then ".join(f.describe() for f in spec.fields) + f"; got {len(group)}")
                continue
            typed = [self.typed(v, f, schema, st.name) for v, f in zip(group, spec.fields)]
            kept = tuple(t for t in typed if t is not None)
            if len(kept) == len(typed):
                items.append(kept)
        return Attribute(spec.name, tuple(items), st.span)

    def typed(self, v: Value, f: FieldSpec, schema: Schema, attr: str) -> Value | None:
        want = f.type
        if want in _SYNTAX_KIND:
            if want == "money" and v.kind == "money" and v.money.cents < 0:
                self.fail(v.span, f"{v.text} is negative; amounts are written without a sign"
                          f" ('{attr}' is not one of the few amounts that may go the other way)")
                return None
            if v.kind == _SYNTAX_KIND[want]:  # a signed amount is an amount from here on
                return Value("money" if want == "signed_money" else want, v.value, v.span, v.text)
        elif want == "yesno":
            if v.kind == "name" and v.word.lower() in ("yes", "no"):
                return Value(want, v.word.lower(), v.span, v.text)
        elif want == "name":
            if v.kind == "name":
                return Value(want, v.value, v.span, v.text)
        elif want == "enum":
            if v.kind == "name":
                if (exact := f.spelled.get(v.word.lower())) is not None:
                    return Value(want, exact, v.span, v.text)
                self.fail(v.span, f"'{v.word}' is not a valid {f.name}", closest(v.word, f.values), f.values)
                return None
        elif want == "form":
            if v.kind in ("name", "string"):
                if (exact := schema.forms_spelled.get(v.word.lower())) is not None:
                    return Value(want, exact, v.span, v.text)
                self.fail(v.span, f"'{v.word}' is not a document known in {schema.jurisdiction}",
                          closest(v.word, schema.forms))
                return None
        self.fail(v.span, f"'{attr}' takes {f.describe()}, not {v.text!r}")
        return None

    # -- expectations -------------------------------------------------------------------------
    def expectations(self, st: Statement, titles: list[str]) -> list[Expectation]:
        agreement = None
        values = st.values()
        if values:
            if values[0].kind != "string" or values[0].word not in titles:
                self.fail(values[0].span, "expect takes the quoted name of one of the case's agreements",
                          closest(str(values[0].value), titles), [f'"{t}"' for t in titles])
            else:
                agreement = values[0].word
        if st.block is None:
            self.fail(st.name_span, "expect needs a block: expect { document PCS-D … }")
            return []
        out = []
        for line in st.block:
            out.extend(self.expect_line(line, agreement))
        return out

    def expect_line(self, st: Statement, agreement: str | None) -> list[Expectation]:
        mode, groups = "present", [list(g) for g in st.groups]
        if st.block is not None:
            self.fail(st.name_span, f"an expect line takes no block: write '{st.name} …' on one line")
            return []
        kind_name, kind_span = st.name, st.name_span
        if st.name == "not":
            mode = "absent"
            if not groups or not groups[0] or groups[0][0].kind != "name":
                self.fail(st.name_span, "write 'not <kind> <finding>', e.g. not document PCS-D")
                return []
            first = groups[0].pop(0)
            kind_name, kind_span = first.word, first.span
            if not groups[0] and len(groups) > 1:
                self.fail(first.span, f"write 'not {first.value} <finding>' with no comma after the kind")
                return []
        if kind_name not in FINDING_KINDS:
            self.fail(kind_span, f"'{kind_name}' is not a kind of finding", closest(kind_name, FINDING_KINDS),
                      FINDING_KINDS)
            return []
        if mode == "present" and len(groups) == 1 and len(groups[0]) == 1 \
                and groups[0][0].kind == "name" and groups[0][0].value == "none":
            return [Expectation("none", kind_name, (), (), agreement, st.span)]
        if mode == "present" and groups and groups[0] and groups[0][0].kind == "name" \
                and groups[0][0].value == "only":
            groups[0].pop(0)
            mode = "only"
        if not groups or not any(groups):
            self.fail(st.name_span, f"name the {kind_name}s expected, or write '{kind_name} none'")
            return []
        out = []
        for group in groups:
            texts = [v.key for v in group]
            written = [v.canonical for v in group]
            because: tuple[str, ...] = ()
            if "because" in texts:
                i = texts.index("because")
                texts, because, written = texts[:i], tuple(texts[i + 1:]), written[:i]
                if mode == "absent" or not because:
                    self.fail(group[i].span, "'because' follows an expected finding and names rule ids")
            if not texts:
                self.fail(group[0].span, f"name the {kind_name} expected")
                continue
            out.append(Expectation(mode, kind_name, tuple(texts), because, agreement, st.span, tuple(written)))
        return out


def _quoted(label: Value | None) -> str:
    return f'"{label.value}" ' if label is not None else ""
