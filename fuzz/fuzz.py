"""Fuzzing harness: hostile case files through the library and the `pos` command.

    python fuzz/fuzz.py --inputs 1000 --seed 1            # a fixed budget, reproducible
    python fuzz/fuzz.py --inputs 100000 --seed 1 --save fuzz/found

Inputs are made two ways, both from the seed alone: grammar-aware generation from each
jurisdiction's schema (bench/batch.py's CaseGenerator), and mutation of every case under cases/
and of generated ones (the MUTATIONS below). Each input is written to a file and goes through
`load_case` and `check_cases` (in batches, in a worker process that is killed and restarted when
it hangs); every `--cli-every`-th input also goes through `python -m pos_logic check FILE`, whose
exit code must agree with what the library said (2 for an input error, 1 for violations or an
unmet expectation, 3 when something that applies was not checked: a status or a fact the case
leaves unstated; 0 otherwise) and whose stderr must hold no traceback.

It prints inputs tried, tracebacks (unique by the innermost pos_logic frame), wrong exit codes,
hangs and peak memory, and exits 1 if it found any traceback, wrong exit or hang. With --save,
each finding's input is kept there, to become a regression case.
"""

from __future__ import annotations

import argparse
import importlib.util
import multiprocessing
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

from pebble import ProcessExpired, concurrent

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "cases"

# -- inputs --------------------------------------------------------------------------------------

AMOUNTS = ["$0.00", "$21,474,836.47", "$21,474,836.48", "$999,999,999,999.99", "$1,000,000,000,000.00",
           "$1,000,000,000.00", "$0.01", "$-5.00", "$1.5", "$1,00.00"]
DATES = ["0001-01-01", "9999-12-31", "2023-02-29", "2024-02-29", "2025-13-01", "2025-7-1", "07/01/2025"]
PERCENTS = ["100%", "100.01%", "250%", "-5%", "0%", "12.345%", "1000001%"]
HOSTILE = ['"x). #show p/0. q("', '"\\\\"', '"a\\nb"', '"%*"', '"#include \\"/etc/passwd\\"."', '"violation"',
           '"_pos_fired"', '"\\u2028"', '"  "', '""']
MONEY = re.compile(r"\$[0-9][0-9,]*(\.[0-9]+)?")
DATE = re.compile(r"\b[0-9]{4}-[0-9]{2}-[0-9]{2}\b")
PERCENT = re.compile(r"\b[0-9]+(\.[0-9]+)?%")
STRING = re.compile(r'"(\\.|[^"\\\n])*"')
TOKEN = re.compile(r'"(\\.|[^"\\\n])*"|[^\s{}\[\](),;]+|[{}\[\](),;]')


