"""A jurisdiction's case vocabulary, from its schema.toml: the blocks a case may use, their
attributes with types and allowed values, and the documents it knows. `pos schema` prints it;
docs/vocabulary/<jurisdiction>.md is generated from it, so the docs never drift from the schema.

    >>> "compensation" in markdown("arkansas")
    True
"""

from __future__ import annotations

from pathlib import Path

from .schema import AttributeSpec, BlockSpec, Schema, load_schema


def _type(a: AttributeSpec) -> str:
    parts = []
    for f in a.fields:
        parts.append(f.type + (f" ({', '.join(f.values)})" if f.values else ""))
    return " + ".join(parts)


def _flags(required: bool, many: bool) -> str:
    return ", ".join(w for w, on in (("required", required), ("many", many)) if on) or "optional"


def _order(schema: Schema) -> list[BlockSpec]:
    """Agreements first, then every block reachable from them, in the order first reached."""
    seen: list[str] = []
    todo = list(schema.agreements)
    while todo:
        name = todo.pop(0)
        if name in seen or name not in schema.blocks:
            continue
        seen.append(name)
        todo.extend(c.block for c in schema.blocks[name].children.values())
    seen += sorted(set(schema.blocks) - set(seen))
    return [schema.blocks[n] for n in seen]


def text(jurisdiction: str, policies: Path | None = None) -> str:
    """The vocabulary for a terminal (policies None: chosen as the CLI would)."""
    schema = load_schema(jurisdiction, policies)
    out = [f"{schema.jurisdiction}: {schema.title}", f"agreements: {', '.join(schema.agreements)}", ""]
    for block in _order(schema):
        out.append(f"{block.name}" + (f" \"LABEL\" ({block.label} label)" if block.label != "none" else "")
                   + (f"  head value: {block.head}" if block.head else ""))
        if block.about:
            out.append(f"  {block.about}")
        for a in block.attributes.values():
            out.append(f"  {a.name:<24} {_type(a)}  [{_flags(a.required, a.many)}]")
            if a.about:
                out.append(f"  {'':<24} {a.about}")
        for c in block.children.values():
            out.append(f"  {c.name:<24} {{ … }} block {c.block}  [{_flags(c.required, c.many)}]")
        out.append("")
    if schema.forms:
        out.append("documents:")
        out.extend(f"  {name:<24} {about}" for name, about in sorted(schema.forms.items()))
    return "\n".join(out).rstrip("\n") + "\n"


def _cell(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", " ")


def markdown(jurisdiction: str, policies: Path | None = None) -> str:
    """The vocabulary page docs/vocabulary/<jurisdiction>.md (policies None: chosen as the CLI would)."""
    schema = load_schema(jurisdiction, policies)
    out = [f"# Case vocabulary: {schema.jurisdiction}", "",
           f"{schema.title}. Generated from `policies/{schema.jurisdiction}/schema.toml` by "
           f"`pos schema {schema.jurisdiction} --write docs/vocabulary/{schema.jurisdiction}.md`; "
           "do not edit by hand. How to write a case: [case-language.md](../case-language.md).", "",
           f"Agreements (the blocks a case starts with): {', '.join(f'`{a}`' for a in schema.agreements)}.", ""]
    for block in _order(schema):
        out.append(f"## `{block.name}`")
        out.append("")
        if block.about:
            out.extend([_cell(block.about), ""])
        out.append(f"Label (a quoted name after the word): {block.label}."
                   + (f" Head value (a value right after the word) sets `{block.head}`." if block.head else ""))
        out.append("")
        out.append("| attribute | type | | meaning |")
        out.append("| --- | --- | --- | --- |")
        for a in block.attributes.values():
            out.append(f"| `{a.name}` | {_cell(_type(a))} | {_flags(a.required, a.many)} | {_cell(a.about)} |")
        for c in block.children.values():
            out.append(f"| `{c.name} {{ … }}` | block [`{c.block}`](#{c.block}) | {_flags(c.required, c.many)} | |")
        out.append("")
    if schema.forms:
        out.extend(["## Documents", "", "| name | document |", "| --- | --- |"])
        out.extend(f"| `{name}` | {_cell(about)} |" for name, about in sorted(schema.forms.items()))
        out.append("")
    return "\n".join(out)
