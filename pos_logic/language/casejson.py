"""The JSON form of a case: the same statements as a case file, for systems that export contracts.

A JSON case is read into the very `Statement`s the case-file parser produces, so the schema
check, the facts and every finding are the same as for the `.pos` file it mirrors; each value
keeps the line and column it had in the JSON text, and every problem also names its JSON pointer
(`/agreements/0/compensation`). Literals inside JSON strings (amounts, dates, periods,
percentages, expect lines) are read by the case-language parser itself, one value at a time, so
the two forms accept exactly the same literals and nothing in a string can become a statement.

    >>> doc = {"jurisdiction": "arkansas", "agreements": [{"type": "contract", "name": "A",
    ...        "term": "2025-07-01 to 2026-06-30", "compensation": "$5.00",
    ...        "contractor": {"entity": "corporation"}}]}
    >>> import json
    >>> case = load_case_json(json.dumps(doc), "a.json")
    >>> case.agreements[0].title
    'A'
    >>> from pos_logic.policy.resources import bundled_policies
    >>> case_to_json(case, bundled_policies())["agreements"][0]["compensation"]
    '$5.00'
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from lark import Lark, Transformer, v_args
from lark.exceptions import UnexpectedInput

from ..errors import Diagnostic, InputError, Span, with_sources
from ..policy.resources import given
from ..tools.format import header_text
from .model import Case, Entity
from .parse import parse_text, span_of
from .schema import AttributeSpec, BlockSpec, Schema, check, jurisdictions, load_schema
from .syntax import Statement, Value

#: the keys of a JSON case, in the order a case file writes its header
CASE_KEYS = ("case", "jurisdiction", "as_of", "settings", "agreements", "expect")
#: the key of a block's quoted name (`contract "Acme" { … }` → `"name": "Acme"`)
LABEL = "name"
#: the key of an agreement's kind in the `agreements` list
TYPE = "type"

_JSON_GRAMMAR = r"""
?value: object | array | STRING -> string | NUMBER -> number
      | "true" -> true | "false" -> false | "null" -> null
