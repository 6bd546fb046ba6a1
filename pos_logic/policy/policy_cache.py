"""A compiled policy kept on disk between processes, keyed by what it was compiled from.

The key is a SHA-256 of the package version, clingo's version, the checker's own source, the
policy folder's path and the bytes of every file under the policy folders it reads (`common/` and the jurisdiction's):
every process hashes them again before it looks, so an edited rule file, schema or checker
is a different key and is compiled afresh; nothing is ever invalidated by time or by trust.
An entry is written to a private folder through a temporary file and an atomic rename, so a
reader sees a whole entry or none; one that cannot be read is compiled again.

The folder is $POS_CACHE_DIR, else $XDG_CACHE_HOME/pos-logic, else ~/.cache/pos-logic; if it
cannot be written the policy is compiled in every process, as if there were no cache.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

import clingo

from .. import __version__

CACHE_ENV = "POS_CACHE_DIR"
#: entries kept per jurisdiction (other checkouts and branches share the folder)
KEEP = 8


def cache_dir() -> Path:
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "pos-logic"


@lru_cache(maxsize=None)
def _code_digest() -> bytes:
    """The checker's own source: a change to how policies compile is a new key."""
    digest = hashlib.sha256(f"{__version__}\0{clingo.__version__}".encode())
    package = Path(__file__).resolve().parent.parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.digest()


def policy_key(jurisdiction: str, root: Path) -> str:
    """The key of a jurisdiction's compiled policy: the code and every file it is compiled from."""
    digest = hashlib.sha256(_code_digest() + str(root.resolve()).encode())  # compiled rules name their files
    for folder in ("common", jurisdiction):
        for path in sorted((root / folder).rglob("*")):
            if path.is_file():
                digest.update(f"{folder}/{path.relative_to(root / folder)}".encode() + b"\0")
                digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def cached(jurisdiction: str, key: str, compile_: Callable[[], Any]) -> Any:
    """The entry for `key`, compiled and stored if there is none (or it cannot be read)."""
    folder = cache_dir()
    path = folder / f"{jurisdiction}-{key}.pickle"
    try:
        with path.open("rb") as f:
            return pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        pass
    value = compile_()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=folder, prefix=".tmp-", delete=False) as out:
            pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(out.name, path)
        _prune(folder, jurisdiction)
    except OSError:
        pass  # a read-only home: compile in every process
    return value


def _prune(folder: Path, jurisdiction: str) -> None:
    """Keep the newest KEEP entries of a jurisdiction."""
    entries = sorted(folder.glob(f"{jurisdiction}-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP:]:
        old.unlink(missing_ok=True)
