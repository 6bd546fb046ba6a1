"""Where the grammar and the policies are: the checkout's top-level folders when run from a
checkout (so edits apply at once), the copies inside the package once installed, or the folder
named by $POS_POLICIES (or `pos --policies DIR`)."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

#: set to a folder to check cases against other policies (a policy editor's working copy)
POLICIES_ENV = "POS_POLICIES"

_CHECKOUT = Path(__file__).resolve().parent.parent


def _located(folder: str, installed: str | None = None) -> Path:
    local = _CHECKOUT / folder
    if local.is_dir() and (_CHECKOUT / "pyproject.toml").is_file():
        return local
    return Path(__file__).resolve().parent / (installed or folder)  # installed: package data beside the code


@lru_cache(maxsize=None)
def grammar_path() -> Path:
    return _located("grammar") / "case.lark"


@lru_cache(maxsize=None)
def examples_dir() -> Path:
    """The bundled example cases (cases/examples in a checkout), for the web page to start from."""
    return _located("cases/examples", "examples")


def policies_root() -> Path:
    override = os.environ.get(POLICIES_ENV)
    return Path(override).resolve() if override else _default_policies()


@lru_cache(maxsize=None)
def _default_policies() -> Path:
    return _located("policies")
