"""Batch benchmark: N generated Arkansas cases through our checker and through plain clingo.

    python bench/batch.py --cases 10000          # generate, time every method, compare findings
    python bench/batch.py --cases 10000 --light  # one-agreement cases: the bundled example, amounts varied
    python bench/batch.py --targets              # issue 9's figures in one run, each target met or not

It writes N valid, varied case files (amounts on and around every threshold the policy names,
up to $1,000,000,000.00; several contractor entities; interests; on_file lists), then times the
whole batch once per method, each method in a fresh worker process (clingo keeps every symbol
it has seen for the life of a process, and peak RSS can only be read per process):

    cli-text     `pos check DIR` as one subprocess: process start + everything, text checklist
    cli-json     `pos check --format json --derivations DIR`: the same with full derivations, JSON
                 output (not run unless named in --methods: its output is 1-2 MB per case)
    check-d1     pos_logic.check.check_files(paths, depth=1), then the text checklist rendered
    check-full   check_files(paths, depth=None), then the JSON with every derivation rendered
    plain        load_case + pos_logic.engine.engine.run_cases(explain=False): the case-threaded rules,
                 no instrumentation, findings only
    clingo       load_case + from_case, then the plain clingo API on the case-threaded policy as
                 ASP text with every case's facts as text, one Control per chunk: the honest peer
    clingo-1     the same, but the policy files' own text and one fresh Control per case:
                 what `pos facts FILE | clingo policies/...` does, case by case
    xclingo      xclingo 2 (the best-known ASP explainer) on clingo's program and facts, every
                 rule auto-traced, every finding explained down to the case facts (not run
                 unless named in --methods: seconds a case; needs `pip install -e '.[bench]'`)
    stages       where check-d1's time goes: Lark parse, schema check, facts, engine, explain
                 depth=1 (check-full minus check-d1 is what full-depth explanations add)

Every method's findings (agreement, kind, key) must equal the checker's for every case; if any
differ the benchmark prints them and exits 1. The case vocabulary is read from the schema at run
time, so the generator keeps up with attributes added to it. The code, grammar and policies are
copied first and every process runs on the copy, so edits to the checkout during a run do not
mix versions. See bench/README.md for what each row measures and the figures on this machine.
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import functools
import importlib.util
import itertools
import json
import math
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

JURISDICTION = "arkansas"
#: thresholds the brief names; every usd(…) literal in the policy files is added at run time
BASE_THRESHOLDS = (5_000_00, 10_000_00, 25_000_00)
#: the 32-bit edge (in cents) and the largest amount generated
WRAP_EDGE = 21_474_836_47
TOP = 1_000_000_000_00
NAME_TOKEN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(-[A-Za-z0-9_]+)*")

METHODS = ("cli-text", "cli-json", "check-d1", "check-d1-2p", "check-full", "plain", "clingo", "clingo-1", "stages",
           "xclingo")
#: cli-json writes every finding's whole derivation tree: ~1 MB of JSON a one-agreement case,
#: ~2 MB a heavy one (20 GB for 10,000); xclingo takes seconds a case. Both run only when asked for.
ON_REQUEST = ("cli-json", "xclingo")
DEFAULT_METHODS = tuple(m for m in METHODS if m not in ON_REQUEST)
#: cases per XclingoControl: its explainer holds ~150 MB a case, and re-grounds the translated
#: policy per Control (~1.5 s CPU), which 10 cases share (bench/README.md, "xclingo")
XCLINGO_CHUNK = 10
LABELS = {
    "cli-text": "pos check DIR (CLI, text)",
    "cli-json": "pos check --format json DIR (CLI)",
    "check-d1": "check_files(depth=1) + text (library)",
    "check-d1-2p": "the same, chunks in 2 processes",
    "check-full": "check_files(depth=None) + JSON (library)",
    "plain": "run_cases(explain=False) (plain rules)",
    "clingo": "clingo API, threaded plain text",
    "clingo-1": "clingo API, fresh Control per case",
    "xclingo": f"xclingo 2, threaded, {XCLINGO_CHUNK} cases/Control",
}


# -- generating cases ---------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def policies() -> Path:
    """The policies folder of this bench run, chosen once as the CLI chooses it ($POS_POLICIES,
    the project, the bundled ones) and passed to the library from here on."""
    from pos_logic.policy.resources import choose_policies

    return choose_policies().root


def money_text(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}${abs(cents) // 100:,}.{abs(cents) % 100:02d}"


def policy_amounts(jurisdiction: str = JURISDICTION) -> list[int]:
    """Every usd(M,D,C) literal in the policy files, in cents: the thresholds the rules use."""
    from pos_logic.policy.policy import policy_files

    found = set()
    for path in policy_files(jurisdiction, policies()):
        for m, d, c in re.findall(r"usd\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*\)", path.read_text("utf-8")):
            found.add(int(m) * 100_000_000 + int(d) * 100 + int(c))
    return sorted(found)


def _policy_settings(jurisdiction: str) -> dict[str, tuple[str, ...]]:
    """The interpretive settings the policy declares (none if this version has no settings)."""
    from pos_logic.policy.policy import load_policy

    declared = getattr(load_policy(jurisdiction, policies()), "settings", None) or {}
    return {name: tuple(s.values) for name, s in sorted(declared.items())}


class CaseGenerator:
    """Writes random cases that pass the schema, driven by whatever the schema declares."""

    def __init__(self, seed: int, jurisdiction: str = JURISDICTION):
        from pos_logic.language.schema import load_schema

        self.rng = random.Random(seed)
        self.schema = load_schema(jurisdiction, policies())
        self.jurisdiction = jurisdiction
        thresholds = sorted(set(BASE_THRESHOLDS) | {a for a in policy_amounts(jurisdiction) if a > 0})
        edges = {t + d for t in thresholds for d in (-1, 0, 1)} | {WRAP_EDGE, WRAP_EDGE + 1, TOP, 1}
        self.boundaries = sorted(e for e in edges if 0 < e <= TOP)
        self.thresholds = set(thresholds)
        self.unvisited = list(reversed(self.boundaries))  # the first totals visit every boundary once
        self.settings = _policy_settings(jurisdiction)
        self.serial = 0
        self.stats: Counter = Counter()

    # values by type -------------------------------------------------------------------------
    def amount(self, total: bool = False) -> int:
        """Cents: on a boundary 45%, small 10%, otherwise log-uniform up to $1,000,000,000.00.
        The first totals visit every boundary once."""
        if total and self.unvisited:
            return self.unvisited.pop()
        r = self.rng.random()
        if r < 0.45:
            return self.rng.choice(self.boundaries)
        if r < 0.55:
            return self.rng.randint(1, 5_000_00)
        return min(TOP, int(10 ** self.rng.uniform(2, math.log10(TOP))))

    def date(self, lo: int = 1997, hi: int = 2027) -> dt.date:
        start = dt.date(lo, 1, 1).toordinal()
        return dt.date.fromordinal(self.rng.randint(start, dt.date(hi, 12, 31).toordinal()))

    def value(self, field, attr_name: str) -> str:
        rng, t = self.rng, field.type
        if t == "money":
            return money_text(self.amount())
        if t == "signed_money":
            return money_text(rng.choice([1, -1]) * self.amount())
        if t == "percent":
            bp = rng.choice([0, 500, 999, 1000, 1001, 2500, 5000, 10000, rng.randint(0, 10000)])
            whole, frac = divmod(bp, 100)
            return f"{whole}%" if frac == 0 else f"{whole}.{frac:02d}%"
        if t == "date":
            return self.date().isoformat()
        if t == "period":
            start = self.date()
            end = start + dt.timedelta(days=rng.choice([364, 365, 729, rng.randint(1, 1800)]))
            return f"{start.isoformat()} to {end.isoformat()}"
        if t == "int":
            return str(rng.choice([0, 1, 2, 3, 5, 10, 100, rng.randint(0, 1000)]))
        if t == "string":
            return f'"{attr_name} {rng.randint(1, 9999)}"'
        if t == "yesno":
            return rng.choice(["yes", "no"])
        if t == "name":
            return f"n{rng.randint(1, 999)}"
        if t == "enum":
            return rng.choice(field.values)
        if t == "form":
            form = rng.choice(sorted(self.schema.forms))
            return form if NAME_TOKEN.fullmatch(form) else json.dumps(form)
        raise ValueError(f"the generator does not know the schema type {t!r}")

    def attribute(self, name: str, spec) -> str:
        def item() -> str:
            return " ".join(self.value(f, name) for f in spec.fields)

        if not spec.many:
            return f"{name} {item()}"
        if len(spec.fields) == 1 and self.rng.random() < 0.1:
            self.stats[f"{name} []"] += 1
            return f"{name} []"  # "none yet": on_file [] makes every required document missing
        if len(spec.fields) == 1 and spec.fields[0].type in ("form", "enum"):
            pool = sorted(self.schema.forms) if spec.fields[0].type == "form" else list(spec.fields[0].values)
            chosen = self.rng.sample(pool, self.rng.randint(1, len(pool)))
            shown = [c if NAME_TOKEN.fullmatch(c) else json.dumps(c) for c in chosen]
            return f"{name} [{', '.join(shown)}]"
        return f"{name} " + ", ".join(item() for _ in range(self.rng.randint(1, 3)))

    # blocks ---------------------------------------------------------------------------------
    def block(self, word: str, block_name: str, indent: str, depth: int, titles: set[str]) -> list[str]:
        rng, spec = self.rng, self.schema.blocks[block_name]
        header = [word]
        if spec.label == "required" or (spec.label == "optional" and rng.random() < 0.5):
            title = f"{block_name.replace('_', ' ').title()} {rng.randint(1, 99999)}"
            while title in titles:
                title += "a"
            titles.add(title)
            header.append(json.dumps(title))
        if spec.head:
            header.append(" ".join(self.value(f, spec.head) for f in spec.attributes[spec.head].fields))
        inner = indent + "  "
        lines = [f"{indent}{' '.join(header)} {{"]
        self.stats[block_name] += 1
        attrs = {n: a for n, a in spec.attributes.items() if n != spec.head}
        money_split = "compensation" in attrs and "reimbursable" in attrs
        reimbursed = money_split and rng.random() < 0.5
        for name, aspec in attrs.items():
            if name in ("compensation", "reimbursable") and money_split:
                continue
            wanted = aspec.required or rng.random() < (0.8 if name in ("term", "entity") else 0.5)
            if wanted:
                lines.append(inner + self.attribute(name, aspec))
                if aspec.many:
                    self.stats[f"{name} lists"] += 1
        if money_split:
            total = self.amount(total=True)  # the total lands on the boundaries, not just the parts
            near = {total - t for t in self.thresholds}
            self.stats["total on a threshold"] += 0 in near
            self.stats["total a cent off one"] += bool(near & {-1, 1})
            self.stats["total over $21,474,836.47"] += total > WRAP_EDGE
            if reimbursed and total > 1:
                part = rng.choice([1, total // 10, rng.randint(1, total - 1)]) or 1
                lines.append(f"{inner}compensation {money_text(total - part)}")
                lines.append(f"{inner}reimbursable {money_text(part)}")
            else:
                lines.append(f"{inner}compensation {money_text(total)}")
        if depth < 4:
            for child, cspec in spec.children.items():
                if cspec.many:
                    count = rng.choice([1, 1, 2, 3]) if cspec.required else rng.choice([0, 0, 0, 1, 1, 2, 3])
                else:
                    count = 1 if cspec.required or rng.random() < 0.5 else 0
                for _ in range(count):
                    lines.extend(self.block(child, cspec.block, inner, depth + 1, titles))
        lines.append(f"{indent}}}")
        return lines

    def case(self) -> str:
        rng = self.rng
        self.serial += 1
        lines = [f'case "bench {self.serial}"', f"jurisdiction {self.jurisdiction}"]
        if rng.random() < 0.3:
            lines.append(f"as_of {self.date(2020, 2027).isoformat()}")
        for name, values in self.settings.items():
            if rng.random() < 0.2:
                lines.append(f"setting {name} {rng.choice(values)}")
                self.stats["setting lines"] += 1
        kinds = list(self.schema.agreements)
        titles: set[str] = set()
        for _ in range(rng.choices([1, 2, 3], weights=[85, 12, 3])[0]):
            kind = kinds[0] if rng.random() < 0.7 else rng.choice(kinds)
            lines.append("")
            lines.extend(self.block(kind, kind, "", 1, titles))
        return "\n".join(lines) + "\n"


@functools.lru_cache(maxsize=1)
def _example_text() -> str:
    return (Path(__file__).resolve().parent.parent / SINGLE_FILE).read_text(encoding="utf-8")


def light_case(gen: CaseGenerator) -> str:
    """The bundled example (one contract, ~26 lines) with its compensation, reimbursable and
    title drawn afresh: the one-agreement case the ≥ 1,000 cases/s target is about."""
    gen.serial += 1
    text = _example_text()
    text = re.sub(r'(?m)^case "[^"]*"', f'case "light {gen.serial}"', text, count=1)
    text = re.sub(r"(?m)^(\s*compensation\s+)\S+", lambda m: m.group(1) + money_text(gen.amount(True)), text, count=1)
    text = re.sub(r"(?m)^(\s*reimbursable\s+)\S+", lambda m: m.group(1) + money_text(gen.amount() // 10), text, count=1)
    # a vendor of its own: check_files sums one vendor's agreements across the files of a run
    text = re.sub(r'(?m)^(\s*(?:contract|contractor)\s+)"([^"]*)"', lambda m: f'{m.group(1)}"{m.group(2)} {gen.serial}"', text)
    gen.stats["light cases"] += 1
    return text


def generate(count: int, seed: int, folder: Path, jurisdiction: str = JURISDICTION,
             light: bool = False) -> list[Path]:
    """Write `count` case files into folder (case-00001.pos …); return their paths in order.
    light: copies of the bundled example with other amounts, not the heavy generated cases."""
    folder.mkdir(parents=True, exist_ok=True)
    gen = CaseGenerator(seed, jurisdiction)
    width = max(5, len(str(count)))
    paths = []
    for i in range(1, count + 1):
        path = folder / f"case-{i:0{width}d}.pos"
        path.write_text(light_case(gen) if light else gen.case(), encoding="utf-8")
        paths.append(path)
    generate.stats = gen.stats  # type: ignore[attr-defined]
    return paths


# -- findings in one comparable form ------------------------------------------------------------

def _titles(case) -> dict[int, str]:
    return {e.id: e.title for e in case.entities()}


def _finding_row(name: str, args, titles: dict[int, str]) -> tuple:
    from clingo import SymbolType
    from pos_logic.explain.explain import key_text

    agreement, *rest = args
    title = titles.get(agreement.number, str(agreement)) if agreement.type is SymbolType.Number else str(agreement)
    return (title, name, *(key_text(a) for a in rest))


def rows_of_results(results) -> dict[str, list]:
    return {r.case.file: sorted((f.agreement_title, f.kind, *f.key) for f in r.findings) for r in results}


def rows_of_runs(runs) -> dict[str, list]:
    out = {}
    for run in runs:
        titles = _titles(run.case)
        out[run.case.file] = sorted(_finding_row(f.head.name, f.head.arguments, titles) for f in run.firings)
    return out


def rows_of_json(doc: dict) -> dict[str, list]:
    return {c["file"]: sorted((f["agreement"], f["kind"], *f["key"]) for f in c["findings"]) for c in doc["cases"]}


def differences(reference: dict, other: dict, limit: int = 10) -> list[str]:
    out = []
    for file in sorted(set(reference) | set(other)):
        a, b = reference.get(file), other.get(file)
        if a != b:
            if a is None or b is None:
                out.append(f"{file}: present in only one run")
            else:
                sa, sb = set(map(tuple, a)), set(map(tuple, b))
                out.append(f"{file}: only in checker {sorted(sa - sb)}; only in other {sorted(sb - sa)}"
                           + ("" if sa != sb else f"; duplicates differ ({len(a)} vs {len(b)})"))
            if len(out) >= limit:
                break
    return out


# -- the methods --------------------------------------------------------------------------------

def load_all(paths):
    from pos_logic.language.load import load_case

    return [load_case(p, policies()) for p in paths]


def _finding_signatures(policy) -> list[tuple[str, int]]:
    """Every finding predicate the policy derives, with its arity once the case is threaded."""
    from pos_logic.language.model import FINDING_KINDS

    return sorted({(r.head, r.arity + 1) for r in policy.rules if r.head in FINDING_KINDS})


def _finding_shows(policy) -> str:
    """#show for every finding predicate the policy derives, with the case argument."""
    return " ".join(f"#show {name}/{n}." for name, n in _finding_signatures(policy))


