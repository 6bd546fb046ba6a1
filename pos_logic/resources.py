"""Where the grammar and the bundled policies are: the checkout's top-level folders when run
from a checkout (so edits apply at once), the copies inside the package once installed."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parent.parent


def _located(folder: str) -> Path:
    local = _CHECKOUT / folder
    if local.is_dir() and (_CHECKOUT / "pyproject.toml").is_file():
        return local
    return Path(str(resources.files(f"pos_logic.{folder}")))


@lru_cache(maxsize=None)
def grammar_path() -> Path:
    return _located("grammar") / "case.lark"


@lru_cache(maxsize=None)
def policies_root() -> Path:
    return _located("policies")