object: "{" [pair ("," pair)*] "}"
pair: STRING ":" value
array: "[" [value ("," value)*] "]"
STRING: /"(\\(["\\\/bfnrt]|u[0-9a-fA-F]{4})|[^"\\\x00-\x1f])*"/
NUMBER: /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/
%import common.WS
%ignore WS
"""
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(-[A-Za-z0-9_]+)*")


@dataclass(frozen=True)
class Node:
    """A JSON value with where it stands: its span in the text and its JSON pointer."""

    kind: str  # object | array | string | number | true | false | null
    span: Span
    pointer: str = ""
    text: str = ""  #: a string's value
    number: int | float = 0
    fields: dict[str, tuple["Node", "Node"]] = field(default_factory=dict)  #: an object's (key, value)s
    items: tuple["Node", ...] = ()  #: an array's values


@lru_cache(maxsize=1)
def _json_parser() -> Lark:
    return Lark(_JSON_GRAMMAR, start="value", parser="lalr", propagate_positions=True)


@v_args(meta=True)
class _Tree(Transformer):
    """Lark's JSON tree → Nodes (pointers are filled in afterwards); duplicate keys are errors."""

    def __init__(self, filename: str):
        super().__init__()
        self.filename = filename
        self.errors: list[Diagnostic] = []

    def string(self, meta, children):
        (tok,) = children
        return Node("string", span_of(self.filename, tok), text=json.loads(str(tok)))

    def number(self, meta, children):
        (tok,) = children
        return Node("number", span_of(self.filename, tok), number=json.loads(str(tok)))

    def true(self, meta, _):
        return Node("true", span_of(self.filename, meta))

    def false(self, meta, _):
        return Node("false", span_of(self.filename, meta))

    def null(self, meta, _):
        return Node("null", span_of(self.filename, meta))

    def pair(self, meta, children):
        key, value = children
        return (Node("string", span_of(self.filename, key), text=json.loads(str(key))), value)

    def object(self, meta, children):
        out: dict[str, tuple[Node, Node]] = {}
        for pair in children:
            if pair is None:
                continue
            key, value = pair
            if key.text in out:
                self.errors.append(Diagnostic.at(key.span, f"key \"{key.text}\" is given twice"))
            out[key.text] = (key, value)
        return Node("object", span_of(self.filename, meta), fields=out)

    def array(self, meta, children):
        return Node("array", span_of(self.filename, meta), items=tuple(c for c in children if c is not None))


def _with_pointers(node: Node, pointer: str = "") -> Node:
    fields = {k: (key, _with_pointers(v, f"{pointer}/{_escape(k)}")) for k, (key, v) in node.fields.items()}
    items = tuple(_with_pointers(v, f"{pointer}/{i}") for i, v in enumerate(node.items))
    return replace(node, pointer=pointer, fields=fields, items=items)


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def read_json(text: str, filename: str) -> Node:
    """JSON text → Nodes with positions; a syntax error is an InputError at its line and column."""
    try:
        tree = _json_parser().parse(text)
    except UnexpectedInput as err:
        token = getattr(err, "token", None)
        where = f"unexpected {str(token)!r}" if token is not None else "unexpected character"
        raise InputError(with_sources([Diagnostic(filename, err.line if err.line > 0 else 1,
                                                  err.column if err.column > 0 else 1,
                                                  f"not valid JSON: {where}")], text)) from None
    builder = _Tree(filename)
    root = builder.transform(tree)
    if builder.errors:
        raise InputError(with_sources(builder.errors, text))
    return _with_pointers(root)


# -- JSON → statements ------------------------------------------------------------------------
class _Reader:
    """Nodes → Statements, guided by the jurisdiction's schema (which field is a quoted string,
    which a word, which a literal to parse); every problem is collected with its pointer."""

    def __init__(self, filename: str, text: str, policies: Path):
        self.filename, self.text, self.policies = filename, text, policies
        self.errors: list[Diagnostic] = []
        self.pointers: dict[tuple[int, int], str] = {}

    def fail(self, node: Node, message: str) -> None:
        self.errors.append(Diagnostic.at(node.span, f"{node.pointer or '/'}: {message}"))

    def note(self, node: Node) -> Node:
        self.pointers.setdefault((node.span.line, node.span.column), node.pointer or "/")
        return node

    def statements(self, root: Node) -> tuple[Statement, ...]:
        if root.kind != "object":
            self.fail(root, "a JSON case is an object with the keys " + ", ".join(CASE_KEYS))
            return ()
        out: list[Statement] = []
        fields = root.fields
        for key, (key_node, value) in fields.items():
            if key not in CASE_KEYS:
                self.errors.append(Diagnostic.at(key_node.span, f"/{_escape(key)}: unknown key \"{key}\"; "
                                                 "a JSON case has the keys " + ", ".join(CASE_KEYS)))
        schema = self.schema(fields.get("jurisdiction"), root)
        for key in ("case", "jurisdiction", "as_of"):
            if key in fields:
                key_node, value = fields[key]
                kind = "date" if key == "as_of" else "string" if key == "case" else "name"
                v = self.scalar(value, kind)
                if v is not None:
                    out.append(Statement(key, key_node.span, ((v,),), None, value.span))
        if "settings" in fields:
            out.extend(self.settings(*fields["settings"]))
        if "agreements" in fields and schema is not None:
            out.extend(self.agreements(fields["agreements"][1], schema))
        if "expect" in fields:
            out.extend(self.expect(fields["expect"][1]))
        return tuple(out)

    def schema(self, pair, root: Node) -> Schema | None:
        if pair is None:
            self.fail(root, "the case does not say its jurisdiction: add \"jurisdiction\": "
                            f"\"{(jurisdictions(self.policies) or ['arkansas'])[0]}\"")
            return None
        value = pair[1]
        known = jurisdictions(self.policies)
        if value.kind != "string" or value.text not in known:
            self.fail(value, "jurisdiction is one of " + ", ".join(known))
            return None
        return load_schema(value.text, self.policies)

    def settings(self, key_node: Node, node: Node) -> list[Statement]:
        if node.kind != "object":
            self.fail(node, "settings is an object of NAME: VALUE, e.g. {\"pcs_d_on_amendment\": \"after_only\"}")
            return []
        out = []
        for name, (name_node, value) in node.fields.items():
            n = self.word(self.note(name_node), name)
            v = self.scalar(value, "name")
            if n is not None and v is not None:
                out.append(Statement("setting", key_node.span, ((n, v),), None, name_node.span))
        return out

    def agreements(self, node: Node, schema: Schema) -> list[Statement]:
        if node.kind != "array":
            self.fail(node, "agreements is a list of objects, each with a \"type\" ("
                      + ", ".join(schema.agreements) + ")")
            return []
        out = []
        for item in node.items:
            kind = item.fields.get(TYPE)
            if kind is None or kind[1].text not in schema.agreements:
                self.fail(kind[1] if kind else item, "each agreement has a \"type\": one of "
                          + ", ".join(schema.agreements))
                continue
            out.append(self.block(kind[1].text, kind[0].span, item, schema.blocks[kind[1].text], schema,
                                  skip=(TYPE,)))
        return out

    def block(self, name: str, name_span: Span, node: Node, spec: BlockSpec, schema: Schema,
              skip=()) -> Statement:
        self.note(node)
        if node.kind != "object":
            self.fail(node, f"{name} is an object of its attributes")
            return Statement(name, name_span, (), (), node.span)
        head: tuple[tuple[Value, ...], ...] = ()
        inner: list[Statement] = []
        for key, (key_node, value) in node.fields.items():
            if key in skip:
                continue
            self.note(value)
            self.pointers.setdefault((key_node.span.line, key_node.span.column), value.pointer)
            if key == LABEL and spec.label != "none":
                label = self.scalar(value, "string")
                head = ((label,),) if label is not None else ()
            elif key in spec.attributes:
                inner.append(self.attribute(key, key_node.span, value, spec.attributes[key]))
            elif key in spec.children:
                child = spec.children[key]
                items = value.items if child.many and value.kind == "array" else (value,)
                if child.many and value.kind != "array":
                    self.fail(value, f"{key} is a list of objects (there may be several)")
                inner.extend(self.block(key, key_node.span, v, schema.blocks[child.block], schema)
                             for v in items)
            else:  # the schema check names it, with a "did you mean"
                inner.append(Statement(key, key_node.span, (), None, key_node.span))
        return Statement(name, name_span, head, tuple(inner), node.span)

    def attribute(self, name: str, name_span: Span, node: Node, spec: AttributeSpec) -> Statement:
        types = [f.type for f in spec.fields]
        if spec.many:
            if node.kind != "array":
                self.fail(node, f"{name} is a list")
                return Statement(name, name_span, (), None, node.span)
            if len(types) == 1:
                items = tuple(v for v in (self.typed(x, types[0]) for x in node.items) if v is not None)
                return Statement(name, name_span, ((Value("list", items, node.span, "[...]"),),), None, node.span)
            groups = tuple(g for g in (self.fields(x, types, name) for x in node.items) if g)
            return Statement(name, name_span, groups, None, node.span)
        group = (self.fields(node, types, name) if len(types) > 1
                 else tuple(v for v in [self.typed(node, types[0])] if v is not None))
        return Statement(name, name_span, (group,) if group else (), None, node.span)

    def fields(self, node: Node, types: list[str], name: str) -> tuple[Value, ...]:
        if node.kind != "array" or len(node.items) != len(types):
            self.fail(node, f"{name} is a list of {len(types)} values: " + ", ".join(types))
            return ()
        values = [self.typed(x, t) for x, t in zip(node.items, types)]
        typed = tuple(v for v in values if v is not None)
        return typed if len(typed) == len(values) else ()

    def typed(self, node: Node, ftype: str) -> Value | None:
        self.note(node)
        if ftype == "yesno" and node.kind in ("true", "false"):
            word = "yes" if node.kind == "true" else "no"
            return Value("name", word, node.span, word)
        if ftype == "int" and node.kind == "number":
            return self.literal(node, json.dumps(node.number))
        kind = {"string": "string", "enum": "name", "name": "name", "yesno": "name"}.get(ftype)
        if ftype == "form" and node.kind == "string":
            kind = "name" if _NAME.fullmatch(node.text) else "string"
        return self.scalar(node, kind or "literal")

    def scalar(self, node: Node, kind: str) -> Value | None:
        """A JSON string as a case value: a quoted string, a word, or a literal to parse."""
        self.note(node)
        if node.kind != "string":
            self.fail(node, f"expected a JSON string, not {node.kind}")
            return None
        if kind == "string":
            return Value("string", node.text, node.span, json.dumps(node.text))
        if kind == "name":
            return self.word(node, node.text)
        return self.literal(node, node.text, kind)

    def word(self, node: Node, text: str) -> Value | None:
        if not _NAME.fullmatch(text):
            self.fail(node, f"{text!r} is not a word (letters, digits, _ and -)")
            return None
        return Value("name", text, node.span, text)

    def literal(self, node: Node, text: str, kind: str = "literal") -> Value | None:
        """One literal read by the case parser; its errors are moved to the JSON value."""
        if "\n" in text or "\r" in text:
            self.fail(node, "a value is written on one line")
            return None
        try:
            [st] = parse_text(f"x {text}\n", self.filename)
        except (InputError, ValueError) as err:
            messages = [d.message for d in getattr(err, "diagnostics", [])] or ["not a value"]
            self.fail(node, f"{text!r}: {messages[0]}")
            return None
        values = st.values()
        if st.block is not None or len(values) != 1 or (kind == "date" and values[0].kind != "date"):
            self.fail(node, f"{text!r} is not one value" if kind != "date" else f"{text!r} is not a date")
            return None
        v = values[0]
        return Value(v.kind, v.value, node.span, v.text)

    def expect(self, node: Node) -> list[Statement]:
        if node.kind != "array":
            self.fail(node, "expect is a list of {\"agreement\": NAME (optional), \"lines\": [...]}")
            return []
        out = []
        for block in node.items:
            fields = block.fields
            if block.kind != "object" or "lines" not in fields or set(fields) - {"agreement", "lines"}:
                self.fail(block, "each expect entry is {\"agreement\": NAME (optional), \"lines\": [...]}")
                continue
            head: tuple = ()
            if "agreement" in fields:
                label = self.scalar(fields["agreement"][1], "string")
                head = ((label,),) if label is not None else ()
            lines_node = fields["lines"][1]
            if lines_node.kind != "array":
                self.fail(lines_node, "lines is a list of expect lines, e.g. \"document PCS-D\"")
                continue
            lines = [st for line in lines_node.items for st in self.expect_line(line)]
            out.append(Statement("expect", fields["lines"][0].span, head, tuple(lines), block.span))
        return out

    def expect_line(self, node: Node) -> list[Statement]:
        self.note(node)
        if node.kind != "string" or "\n" in node.text or "\r" in node.text:
            self.fail(node, "an expect line is one string, e.g. \"document PCS-D\"")
            return []
        try:
            [st] = parse_text(f"expect {{\n{node.text}\n}}\n", self.filename)
        except (InputError, ValueError) as err:
            messages = [d.message for d in getattr(err, "diagnostics", [])] or ["not an expect line"]
            self.fail(node, f"{node.text!r}: {messages[0]}")
            return []
        return [_moved(line, node.span) for line in st.block or ()]


def _moved(st: Statement, to: Span) -> Statement:
    """An expect line parsed alone, placed at the JSON string it came from."""
    def value(v: Value) -> Value:
        inner = v.value
        if v.kind == "list":
            inner = tuple(value(x) for x in v.items)
        elif v.kind == "call":
            inner = (v.call[0], tuple(value(x) for x in v.call[1]))
        return Value(v.kind, inner, to, v.text)
    return Statement(st.name, to, tuple(tuple(value(v) for v in g) for g in st.groups), None, to)


def load_case_json(text: str, filename: str, policies: Path | None = None) -> Case:
    """JSON case text → checked Case; problems carry line, column and JSON pointer.
    policies: the folder whose schemas check it (None: chosen as the CLI would)."""
    folder = given(policies)
    root = read_json(text, filename)
    reader = _Reader(filename, text, folder)
    statements = reader.statements(root)
    if reader.errors:
        raise InputError(with_sources(reader.errors, text))
    try:
        return check(statements, filename, text, folder)
    except InputError as err:
        raise InputError([_pointed(d, reader.pointers) for d in err.diagnostics]) from None


def _pointed(d: Diagnostic, pointers: dict[tuple[int, int], str]) -> Diagnostic:
    pointer = pointers.get((d.line, d.column))
    if pointer is None:
        return d
    return Diagnostic(d.file, d.line, d.column, f"{pointer}: {d.message}", d.expected, d.hint,
                      d.source_line, d.width, d.severity)


# -- case → JSON ------------------------------------------------------------------------------
def case_to_json(case: Case, policies: Path, statements: tuple[Statement, ...] | None = None) -> dict:
    """A checked case as its JSON form, by the schema in `policies` (the expect lines from the
    parsed statements when given, so `only` groups and quoted names keep their exact spelling)."""
    schema = load_schema(case.jurisdiction, policies)
    out: dict = {}
    if case.title != case.file:
        out["case"] = case.title
    out["jurisdiction"] = case.jurisdiction
    if case.as_of is not None:
        out["as_of"] = case.as_of.isoformat()
    if case.settings:
        out["settings"] = {n.value: v.value for n, v in case.settings}
    out["agreements"] = [{TYPE: a.kind, **_entity(a, schema.blocks[a.block], schema)} for a in case.agreements]
    expect = [_expect_json(st) for st in statements or () if st.name == "expect"]
    if expect:
        out["expect"] = expect
    return out


def _entity(e: Entity, spec: BlockSpec, schema: Schema) -> dict:
    out: dict = {}
    if e.label is not None:
        out[LABEL] = e.label.value
    for attr in e.attributes:
        aspec = spec.attributes[attr.name]
        items = [[_json_value(v) for v in item] for item in attr.items]
        one = len(aspec.fields) == 1
        if aspec.many:
            out[attr.name] = [i[0] for i in items] if one else items
        elif items:
            out[attr.name] = items[0][0] if one else items[0]
    for child in e.children:
        cspec = spec.children[child.kind]
        body = _entity(child, schema.blocks[cspec.block], schema)
        if cspec.many:
            out.setdefault(child.kind, []).append(body)
        else:
            out[child.kind] = body
    return out


def _json_value(v: Value):
    if v.kind == "yesno":
        return v.value == "yes"
    if v.kind == "int":
        return v.value
    if v.kind == "date":
        return v.date.isoformat()
    if v.kind == "period":
        return f"{v.period[0].isoformat()} to {v.period[1].isoformat()}"
    if v.kind in ("money", "percent"):
        return str(v.value)
    return v.value


def _expect_json(st: Statement) -> dict:
    out: dict = {}
    if st.groups:
        out["agreement"] = st.groups[0][0].value
    out["lines"] = [header_text(line) for line in st.block or ()]
    return out


# -- the published JSON Schema ----------------------------------------------------------------
_PATTERNS = {
    "money": r"^\$([0-9]{1,3}(,[0-9]{3})*|[0-9]+)(\.[0-9]{2})?$",
    "signed_money": r"^-?\$([0-9]{1,3}(,[0-9]{3})*|[0-9]+)(\.[0-9]{2})?$",
    "percent": r"^[0-9]+(\.[0-9]{1,2})?%$",
    "date": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
    "period": r"^[0-9]{4}-[0-9]{2}-[0-9]{2} to [0-9]{4}-[0-9]{2}-[0-9]{2}$",
    "name": r"^[A-Za-z_][A-Za-z0-9_]*(-[A-Za-z0-9_]+)*$",
}
_EXAMPLES = {"money": "$48,000.00", "signed_money": "-$1,200.00", "percent": "12.5%", "date": "2025-07-01",
             "period": "2025-07-01 to 2026-06-30", "name": "word"}


def json_schema(jurisdiction: str, policies: Path) -> dict:
    """The JSON Schema (draft 2020-12) of a jurisdiction's JSON cases, from its schema.toml."""
    schema = load_schema(jurisdiction, policies)
    defs: dict = {t: {"type": "string", "pattern": p, "examples": [_EXAMPLES[t]]} for t, p in _PATTERNS.items()}
    defs["yesno"] = {"anyOf": [{"type": "boolean"}, {"enum": ["yes", "no"]}]}
    defs["form"] = {"enum": sorted(schema.forms)}
    for name, block in sorted(schema.blocks.items()):
        defs[f"block.{name}"] = _block_schema(block, schema)
        if name in schema.agreements:
            agreement = _block_schema(block, schema)
            agreement["properties"] = {TYPE: {"const": name}, **agreement["properties"]}
            agreement["required"] = [TYPE, *agreement.get("required", [])]
            defs[f"agreement.{name}"] = agreement
    line = {"type": "string", "pattern": r"^[^\n\r]+$", "examples": ["document PCS-D", "violation none"]}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://pos-logic.invalid/schema/{jurisdiction}.case.json",
        "title": f"pos-logic case ({schema.title or jurisdiction})",
        "description": "A case in its JSON form: the same statements as a .pos case file "
                       "(docs/case-language.md). Amounts, dates and percentages are strings, exact.",
        "type": "object",
        "additionalProperties": False,
        "required": ["jurisdiction", "agreements"],
        "properties": {
            "case": {"type": "string", "description": "the case's title"},
            "jurisdiction": {"const": jurisdiction},
            "as_of": {"$ref": "#/$defs/date"},
            "settings": {"type": "object", "additionalProperties": {"$ref": "#/$defs/name"},
                         "description": "readings of ambiguous text (docs/interpretations.md)"},
            "agreements": {"type": "array", "minItems": 1,
                           "items": {"oneOf": [{"$ref": f"#/$defs/agreement.{a}"} for a in schema.agreements]}},
            "expect": {"type": "array", "items": {
                "type": "object", "additionalProperties": False, "required": ["lines"],
                "properties": {"agreement": {"type": "string"}, "lines": {"type": "array", "items": line}}}},
        },
        "$defs": defs,
    }