def _case_text(n: int, case) -> list[str]:
    """Case n's facts as ASP text, threaded with n as the first argument (as policy.plain reads them)."""
    from pos_logic.language.facts import from_case
    from pos_logic.policy.policy import CASE_DOMAIN

    text = [f"{CASE_DOMAIN}({n})."]
    for fact in from_case(case, None, policies()):
        sym = fact.symbol
        s = str(sym)
        text.append(f"{sym.name}({n},{s[len(sym.name) + 1:]}." if sym.arguments else f"{s}({n}).")
    return text


def _store_rows(rows: dict, part, found: list[list]) -> None:
    """Case by case, the (name, arguments) findings read from a threaded model as comparable rows."""
    for case, items in zip(part, found):
        titles = _titles(case)
        rows[case.file] = sorted(_finding_row(name, args, titles) for name, args in items)


def clingo_batch(cases, policy, chunk: int, stages: dict | None = None) -> dict[str, list]:
    """The honest peer: the case-threaded policy as ASP text, every case's facts as text."""
    import clingo

    stages = {} if stages is None else stages
    # the same rules our engine grounds: the case rules threaded, and the case-independent
    # part's answer (solved once when the policy is compiled) as facts
    program = "\n".join([policy.facts, policy.plain, _finding_shows(policy)])
    rows: dict[str, list] = {}
    for start in range(0, len(cases), chunk):
        part = cases[start:start + chunk]
        t = _now()
        text = "\n".join(line for n, case in enumerate(part) for line in _case_text(n, case))
        t = _lap(stages, "facts → text", t)
        ctl = clingo.Control(["--warn=none"])
        ctl.add("base", [], program)
        ctl.add("base", [], text)
        t = _lap(stages, "clingo parse (add)", t)
        ctl.ground([("base", [])])
        t = _lap(stages, "clingo ground", t)
        found: list[list] = [[] for _ in part]
        with ctl.solve(yield_=True) as handle:
            model = next(iter(handle))
            for sym in model.symbols(shown=True):
                case_n, *args = sym.arguments
                found[case_n.number].append((sym.name, args))
        _store_rows(rows, part, found)
        _lap(stages, "clingo solve + read", t)
    return rows


