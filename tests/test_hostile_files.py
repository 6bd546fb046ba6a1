"""Files that are not case files, errors that cascade, hostile names, and output that must not
depend on the run (issue 13)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pos_logic import check as check_module
from pos_logic.check import check_cases
from pos_logic.cli import main
from pos_logic.errors import InputError
from pos_logic.language.load import load_case_text

ROOT = Path(__file__).resolve().parent.parent
CASES = sorted((ROOT / "cases").rglob("*.pos"))


def _run(*args, input=None):
    return CliRunner().invoke(main, [str(a) for a in args], input=input)


# -- files ------------------------------------------------------------------------------------------

def test_files_that_are_not_case_files_are_each_a_clear_error(tmp_path):
    fifo = tmp_path / "fifo.pos"
    os.mkfifo(fifo)
    loop = tmp_path / "loop.pos"
    loop.symlink_to(loop)
    (tmp_path / "empty").mkdir()
    for path, fragment in [(tmp_path / "missing.pos", "No such file"), (tmp_path / "empty", "no case files"),
                           (fifo, "not a regular file"), (loop, "symbolic links"), ("-", "<stdin>:1:1")]:
        result = _run("check", path, input="case")
        assert result.exit_code == 2 and fragment in result.output, (path, result.output)


def test_a_run_reads_at_most_so_many_case_files(tmp_path, monkeypatch):
    monkeypatch.setattr(check_module, "MAX_CASE_FILES", 3)
    for k in range(4):
        (tmp_path / f"c{k}.pos").write_text("jurisdiction arkansas\n")
    result = _run("check", tmp_path)
    assert result.exit_code == 2 and "more than 3 case files" in result.output


# -- errors that cascade: one error, saying what to write ---------------------------------------------

CASE = ('jurisdiction arkansas\ncontract "C" {{\n division DCFS\n kind professional\n term {term}\n'
        ' compensation $5.00\n contractor {{ entity corporation }}\n}}\n')


@pytest.mark.parametrize("term, message", [
    ("2025-07-01 through 2026-06-30", "write `to`, not `through`"),
    ("2025-07-01 thru 2026-06-30", "write `to`, not `thru`"),
    ("07/01/2025 to 2026-06-30", "dates are written YYYY-MM-DD"),
    ("2025-07-01 to 07/01/2026", "dates are written YYYY-MM-DD"),
    ("01.07.2025 to 2026-06-30", "dates are written YYYY-MM-DD"),
    ("2025-07-01 to 2025-02-30", "2025-02-30 is not a real date"),
    ("2025-02-30 to 2024-06-30", "2025-02-30 is not a real date"),
])
def test_a_mistake_in_a_period_is_one_error_that_says_what_to_write(term, message):
    with pytest.raises(InputError) as err:
        load_case_text(CASE.format(term=term), "c.pos")
    [d] = err.value.diagnostics
    assert message in d.message and d.line == 5


# -- hostile names: the same findings as plain ones -------------------------------------------------------

HOSTILE = ['x). #show p/0. q(\\"', "\\\\", "a\\nb", "%*", '#include \\"/etc/passwd\\".', "violation",
           "_pos_fired", "not", ":- .", "\\\"", "€ ü \\t"]
STRING = re.compile(r'"(\\.|[^"\\\n])*"')
EXPECT_BODY = re.compile(r"^expect[^\n]*\{\n(.*?)^\}", re.M | re.S)


def _forms() -> set[str]:
    from pos_logic.language.schema import jurisdictions, load_schema

    return {f'"{form}"' for j in jurisdictions() for form in load_schema(j).forms}


def _shape(result):
    return [(f.agreement, f.kind, tuple(f.rule_ids)) for f in result.findings], len(result.misses)


def test_hostile_strings_in_every_quoted_position_give_the_plain_findings():
    """Every quoted name of every case (but form names, which mean a form, values an expect block
    quotes, and names an expect key spells bare, like `line_item_adjustment(Travel)`) becomes a hostile string; equal names
    stay equal, so the findings and the expectations met must be the same."""
    forms = _forms()
    plain, hostile = [], []
    for path in CASES:
        text = path.read_text()
        bare = set(re.findall(r"[\w.-]+", STRING.sub(" ", text)))
        expected = {m.group() for body in EXPECT_BODY.findall(text) for m in STRING.finditer(body)}
        distinct = [s for s in dict.fromkeys(m.group() for m in STRING.finditer(text))
                    if s not in forms and s not in expected and s[1:-1] not in bare]
        hostile_of = {s: f'"{HOSTILE[k % len(HOSTILE)]} {k}"' for k, s in enumerate(distinct)}
        plain.append(load_case_text(text, str(path)))
        hostile.append(load_case_text(STRING.sub(lambda m: hostile_of.get(m.group(), m.group()), text), str(path)))
    results = check_cases(plain + hostile, depth=1)
    for path, a, b in zip(CASES, results[:len(CASES)], results[len(CASES):]):
        assert _shape(a) == _shape(b), path


# -- determinism ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["text", "json"])
def test_output_is_byte_identical_across_hash_seeds(fmt):
    outputs = []
    for seed in ("0", "4242"):
        proc = subprocess.run([sys.executable, "-m", "pos_logic", "check", "--format", fmt, "cases"],
                              capture_output=True, cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": seed})
        assert proc.returncode in (0, 1), proc.stderr.decode()
        outputs.append(proc.stdout)
    assert outputs[0] == outputs[1]