def write_json_schemas(folder: Path, policies: Path | None = None) -> list[Path]:
    """docs/schema/<jurisdiction>.case.schema.json for every jurisdiction of `policies` (None:
    chosen as the CLI would; kept fresh by a test)."""
    root = given(policies)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for j in jurisdictions(root):
        path = folder / f"{j}.case.schema.json"
        path.write_text(json.dumps(json_schema(j, root), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    return written


def _block_schema(block: BlockSpec, schema: Schema) -> dict:
    props: dict = {}
    required: list[str] = []
    if block.label != "none":
        props[LABEL] = {"type": "string", "description": "the block's quoted name"}
        if block.label == "required":
            required.append(LABEL)
    for name, a in sorted(block.attributes.items()):
        fields = [_field_schema(f.type, f.values) for f in a.fields]
        one = fields[0] if len(fields) == 1 else {"type": "array", "prefixItems": fields,
                                                   "minItems": len(fields), "maxItems": len(fields)}
        props[name] = {"type": "array", "items": one} if a.many else one
        if a.about:
            props[name] = {**props[name], "description": a.about}
        if a.required:
            required.append(name)
    for name, c in sorted(block.children.items()):
        ref = {"$ref": f"#/$defs/block.{c.block}"}
        props[name] = {"type": "array", "items": ref} if c.many else ref
        if c.required:
            required.append(name)
    out = {"type": "object", "additionalProperties": False, "properties": props}
    if block.about:
        out["description"] = block.about
    if required:
        out["required"] = required
    return out


def _field_schema(ftype: str, values: tuple[str, ...]) -> dict:
    if ftype == "enum":
        return {"enum": list(values)}
    if ftype == "int":
        return {"type": "integer", "minimum": 0, "maximum": 2**31 - 1}
    if ftype == "string":
        return {"type": "string"}
    return {"$ref": f"#/$defs/{ftype}"}