def clingo_per_case(cases, policy, stages: dict | None = None) -> dict[str, list]:
    """The policy files as written plus one case's facts, one fresh Control per case."""
    import clingo
    from pos_logic.language.facts import from_case
    from pos_logic.language.model import FINDING_KINDS

    stages = {} if stages is None else stages
    program = "\n".join(p.read_text("utf-8") for p in policy.files)
    rows: dict[str, list] = {}
    for case in cases:
        t = _now()
        facts = "\n".join(f"{f.symbol}." for f in from_case(case, None, policy.root))
        t = _lap(stages, "facts → text", t)
        ctl = clingo.Control(["--warn=none"])
        ctl.add("base", [], program)
        ctl.add("base", [], facts)
        t = _lap(stages, "clingo parse (add)", t)
        ctl.ground([("base", [])])
        t = _lap(stages, "clingo ground", t)
        titles = _titles(case)
        with ctl.solve(yield_=True) as handle:
            model = next(iter(handle))
            rows[case.file] = sorted(_finding_row(s.name, s.arguments, titles)
                                     for s in model.symbols(atoms=True) if s.name in FINDING_KINDS)
        _lap(stages, "clingo solve + read", t)
    return rows


def _name_anonymous(program: str) -> str:
    """Gives every `_` in a positive literal a fresh name: xclingo 2.0b24 copies a rule's
    variables into its support atoms, where clingo rejects an anonymous one as unsafe
    (xclingo2 issue #11). A `_` under `not` keeps its meaning only unnamed, and xclingo does
    not copy it, so it stays."""
    from clingo import ast

    fresh = itertools.count(1)

    class Namer(ast.Transformer):
        def visit_Literal(self, node):
            return node if node.sign != ast.Sign.NoSign else node.update(**self.visit_children(node))

        def visit_Variable(self, node):
            return node.update(name=f"XclAnon{next(fresh)}") if node.name == "_" else node

    namer, out = Namer(), []
    ast.parse_string(program, lambda node: out.append(str(namer(node))))
    return "\n".join(out)


