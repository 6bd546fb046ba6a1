"""The `$ pos …` examples in the docs, re-run: `python -m pos_logic.tools.doc_examples` says which
example's pasted output differs from what pos prints now; `--write` pastes the real output.

An example is a fenced block whose first line starts with `$ `: each `$ COMMAND` line is run by
bash in docs/examples/ (where the example case files are, with `cases` linking to the pinned
cases), standard error merged into standard output as a terminal shows them, and the lines up
to the next `$ ` are its output. The policies line (`policies: … (revision, digest …)`) changes
with every commit and is written as `policies: policies (REVISION)` (in JSON, `REVISION` and
`DIGEST`); paths inside this checkout are written relative to it. An example that names a
file or folder that docs/examples does not have, pipes into a program this machine lacks
(jq), runs `pos diff` (whose output depends on
uncommitted edits), or follows a `<!-- example: not run -->` line (it shows a state of the
policies the repository is not in) is listed as skipped, not checked.
"""

from __future__ import annotations

import atexit
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

from ..policy.policy_cache import CACHE_ENV

ROOT = Path(__file__).resolve().parent.parent.parent
DOCS = ("README.md", "docs/cli.md", "docs/case-language.md", "docs/tools.md", "docs/policies.md")
HERE = ROOT / "docs" / "examples"
_BLOCK = re.compile(r"^(<!-- example: not run -->\n)?```[a-z]*\n(\$ .*?)^```", re.S | re.M)
_HEADER = re.compile(r"^policies: .*$", re.M)


def _normal(text: str) -> str:
    """What does not belong in a doc: this checkout's absolute path, the git revision and the
    digest of the policies (they change with every commit)."""
    text = _HEADER.sub("policies: policies (REVISION)", text)
    text = text.replace(ROOT.as_posix() + "/", "")
    text = re.sub(r'"revision": "[^"]*"', '"revision": "REVISION"', text)
    return re.sub(r'"digest": "[0-9a-f]{64}"', '"digest": "DIGEST"', text)


def _runnable(command: str) -> bool:
    lexer = shlex.shlex(command, posix=True, punctuation_chars="|>")
    lexer.whitespace_split = True
    tokens = list(lexer)
    tools = [tokens[i + 1] for i, t in enumerate(tokens[:-1]) if t == "|"]
    if any(shutil.which(tool) is None for tool in tools):  # jq, grep, head: not on every machine
        return False
    words = tokens[:next((i for i, t in enumerate(tokens) if t in ("|", ">", "2>")), len(tokens))]
    if words[:1] != ["pos"]:
        return words[:2] == ["echo", "$?"]
    if "diff" in words[1:3]:
        return False
    paths = [w for w in words[1:] if w.endswith(".pos") or w in ("my-policies", "broken-policies", "bad-rules")
             or "/" in w]
    return all((HERE / p).exists() for p in paths)


@lru_cache(maxsize=1)
def _cache() -> str:
    """One compiled-policy cache for a run's examples, outside the docs (HOME is docs/examples)."""
    folder = tempfile.mkdtemp(prefix="pos-doc-examples-")
    atexit.register(shutil.rmtree, folder, True)
    return folder


def run_block(block: str) -> str | None:
    """The block as it reads when its commands run now, or None when it cannot be run here."""
    commands = [line[2:] for line in block.splitlines() if line.startswith("$ ")]
    if not all(_runnable(c) for c in commands):
        return None
    pos = f'pos() {{ {shlex.quote(sys.executable)} -m pos_logic "$@"; }}'
    script = [pos, "exec 2>&1"]
    for i, command in enumerate(commands):
        script += [f"echo '@@{i}@@'", command]
    done = subprocess.run(["bash", "-c", "\n".join(script)], cwd=HERE, capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "HOME": str(HERE), "LC_ALL": "C.UTF-8",
                               "COLUMNS": "100", CACHE_ENV: _cache()})
    parts = re.split(r"^@@\d+@@\n", done.stdout, flags=re.M)[1:]
    out = []
    for command, text in zip(commands, parts):
        out.append(f"$ {command}\n{_normal(text)}")
    return "".join(out)


def check(write: bool = False) -> tuple[list[str], list[str]]:
    """(stale examples as `file:line`, skipped examples); with write, stale ones are rewritten."""
    stale, skipped = [], []
    for name in DOCS:
        path = ROOT / name
        text = path.read_text(encoding="utf-8")
        pieces, last = [], 0
        for m in _BLOCK.finditer(text):
            where = f"{name}:{text.count(chr(10), 0, m.start()) + 1}"
            real = None if m.group(1) else run_block(m.group(2))
            pieces.append(text[last:m.start(2)])
            if real is None:
                skipped.append(where)
                pieces.append(m.group(2))
            else:
                if _normal(m.group(2)) != real:
                    stale.append(where)
                pieces.append(real)
            last = m.end(2)
        pieces.append(text[last:])
        if write and "".join(pieces) != text:
            path.write_text("".join(pieces), encoding="utf-8")
    return stale, skipped


def main() -> int:
    write = "--write" in sys.argv[1:]
    stale, skipped = check(write)
    for where in stale:
        print(f"{where}: {'rewritten' if write else 'output differs from a real run'}")
    for where in skipped:
        print(f"{where}: skipped (names a file docs/examples does not have, or runs pos diff)")
    return 1 if stale and not write else 0


if __name__ == "__main__":
    sys.exit(main())