def _load_generator():
    spec = importlib.util.spec_from_file_location("pos_bench_batch", ROOT / "bench" / "batch.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.CaseGenerator


class Inputs:
    """Every input from the seed alone: input i is the same on every run with the same seed."""

    def __init__(self, seed: int):
        from pos_logic.language.schema import jurisdictions

        self.seed = seed
        self.corpus = [p.read_bytes() for p in sorted(CASES.rglob("*.pos"))]
        generator = _load_generator()
        self.generators = [generator(seed, j) for j in jurisdictions()]

    def make(self, i: int) -> tuple[str, bytes]:
        rng = random.Random(f"{self.seed}:{i}")
        if rng.random() < 0.25:
            gen = self.generators[i % len(self.generators)]
            base = gen.case().encode()
            if rng.random() < 0.5:
                return "generated", base
        else:
            base = rng.choice(self.corpus)
        names = []
        data = base
        for _ in range(rng.choice([1, 1, 1, 2, 3])):
            name, mutate = rng.choices(MUTATIONS, weights=[w for _, _, w in MUTATIONS_W])[0]
            names.append(name)
            data = mutate(rng, data, self)
        return "+".join(names), data


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def _sub_one(rng, data: bytes, pattern: re.Pattern, choices) -> bytes:
    text = _text(data)
    found = list(pattern.finditer(text))
    if not found:
        return data
    m = rng.choice(found)
    return (text[:m.start()] + rng.choice(choices) + text[m.end():]).encode()


def byte_flip(rng, data, _):
    if not data:
        return data
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
    return bytes(out)


def _tokens(data):
    text = _text(data)
    return text, list(TOKEN.finditer(text))


def token_delete(rng, data, _):
    text, toks = _tokens(data)
    if not toks:
        return data
    m = rng.choice(toks)
    return (text[:m.start()] + text[m.end():]).encode()


def token_duplicate(rng, data, _):
    text, toks = _tokens(data)
    if not toks:
        return data
    m = rng.choice(toks)
    return (text[:m.end()] + " " + m.group() + text[m.end():]).encode()


def token_swap(rng, data, _):
    text, toks = _tokens(data)
    if len(toks) < 2:
        return data
    a, b = sorted(rng.sample(toks, 2), key=lambda m: m.start())
    return (text[:a.start()] + b.group() + text[a.end():b.start()] + a.group() + text[b.end():]).encode()


def splice_lines(rng, data, inputs):
    other = _text(rng.choice(inputs.corpus)).split("\n")
    lines = _text(data).split("\n")
    at = rng.randrange(len(lines) + 1)
    start = rng.randrange(len(other))
    return "\n".join(lines[:at] + other[start:start + rng.randint(1, 6)] + lines[at:]).encode()


def invalid_utf8(rng, data, _):
    at = rng.randrange(len(data) + 1)
    return data[:at] + rng.choice([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x80"]) + data[at:]


def nul(rng, data, _):
    at = rng.randrange(len(data) + 1)
    return data[:at] + b"\x00" + data[at:]


def bom(rng, data, _):
    return b"\xef\xbb\xbf" + data if rng.random() < 0.7 else data.replace(b"\n", b"\n\xef\xbb\xbf", 1)


def line_endings(rng, data, _):
    return data.replace(b"\n", rng.choice([b"\r\n", b"\r", b"\n\r", b"\x0c\n"]))


def long_line(rng, data, _):
    text = _text(data)
    strings = list(STRING.finditer(text))
    filler = rng.choice(["A", "é", "x "]) * rng.choice([1000, 100_000])
    if strings and rng.random() < 0.7:
        m = rng.choice(strings)
        return (text[:m.start()] + '"' + filler + '"' + text[m.end():]).encode()
    return (text + "\nname" + filler.replace(" ", "_") + "\n").encode()


def deep_nesting(rng, data, _):
    depth = rng.choice([30, 64, 65, 300, 1000])
    opener = rng.choice(["x { ", "[", "f(", "{"])
    closer = {"x { ": "}", "[": "]", "f(": ")", "{": "}"}[opener]
    return data + (opener * depth + closer * depth * rng.randint(0, 1) + "\n").encode()


def many_interests(rng, data, _):
    text = _text(data)
    m = re.search(r'contractor[^{\n]*\{', text)
    if not m:
        return data
    count = rng.choice([100, 10_000])
    block = "".join(f'\n interest "Person {k}" {{ role state_employee; link spouse; ownership 1% }}'
                    for k in range(count))
    return (text[:m.end()] + block + text[m.end():]).encode()


def many_agreements(rng, data, _):
    text = _text(data)
    m = re.search(r'(?m)^(contract|purchase_order)\b[^\n]*\{.*?^\}', text, re.S)
    if not m:
        return data
    count = rng.choice([50, 500])
    copies = "\n".join(re.sub(r'"[^"\n]*"', f'"copy {k}"', m.group(), count=1) for k in range(count))
    return (text + "\n" + copies + "\n").encode()


def many_billions(rng, data, _):
    count = rng.choice([10, 300, 2_147, 2_148])
    pos = "".join(f'purchase_order "B{k}" {{\n division DCFS\n term 2025-07-01 to 2026-06-30\n'
                  f' compensation $1,000,000,000.00\n cost_center "4410"\n contractor "V" {{ entity corporation }}\n}}\n'
                  for k in range(count))
    return (f'case "billions"\njurisdiction arkansas\n{pos}').encode() if rng.random() < 0.5 else data + pos.encode()


def amount_edge(rng, data, _):
    return _sub_one(rng, data, MONEY, AMOUNTS)


def date_edge(rng, data, _):
    return _sub_one(rng, data, DATE, DATES)


def period_reversed(rng, data, _):
    text = _text(data)
    found = list(re.finditer(r"([0-9]{4}-[0-9]{2}-[0-9]{2}) (to|through) ([0-9]{4}-[0-9]{2}-[0-9]{2})", text))
    if not found:
        return data
    m = rng.choice(found)
    word = rng.choice(["to", "to", "through", "-"])
    return (text[:m.start()] + f"{m.group(3)} {word} {m.group(1)}" + text[m.end():]).encode()


def percent_edge(rng, data, _):
    return _sub_one(rng, data, PERCENT, PERCENTS)


def hostile_string(rng, data, _):
    return _sub_one(rng, data, STRING, HOSTILE)


MUTATIONS_W = [
    ("byte flip", byte_flip, 10), ("token deletion", token_delete, 10), ("token duplication", token_duplicate, 8),
    ("token swap", token_swap, 8), ("spliced lines", splice_lines, 8), ("invalid UTF-8", invalid_utf8, 3),
    ("NUL", nul, 2), ("BOM", bom, 2), ("line endings", line_endings, 4), ("long line", long_line, 2),
    ("deep nesting", deep_nesting, 2), ("10,000 interests", many_interests, 0.05),
    ("500 agreements", many_agreements, 0.1), ("many $1,000,000,000.00", many_billions, 0.1),
    ("amount edge", amount_edge, 10), ("date edge", date_edge, 10), ("period reversed", period_reversed, 5),
    ("percent edge", percent_edge, 5), ("hostile string", hostile_string, 6),
]
MUTATIONS = [(name, f) for name, f, _ in MUTATIONS_W]


# -- running ---------------------------------------------------------------------------------------

def _where(exc: BaseException) -> str:
    """The innermost frame in pos_logic (else the innermost): a traceback's identity."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "pos_logic" in f.filename] or frames
    f = ours[-1] if ours else None
    return f"{type(exc).__name__} at {Path(f.filename).name}:{f.lineno}" if f else type(exc).__name__


def _library(paths: list[str]) -> list[tuple[str, str]]:
    """Per input: ("input-error" | "violations" | "incomplete" | "clean" | "traceback", detail)."""
    from pos_logic.check import check_cases
    from pos_logic.errors import PosError
    from pos_logic.language.load import load_case

    out: list[tuple[str, str] | None] = [None] * len(paths)
    loaded = []
    for k, path in enumerate(paths):
        try:
            loaded.append((k, load_case(path)))
        except PosError:
            out[k] = ("input-error", "")
        except Exception as exc:  # noqa: BLE001 - what the harness is for
            out[k] = ("traceback", _where(exc))
    for group in ([loaded] if len(loaded) > 1 else []) + [[one] for one in loaded]:
        if all(out[k] is not None for k, _ in group):
            continue
        try:
            results = check_cases([c for _, c in group], depth=1)
        except PosError:
            if len(group) == 1:
                out[group[0][0]] = ("input-error", "")
            continue  # one by one next, to know which
        except Exception as exc:  # noqa: BLE001
            if len(group) == 1:
                out[group[0][0]] = ("traceback", _where(exc))
            continue
        for (k, _), result in zip(group, results):
            out[k] = ("violations" if result.violations or result.misses else
                      "incomplete" if result.incomplete else "clean", "")
        if len(group) > 1:
            break
    return [o or ("traceback", "unclassified") for o in out]


def _warm() -> None:
    """Parser and policies loaded once here, so every forked worker starts with them."""
    from pos_logic.language.load import load_case_text
    from pos_logic.policy.policy import load_policy
    from pos_logic.language.schema import jurisdictions

    for j in jurisdictions():
        load_policy(j)
    try:
        load_case_text("jurisdiction arkansas\n", "warm.pos")
    except Exception:  # noqa: BLE001 - only the parser's warm-up matters
        pass


def run_batch(paths: list[str], timeout: float) -> list[tuple[str, str]] | None:
    """The library's verdicts in a fresh child process; None if it did not finish in time."""
    run = concurrent.process(timeout=timeout, mp_context=multiprocessing.get_context("fork"))(_library)
    try:
        return run(paths).result()
    except TimeoutError:
        return None
    except ProcessExpired as died:  # the child died (out of memory, a signal): a crash of each input
        return [("traceback", f"worker died (exit {died.exitcode})")] * len(paths)


def cli_verdict(path: str, timeout: float) -> tuple[int | None, str]:
    try:
        proc = subprocess.run([sys.executable, "-m", "pos_logic", "check", path], capture_output=True,
                              text=True, errors="replace", timeout=timeout, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return None, ""
    return proc.returncode, proc.stderr


EXIT = {"input-error": 2, "violations": 1, "incomplete": 3, "clean": 0}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=int, default=1000, help="how many inputs to try")
    parser.add_argument("--start", type=int, default=0,
                        help="first input number (each input is made from the seed and its number alone, "
                             "so a long run splits into ranges run side by side)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch", type=int, default=100, help="inputs per worker process")
    parser.add_argument("--cli-every", type=int, default=50, help="every Nth input also through the CLI")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds one input may take before it is a hang")
    parser.add_argument("--save", type=Path, help="keep each finding's input in this folder")
    parser.add_argument("--progress", action="store_true", help="a line of running totals after every batch")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))

    inputs = Inputs(args.seed)
    _warm()
    started = time.time()
    tracebacks: dict[str, list[str]] = {}
    wrong: list[str] = []
    hangs: list[str] = []
    kinds: Counter = Counter()
    verdicts: Counter = Counter()
    with tempfile.TemporaryDirectory(prefix="pos-fuzz-") as tmp:
        for first in range(args.start, args.inputs, args.batch):
            ids = list(range(first, min(first + args.batch, args.inputs)))
            made = {i: inputs.make(i) for i in ids}
            paths = {}
            for i in ids:
                paths[i] = os.path.join(tmp, f"input-{i}.pos")
                with open(paths[i], "wb") as f:
                    f.write(made[i][1])
                kinds[made[i][0].split("+")[0]] += 1
            results = run_batch([paths[i] for i in ids], args.timeout * 4)
            if results is None:  # one by one, to find the input that hangs
                results = []
                for i in ids:
                    one = run_batch([paths[i]], args.timeout)
                    if one is None:
                        hangs.append(_keep(args.save, i, made[i], "hang"))
                        results.append(("hang", ""))
                    else:
                        results.extend(one)
            for i, (verdict, detail) in zip(ids, results):
                verdicts[verdict] += 1
                if verdict == "traceback":
                    tracebacks.setdefault(detail, []).append(_keep(args.save, i, made[i], "traceback"))
                if i % args.cli_every == 0 and verdict in EXIT:
                    code, err = cli_verdict(paths[i], args.timeout)
                    if code is None:
                        hangs.append(_keep(args.save, i, made[i], "cli-hang"))
                    elif code != EXIT[verdict] or "Traceback" in err:
                        wrong.append(_keep(args.save, i, made[i], f"cli-exit-{code}-library-{verdict}"))
                    verdicts["through the CLI"] += 1
            for i in ids:
                os.unlink(paths[i])
            if args.progress:
                print(f"[{ids[-1] + 1:,} inputs, {time.time() - started:,.0f} s] tracebacks {len(tracebacks)}, "
                      f"wrong exits {len(wrong)}, hangs {len(hangs)}; " +
                      ", ".join(f"{k} {n:,}" for k, n in sorted(verdicts.items())), file=sys.stderr, flush=True)
    peak = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
               resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) / 1024
    span = f"inputs {args.start:,}-{args.inputs - 1:,}, " if args.start else ""
    print(f"inputs tried:      {args.inputs - args.start:,} ({span}seed {args.seed}) in {time.time() - started:,.0f} s")
    print("  by first mutation: " + ", ".join(f"{k} {n:,}" for k, n in sorted(kinds.items())))
    print("  verdicts:          " + ", ".join(f"{k} {n:,}" for k, n in sorted(verdicts.items())))
    print(f"tracebacks:        {len(tracebacks)} unique")
    for where, seen in sorted(tracebacks.items()):
        print(f"  {where}: {len(seen)} input(s), e.g. {seen[0]}")
    print(f"wrong exit codes:  {len(wrong)}" + "".join(f"\n  {w}" for w in wrong[:20]))
    print(f"hangs:             {len(hangs)}" + "".join(f"\n  {h}" for h in hangs[:20]))
    print(f"peak memory:       {peak:,.0f} MB (largest process)")
    return 1 if tracebacks or wrong or hangs else 0


def _keep(folder: Path | None, i: int, made: tuple[str, bytes], what: str) -> str:
    label = f"input {i} ({made[0]}): {what}"
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{what}-{i}.pos"
        path.write_bytes(made[1])
        label += f" -> {path}"
    return label


if __name__ == "__main__":
    sys.exit(main())