def xclingo_policy(policy) -> tuple[str, str]:
    """The threaded program `clingo_batch` runs, each finding marked `%!show_trace`, and xclingo's
    translation of it for its explainer (made once: it is the one-off cost our policy load is)."""
    from xclingo.preprocessor import DefaultExplainingPipeline

    shows = "\n".join(f"%!show_trace {{{name}({','.join(f'X{i}' for i in range(n))})}}."
                      for name, n in _finding_signatures(policy))
    program = "\n".join([policy.facts, _name_anonymous(policy.plain), shows])
    return program, DefaultExplainingPipeline().translate("base", program)


def xclingo_batch(cases, prepared: tuple[str, str], chunk: int, stages: dict | None = None) -> dict[str, list]:
    """The best-known ASP explainer on the same rules and facts as `clingo_batch`: xclingo 2 with
    every rule auto-traced, so each finding's explanation follows its derivation down to the
    case facts (what check_files(depth=None) gives), one XclingoControl per chunk, one model and
    one explanation. A finding counts only if xclingo's explanation graph has it."""
    import clingo
    import xclingo
    from xclingo.extensions import load_xclingo_extension

    stages = {} if stages is None else stages
    program, translation = prepared
    rows: dict[str, list] = {}
    for start in range(0, len(cases), chunk):
        part = cases[start:start + chunk]
        t = _now()
        texts = ["\n".join(_case_text(n, case)) for n, case in enumerate(part)]
        t = _lap(stages, "facts → text", t)
        ctl = xclingo.XclingoControl(["1", "--warn=none"], n_explanations="1")
        clingo.Control.add(ctl, "base", [], program)  # the solver's copy: xclingo leaves it as written
        ctl.extend_explainer("base", [], translation)
        ctl.extend_explainer("base", [], load_xclingo_extension("autotrace_all.lp"))
        for text in texts:  # one add per case: xclingo's translation is quadratic in one text's length
            ctl.add("base", [], text)
        t = _lap(stages, "xclingo add (translates the facts)", t)
        ctl.ground([("base", [])])
        t = _lap(stages, "clingo ground", t)
        found: list[list] = [[] for _ in part]
        for model in ctl.solve():
            t = _lap(stages, "clingo solve", t)
            for graph in model.explain_model():
                for sym in graph.show_trace:
                    if graph.explain(sym) is not None:
                        case_n, *args = sym.arguments
                        found[case_n.number].append((sym.name, args))
        _store_rows(rows, part, found)
        _lap(stages, "xclingo explain + read", t)
    return rows


def _now() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def _lap(stages: dict, name: str, since: tuple[float, float]) -> tuple[float, float]:
    """Add the wall and CPU seconds since `since` to stage `name`; return now."""
    now = _now()
    wall, cpu = stages.get(name, (0.0, 0.0))
    stages[name] = (wall + now[0] - since[0], cpu + now[1] - since[1])
    return now


def run_method(method: str, paths: list[Path], chunk: int | None,
               jurisdiction: str = JURISDICTION) -> tuple[float, dict, dict]:
    """Seconds for the whole batch, findings rows, and sub-stage seconds, in this process."""
    import pos_logic.check as check
    from pos_logic.engine.engine import DEFAULT_CHUNK, run_cases
    from pos_logic.language.load import load_case_text
    from pos_logic.policy.policy import load_policy

    if chunk is not None and chunk != DEFAULT_CHUNK:  # check_cases runs the engine in its default chunks
        check.run_cases = lambda cases, policy, **kw: run_cases(cases, policy, chunk=chunk, **kw)
    size = chunk or DEFAULT_CHUNK
    # One-off costs every method pays once per process, kept out of the batch time: the policy
    # (clingo.ast parse + instrumentation) and the Lark parser (grammar → tables).
    stages: dict[str, tuple[float, float]] = {}
    t = _now()
    policy = load_policy(jurisdiction, policies())
    t = _lap(stages, "setup: load policy", t)
    load_case_text(CaseGenerator(0, jurisdiction).case(), "warmup.pos", policies())
    t = _lap(stages, "setup: Lark parser + schema", t)
    if method == "xclingo":
        policy = xclingo_policy(policy)  # what xclingo_batch runs in the policy's place
        _lap(stages, "setup: xclingo translates the policy", t)

    start = _now()
    with check.collector_off():  # every row with the collector as a run of pos check has it
        seconds, rows = _run_timed(method, paths, policy, size, stages, start)
    stages["_cpu"] = time.process_time() - start[1]
    return seconds, rows, stages


def _written_rows(result, written) -> tuple:
    """A result as the 2-process row sends it back: its text, and its findings as rows to compare."""
    return written(result), rows_of_results([result])


