"""A run's memory: what a checked case leaves behind is freed by reference count alone."""

import gc
from pathlib import Path

from pos_logic.check import check_files, rare_collections
from pos_logic.render.render import json_parts, text

CASES = sorted(Path("cases/arkansas").glob("*.pos"))[:40] + sorted(Path("cases/connecticut").glob("*.pos"))[:10]


def _check_and_render() -> None:
    results, problems = check_files(CASES, depth=None, policies=Path("policies"))
    assert results and not problems
    text(results)
    "".join(json_parts(results, derivations=True))


def test_a_checked_case_holds_no_reference_cycles():
    """rare_collections relies on it: a run that left cycles behind would hold every case's
    parse and explanation until the rare collection came."""
    _check_and_render()  # caches: the compiled policy, the parser, the schema
    gc.collect()
    gc.disable()
    try:
        _check_and_render()
        left = gc.collect()
    finally:
        gc.enable()
    assert left == 0


def test_the_collector_thresholds_are_put_back_after_a_run():
    before = gc.get_threshold()
    with rare_collections():
        assert gc.get_threshold()[0] >= 50_000
    assert gc.get_threshold() == before
    results, _ = check_files(CASES[:2], policies=Path("policies"))
    assert results and gc.get_threshold() == before