def _run_timed(method, paths, policy, size, stages, start) -> tuple[float, dict]:
    import pos_logic.check as check
    from pos_logic.engine.engine import run_cases
    from pos_logic.explain.explain import findings_of
    from pos_logic.tester.expect import compare
    from pos_logic.language.facts import from_case
    from pos_logic.language.parse import parse_text, read_case_file
    from pos_logic.language.schema import check as schema_check

    if method in ("check-d1", "check-d1-2p", "check-full"):
        from pos_logic.render import render
        full = method == "check-full"
        rows: dict[str, list] = {}

        def noted(results):
            for r in results:
                rows.update(rows_of_results([r]))
                yield r

        # what the CLI writes (explanations are worked out as they are read): the checklist's
        # text, or the JSON with every derivation; like `pos check`, each result is written and
        # dropped as the run streams them (check.stream_files)
        if method == "check-d1-2p":  # the text is written where the case is checked, as pos check --jobs 2 does
            run = check.stream_files(paths, depth=1, policies=policies(), chunk=size, jobs=2,
                                     each=functools.partial(_written_rows, written=render.written))
            for text, case_rows in run.results:
                rows.update(case_rows)
            problems = run.problems
        else:
            run = check.stream_files(paths, depth=None if full else 1, policies=policies(), chunk=size)
            problems = run.problems
            if full:
                for _ in render.json_parts(noted(run.results), derivations=True):
                    pass
            else:
                for r in noted(run.results):
                    render.text([r])
        seconds = time.perf_counter() - start[0]
        if problems:
            raise SystemExit(f"{len(problems)} generated cases do not load: {problems[0]}")
        return seconds, rows
    if method == "stages":
        t = start
        texts = [(str(p), read_case_file(p)) for p in paths]
        t = _lap(stages, "read files", t)
        parsed = [(f, text, parse_text(text, f)) for f, text in texts]
        t = _lap(stages, "Lark parse", t)
        cases = [schema_check(st, f, text, policy.root) for f, text, st in parsed]
        t = _lap(stages, "schema check", t)
        for case in cases:
            from_case(case, None, policy.root)
        t = _lap(stages, "facts (from_case)", t)
        runs = run_cases(cases, policy, chunk=size, depth=1)
        t = _lap(stages, "engine, checklist program (incl. facts again)", t)
        results = []
        for run in runs:
            findings = findings_of(run, policy, 1)
            for f in findings:
                f.reason, f.cite  # what the checklist's line shows: worked out as they are read
            results.append((run.case, findings))
        t = _lap(stages, "explain depth=1", t)
        for case, findings in results:
            compare(case, findings)
        t = _lap(stages, "expect compare", t)
        seconds = sum(wall for k, (wall, _) in stages.items() if not k.startswith("setup"))
        return seconds, {}
    cases = load_all(paths)
    t = _lap(stages, "load cases (read, Lark, schema)", start)
    if method == "plain":
        rows = rows_of_runs(run_cases(cases, policy, chunk=size, explain=False))
        _lap(stages, "engine, plain (incl. facts)", t)
    elif method == "clingo":
        rows = clingo_batch(cases, policy, size, stages)
    elif method == "clingo-1":
        rows = clingo_per_case(cases, policy, stages)
    elif method == "xclingo":
        rows = xclingo_batch(cases, policy, min(size, XCLINGO_CHUNK), stages)
    else:
        raise SystemExit(f"unknown method {method!r}")
    return time.perf_counter() - start[0], rows


# -- workers and the parent ---------------------------------------------------------------------

#: Runs argv and reports its wall time, exit code and peak RSS. Linux carries a process's peak RSS
#: over fork and exec, so a child of this (large) parent would report at least the parent's size:
#: a fresh small interpreter forks the measured process instead. Every half second it also sums
#: the resident memory of the process and all its descendants (pages they share counted once per
#: sharer: an upper bound) and notes each descendant's CPU time, since the worker processes of
#: `stream_files(jobs=2)` are not waited for by the measured process and its rusage misses them.
_LAUNCHER = r"""
import json, os, sys, time
result, argv = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execv(argv[0], argv)
    finally:
        os._exit(127)

def descendants(root):
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append((int(entry), fields))
    found, todo = [], [root]
    while todo:
        for child, fields in children.get(todo.pop(), []):
            found.append((child, fields))
            todo.append(child)
    return found

def rss(p):
    try:
        with open(f"/proc/{p}/statm") as f:
            return int(f.read().split()[1]) * page
    except OSError:
        return 0

tree_kb, cpu_of, tick, page = 0, {}, os.sysconf("SC_CLK_TCK"), os.sysconf("SC_PAGE_SIZE") // 1024
while True:
    done, status, usage = os.wait4(pid, os.WNOHANG)
    if done:
        break
    others = descendants(pid)
    for child, fields in others:
        cpu_of[child] = (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    tree_kb = max(tree_kb, rss(pid) + sum(rss(child) for child, _ in others))
    time.sleep(0.5)
with open(result, "w") as f:
    json.dump({"seconds": time.perf_counter() - start, "code": os.waitstatus_to_exitcode(status),
               "rss_kb": usage.ru_maxrss, "cpu": usage.ru_utime + usage.ru_stime,
               "tree_kb": tree_kb, "tree_cpu": sum(cpu_of.values()), "descendants": len(cpu_of)}, f)
"""


def _spawn(argv: list[str], stdout_path: Path, env: dict | None = None) -> dict:
    """Run a process to completion; the launcher's report: wall seconds, exit code, its own peak
    RSS (kB) and CPU seconds, and its descendants' (tree_kb: the peak of its and their RSS summed)."""
    report = stdout_path.with_suffix(".rusage.json")
    with open(stdout_path, "wb") as out:
        proc = subprocess.run([sys.executable, "-c", _LAUNCHER, str(report), *argv], stdout=out,
                              stderr=subprocess.PIPE, env=env)
    err = proc.stderr.decode("utf-8", "replace")
    got = json.loads(report.read_text("utf-8"))
    if err.strip() and (got["code"] not in (0, 1) or "Traceback" in err):
        sys.stderr.write(err[-4000:])
    return got


def _pos_command() -> list[str]:
    exe = Path(sys.executable).with_name("pos")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "pos_logic"]


def measure(method: str, folder: Path, listing: Path, work: Path, chunk: int | None,
            jurisdiction: str = JURISDICTION, env: dict | None = None) -> dict:
    """One timed run of a method in a fresh process."""
    out = work / f"{method}.out"
    if method.startswith("cli-"):
        argv = _pos_command() + ["check"] + (["--format", "json", "--derivations"] if method == "cli-json" else []) \
            + [str(folder)]
        got = _spawn(argv, out, env)
        if got["code"] not in (0, 1, 3):
            raise SystemExit(f"`{' '.join(argv)}` exited {got['code']}")
        rows = rows_of_json(json.loads(out.read_text("utf-8"))) if method == "cli-json" else None
        return {"seconds": got["seconds"], "cpu": got["cpu"], "rss_mb": got["rss_kb"] / 1024, "rows": rows,
                "stages": {}, "process": got["seconds"], "tree": _tree(got)}
    result = work / f"{method}.json"
    argv = [sys.executable, str(Path(__file__).resolve()), "--worker", method, "--list", str(listing),
            "--result", str(result), "--jurisdiction", jurisdiction] + (["--chunk", str(chunk)] if chunk else [])
    got = _spawn(argv, out, env)
    if got["code"] != 0:
        raise SystemExit(f"worker {method} exited {got['code']}")
    doc = json.loads(result.read_text("utf-8"))
    rows = {k: [tuple(r) for r in v] for k, v in doc["rows"].items()} if doc["rows"] else None
    return {"seconds": doc["seconds"], "cpu": doc["stages"].pop("_cpu"), "rss_mb": got["rss_kb"] / 1024, "rows": rows,
            "stages": doc["stages"], "process": got["seconds"], "tree": _tree(got)}


def _tree(got: dict) -> dict | None:
    """A run with worker processes: their count, CPU seconds and the tree's peak memory."""
    if not got["descendants"]:
        return None
    return {"processes": got["descendants"], "cpu": got["tree_cpu"], "rss_mb": got["tree_kb"] / 1024}


def worker(args) -> None:
    import pos_logic
    from pos_logic.engine.engine import DEFAULT_CHUNK

    if args.worker == "generate":
        start = time.perf_counter()
        paths = generate(args.cases, args.seed, args.out, args.jurisdiction, args.light)
        Path(args.list).write_text("\n".join(map(str, paths)) + "\n", encoding="utf-8")
        Path(args.result).write_text(json.dumps({
            "seconds": time.perf_counter() - start, "stats": generate.stats, "chunk": DEFAULT_CHUNK,
            "code": pos_logic.__file__}), encoding="utf-8")
        return
    paths = [Path(line) for line in Path(args.list).read_text("utf-8").splitlines() if line]
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        seconds, rows, stages = run_method(args.worker, paths, args.chunk, args.jurisdiction)
        profiler.disable()
        profiler.dump_stats(args.profile)
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(35)
    else:
        seconds, rows, stages = run_method(args.worker, paths, args.chunk, args.jurisdiction)
    Path(args.result).write_text(json.dumps({
        "seconds": seconds, "rows": rows, "stages": stages, "code": pos_logic.__file__,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}), encoding="utf-8")


def table(n: int, measured: dict[str, dict]) -> str:
    head = (f"{'method':<42} {'cases':>6} {'seconds':>8} {'cases/s':>9} {'CPU s':>8} {'peak RSS MB':>12} "
            f"{'process s':>10}")
    lines = [head, "-" * len(head)]
    for method, m in measured.items():
        if method == "stages":
            continue
        rate = n / m["seconds"]
        lines.append(f"{LABELS[method]:<42} {n:>6} {m['seconds']:>8.2f} {rate:>9.{0 if rate >= 10 else 2}f} "
                     f"{m['cpu']:>8.2f} {m['rss_mb']:>12.0f} {m['process']:>10.2f}")
    for method, m in measured.items():
        if m["stages"]:
            title = "check-d1 split by stage" if method == "stages" else LABELS[method]
            lines.append(f"\n{title + ', whole batch:':<56} {'wall s':>8} {'CPU s':>8}")
            for name, (wall, cpu) in m["stages"].items():
                lines.append(f"  {name:<54} {wall:>8.3f} {cpu:>8.3f}")
            if method == "stages":
                lines.append(f"  {'total of the stages':<54} {m['seconds']:>8.3f} {m['cpu']:>8.3f}")
    return "\n".join(lines)


def snapshot(dest: Path) -> dict[str, str]:
    """Copy the pos_logic package, the grammar and the policies into dest; return the environment
    that makes a child process use the copy. Others edit the checkout while a long benchmark
    runs: every process of one run must see the same code and rules. Nothing here imports
    pos_logic, so a half-edited checkout cannot break the run once the copy is taken."""
    spec = importlib.util.find_spec("pos_logic")
    package = Path(next(iter(spec.submodule_search_locations))).resolve()
    checkout = package.parent
    shutil.copytree(package, dest / "pos_logic", ignore=shutil.ignore_patterns("__pycache__"))
    # compiled as `pip install` compiles an installed package: a process that may not write
    # bytecode (PYTHONDONTWRITEBYTECODE, set on this machine) would otherwise compile every
    # module of the copy from source, ~60 ms of each process that a user's `pos` does not pay
    compileall.compile_dir(dest / "pos_logic", quiet=1)
    if (checkout / "pyproject.toml").is_file() and (checkout / "grammar").is_dir():
        shutil.copytree(checkout / "grammar", dest / "grammar")
        shutil.copy2(checkout / "pyproject.toml", dest / "pyproject.toml")
        policies = checkout / "policies"
    else:  # an installed package carries grammar/ and policies/ inside
        policies = package / "policies"
    policies = Path(os.environ.get("POS_POLICIES") or policies).resolve()
    shutil.rmtree(dest / "policies", ignore_errors=True)
    shutil.copytree(policies, dest / "policies")
    print(f"code, grammar and policies: a copy of {checkout} (policies from {policies}) in {dest}")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(dest), *filter(None, [env.get("PYTHONPATH")])])
    env["POS_POLICIES"] = str(dest / "policies")
    return env


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=None,
                        help="how many cases (default 1000; with --targets, the heavy batch: 10000)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--jurisdiction", default=JURISDICTION, help=f"whose schema and policy (default {JURISDICTION})")
    parser.add_argument("--chunk", type=int, default=None,
                        help="cases per clingo Control (default: the engine's DEFAULT_CHUNK)")
    parser.add_argument("--out", type=Path, default=None,
                        help="folder for the cases and results (default: a temp dir, removed)")
    parser.add_argument("--methods", default=",".join(DEFAULT_METHODS),
                        help=f"comma-separated subset of {','.join(METHODS)} (default: all but {','.join(ON_REQUEST)})")
    parser.add_argument("--repeat", type=int, default=1, help="runs per method; the median is shown")
    parser.add_argument("--profile", metavar="METHOD", help="also run METHOD under cProfile (top 35 to stderr)")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--no-single", action="store_true", help="leave out the single-file pos check timing")
    parser.add_argument("--light", action="store_true",
                        help="one-agreement cases: the bundled example with amounts varied (default: heavy cases)")
    parser.add_argument("--targets", action="store_true",
                        help="every figure of issue 9 in one run (four batches, --methods ignored), then "
                             "each target with its figure and whether it is met")
    parser.add_argument("--light-cases", type=int, default=2000,
                        help="with --targets: the one-agreement batch (default 2000)")
    parser.add_argument("--rss-cases", type=int, default=100_000,
                        help="with --targets: the one-agreement batch `pos check DIR` runs for memory (default 100000)")
    parser.add_argument("--xclingo-cases", type=int, default=40,
                        help="with --targets: the heavy batch xclingo 2 runs on (default 40; needs the bench extra)")
    parser.add_argument("--list", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.cases = args.cases or (10_000 if args.targets else 1000)
    if args.worker:
        worker(args)
        return 0
    methods = [m.strip() for m in args.methods.split(",") if m.strip()]
    unknown = [m for m in methods if m not in METHODS]
    if unknown:
        parser.error(f"unknown method(s) {', '.join(unknown)}; choose from {', '.join(METHODS)}")
    if "xclingo" in methods and not args.targets and importlib.util.find_spec("xclingo") is None:
        parser.error("the xclingo method needs xclingo 2: pip install -e '.[bench]'")

    base = (args.out or Path(tempfile.mkdtemp(prefix="pos-bench-"))).resolve()
    frozen = base / "code"
    shutil.rmtree(frozen, ignore_errors=True)
    try:
        env = snapshot(frozen)
        if args.targets:
            return targets(args, base, env)
        if not args.no_single:
            print(single_line(single_check(env)), flush=True)
        return 1 if batch(args, base, env, args.cases, args.light, methods)[1] else 0
    finally:
        if args.out is None:
            shutil.rmtree(base, ignore_errors=True)


def batch(args, base: Path, env: dict, count: int, light: bool, methods: list[str],
          name: str = "") -> tuple[dict[str, dict], bool]:
    """Generate `count` cases under base/name and time each method on them in a fresh process;
    print the table, the ratios and the comparison of findings. The figures of each method, and
    whether any method's findings differ from the checker's."""
    folder, work = base / name / "cases", base / name / "results"
    for old in (folder, work):
        shutil.rmtree(old, ignore_errors=True)
    work.mkdir(parents=True)
    me = [sys.executable, str(Path(__file__).resolve())]
    common = ["--jurisdiction", args.jurisdiction] + (["--chunk", str(args.chunk)] if args.chunk else [])
    listing = work / "paths.txt"
    subprocess.run(me + ["--worker", "generate", "--cases", str(count), "--seed", str(args.seed),
                         "--out", str(folder), "--list", str(listing), "--result", str(work / "generate.json")]
                   + common + (["--light"] if light else []), env=env, check=True)
    made = json.loads((work / "generate.json").read_text("utf-8"))
    print(f"generated {count} {'one-agreement' if light else 'heavy'} cases in {folder} "
          f"({made['seconds']:.2f} s, seed {args.seed})")
    print("  " + ", ".join(f"{k} {v}" for k, v in sorted(made["stats"].items())))
    measured: dict[str, dict] = {}
    # the methods take turns, repeat after repeat: a machine whose speed drifts over minutes
    # then moves every method's median alike and leaves their ratios alone
    every: dict[str, list[dict]] = {method: [] for method in methods}
    repeat = max(1, args.repeat)
    for turn in range(repeat):
        for method in methods:
            every[method].append(measure(method, folder, listing, work, args.chunk, args.jurisdiction, env))
            run = f"  (run {turn + 1} of {repeat})" if repeat > 1 else ""
            print(f"  {method:<10} {every[method][-1]['seconds']:8.2f} s{run}", flush=True)
    for method, runs in every.items():
        best = runs[0]
        for key in ("seconds", "process", "cpu"):
            best[key] = statistics.median(r[key] for r in runs)
        best["rss_mb"] = max(r["rss_mb"] for r in runs)
        measured[method] = best
    if args.profile:
        prof = work / f"{args.profile}.prof"
        subprocess.run(me + ["--worker", args.profile, "--list", str(listing), "--result",
                             str(work / "profile.json"), "--profile", str(prof)] + common,
                       env=env, check=True)
        print(f"profile written to {prof}")

    print(f"\n{count} cases, chunk {args.chunk or made['chunk']}, median of {max(1, args.repeat)}; "
          f"'seconds' is the whole batch inside the process (CLI rows: the whole process)\n")
    print(table(count, measured))
    for method, got in measured.items():
        if got.get("tree"):
            t = got["tree"]
            print(f"{LABELS[method]}: with the {t['processes']} processes it started (fork server, workers): "
                  f"CPU {got['cpu'] + t['cpu']:.2f} s, peak {t['rss_mb']:.0f} MB (their RSS summed, sampled every 0.5 s)")
    print(ratios(measured))
    return measured, report_differences(count, measured)


#: --targets: the batches of one run, and what each measures
HEAVY_METHODS = ["check-d1-2p", "check-d1", "check-full", "clingo"]
LIGHT_METHODS = ["check-d1-2p", "check-d1", "clingo", "stages", "cli-text"]
PEER_METHODS = ["check-d1", "check-full", "clingo", "xclingo"]


def targets(args, base: Path, env: dict) -> int:
    """Issue 9's figures in one run: the single file, a heavy batch (checklist in 1 and 2
    processes, full derivations, plain clingo), a one-agreement batch (with the stage split and
    the CLI), a large one-agreement batch through `pos check DIR` for memory and linearity, and
    xclingo 2 on a few heavy cases; then every target, its figure, and whether it is met.
    Exit 1 if any batch's findings differ between methods."""
    single = single_check(env)
    print(single_line(single), flush=True)
    print(f"\n== heavy: {args.cases} generated cases ==")
    heavy, bad = batch(args, base, env, args.cases, False, HEAVY_METHODS, "heavy")
    print(f"\n== one agreement: {args.light_cases} cases ==")
    light, bad_light = batch(args, base, env, args.light_cases, True, LIGHT_METHODS, "light")
    print(f"\n== memory: {args.rss_cases} one-agreement cases through pos check DIR ==")
    big, bad_big = batch(args, base, env, args.rss_cases, True, ["cli-text"], "memory")
    shutil.rmtree(base / "memory" / "cases", ignore_errors=True)
    peer: dict[str, dict] | None = None
    bad_peer = False
    if importlib.util.find_spec("xclingo") is not None:
        print(f"\n== the peer: xclingo 2 on {args.xclingo_cases} heavy cases ==")
        peer, bad_peer = batch(args, base, env, args.xclingo_cases, False, PEER_METHODS, "peer")
    print("\n" + target_table(args, single, heavy, light, big, peer))
    return 1 if bad or bad_light or bad_big or bad_peer else 0


def target_table(args, single: dict, heavy: dict, light: dict, big: dict, peer: dict | None) -> str:
    """Each target of issue 9, the figure measured for it in this run, and yes or no."""
    def cpu(m: dict, method: str) -> float:
        return m[method]["cpu"]

    def rate(m: dict, method: str, n: int) -> float:
        return n / m[method]["seconds"]

    def within(label: str, m: dict, a: str, b: str, limit: float) -> tuple[str, str, bool]:
        """A row for 'method a takes at most `limit` times method b's CPU'."""
        return label, f"{cpu(m, a) / cpu(m, b):.2f}x", cpu(m, a) <= limit * cpu(m, b)

    n, nl, nb = args.cases, args.light_cases, args.rss_cases
    heavy_limit = 60 * n / 10_000
    parse_ms = sum(light["stages"]["stages"][k][1] for k in ("read files", "Lark parse", "schema check")) / nl * 1000
    big_run = big["cli-text"]
    big_peak = max(big_run["rss_mb"], (big_run.get("tree") or {}).get("rss_mb", 0))
    linear = rate(big, "cli-text", nb) / rate(light, "cli-text", nl)
    both = (heavy["check-d1-2p"]["seconds"] / heavy["check-d1"]["seconds"],
            light["check-d1-2p"]["seconds"] / light["check-d1"]["seconds"])
    rows = [
        ("pos check on the bundled example <= 0.3 s wall (median of 10)",
         f"{single['wall']:.3f} s", single["wall"] <= 0.3),
        within(f"checklist within 1.25x of the plain clingo API, CPU ({n} heavy)", heavy, "check-d1", "clingo", 1.25),
        within(f"checklist within 1.25x of the plain clingo API, CPU ({nl} one-agreement)", light, "check-d1", "clingo",
               1.25),
        within(f"full derivations within 3x of the checklist, CPU ({n} heavy)", heavy, "check-full", "check-d1", 3),
        (f"{n} heavy cases with checklists <= {heavy_limit:.3g} s (2 processes)",
         f"{heavy['check-d1-2p']['seconds']:.1f} s ({rate(heavy, 'check-d1-2p', n):.0f}/s; 1 process "
         f"{rate(heavy, 'check-d1', n):.0f}/s; JSON {rate(heavy, 'check-full', n):.0f}/s; "
         f"plain clingo {rate(heavy, 'clingo', n):.0f}/s)", heavy["check-d1-2p"]["seconds"] <= heavy_limit),
        ("one-agreement cases >= 1,000/s (2 processes)",
         f"{rate(light, 'check-d1-2p', nl):.0f}/s (1 process {rate(light, 'check-d1', nl):.0f}/s)",
         rate(light, "check-d1-2p", nl) >= 1000),
        (f"linear to {nb} cases (pos check DIR's cases/s within 10% of {nl} cases') within 2 GiB",
         f"{rate(big, 'cli-text', nb):.0f}/s = {linear:.2f}x; peak {big_peak:.0f} MB",
         linear >= 0.9 and big_peak <= 2048),
        ("both cores used where it pays: 2 processes / 1 process wall < 1 (heavy, one-agreement)",
         f"{both[0]:.2f}, {both[1]:.2f}", max(both) < 1),
        ("reading and schema-checking a typical file <= 0.2 ms CPU (one-agreement stage split)",
         f"{parse_ms:.2f} ms", parse_ms <= 0.2),
    ]
    if peer is not None:
        rows.append((f"checklist >= 50x faster than xclingo 2, CPU ({args.xclingo_cases} heavy)",
                     f"{cpu(peer, 'xclingo') / cpu(peer, 'check-d1'):.1f}x (full derivations, like for like: "
                     f"{cpu(peer, 'xclingo') / cpu(peer, 'check-full'):.1f}x)",
                     cpu(peer, "xclingo") >= 50 * cpu(peer, "check-d1")))
    else:
        rows.append(("checklist >= 50x faster than xclingo 2", "not run: pip install -e '.[bench]'", None))
    width = max(len(r[0]) for r in rows)
    lines = ["issue 9's targets, this run:", f"  {'target':<{width}}  {'met':<3}  measured"]
    for label, figure, met in rows:
        lines.append(f"  {label:<{width}}  {'?' if met is None else 'yes' if met else 'no':<3}  {figure}")
    return "\n".join(lines)


#: the single-file target: `pos check` on the bundled example, the whole process
SINGLE_FILE = "cases/examples/acme-counseling.pos"


def single_check(env: dict, runs: int = 10) -> dict:
    """Median wall and CPU of `pos check` on the bundled example, each run a whole process,
    after one run that fills the policy cache (as any earlier use of the policy version has)."""
    target = Path(env.get("PYTHONPATH", ".").split(os.pathsep)[0]) / SINGLE_FILE
    if not target.is_file():
        target = Path(__file__).resolve().parent.parent / SINGLE_FILE
    argv = _pos_command() + ["check", str(target)]
    subprocess.run(argv, env=env, capture_output=True)
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(argv, env=env, capture_output=True)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return {"runs": runs, "wall": statistics.median(walls), "cpu": statistics.median(cpus), "min": min(walls)}


def single_line(got: dict) -> str:
    return (f"single file: pos check {SINGLE_FILE}: median of {got['runs']} whole processes "
            f"{got['wall']:.3f} s wall, {got['cpu']:.3f} s CPU (min {got['min']:.3f} s wall)")


def ratios(measured: dict[str, dict]) -> str:
    """The issue's ratios, on CPU seconds (the figure to trust on a shared machine)."""
    cpu = {m: v["cpu"] for m, v in measured.items() if v.get("cpu")}
    pairs = [("check-d1", "clingo", "checklist / plain clingo API (target ≤ 1.25)"),
             ("check-full", "check-d1", "full derivations / checklist (target ≤ 3)"),
             ("check-d1", "plain", "checklist / our plain program"),
             ("xclingo", "check-d1", "xclingo / checklist (target ≥ 50)"),
             ("xclingo", "check-full", "xclingo / full derivations (like for like: both explain every finding down to the facts)")]
    out = [f"  {label}: {cpu[a] / cpu[b]:.2f}" for a, b, label in pairs if a in cpu and b in cpu]
    if "check-d1" in measured and "check-d1-2p" in measured:
        out.append(f"  2 processes / 1 process, wall: "
                   f"{measured['check-d1-2p']['seconds'] / measured['check-d1']['seconds']:.2f}")
    return "ratios (CPU):\n" + "\n".join(out) if out else ""


def report_differences(count: int, measured: dict[str, dict]) -> bool:
    """Print whether every method's findings equal the checker's; True if any differ."""
    reference_name = next((m for m in ("check-d1", "check-full", "cli-json") if measured.get(m, {}).get("rows")),
                          None)
    if reference_name is None:
        print("\nfindings not compared: run check-d1, check-full or cli-json as well")
        return False
    failed = False
    reference = measured[reference_name]["rows"]
    if len(reference) != count:
        print(f"\nFINDINGS DIFFER: {reference_name} reports {len(reference)} of {count} cases")
        failed = True
    for method, m in measured.items():
        if m["rows"] is None or method == reference_name:
            continue
        diff = differences(reference, m["rows"])
        if diff:
            failed = True
            print(f"\nFINDINGS DIFFER between {reference_name} and {method}:")
            print("\n".join("  " + d for d in diff))
    if not failed:
        compared = [m for m in measured if measured[m]["rows"] is not None]
        findings = sum(len(v) for v in reference.values())
        print(f"\nfindings equal for every case across {', '.join(compared)} "
              f"({findings} findings in {len(reference)} cases)")
    return failed

if __name__ == "__main__":
    sys.exit(main())
