"""A run's memory: what a checked case leaves behind is freed by reference count alone."""

import gc
from pathlib import Path

from pos_logic.check import check_files, collector_off, stream_files
from pos_logic.render.render import json_parts, text

CASES = sorted(Path("cases/arkansas").glob("*.pos"))[:40] + sorted(Path("cases/connecticut").glob("*.pos"))[:10]


def _check_and_render() -> None:
    results, problems = check_files(CASES, depth=None, policies=Path("policies"))
    assert results and not problems
    text(results)
    b"".join(json_parts(results, derivations=True))


def test_a_checked_case_holds_no_reference_cycles():
    """collector_off relies on it: a run that left cycles behind would hold every case's
    parse and explanation until the run ended."""
    _check_and_render()  # caches: the compiled policy, the parser, the schema
    gc.collect()
    gc.disable()
    try:
        _check_and_render()
        left = gc.collect()
    finally:
        gc.enable()
    assert left == 0


def test_a_file_that_fails_to_load_leaves_no_reference_cycles(tmp_path):
    """A run reads broken files with the collector off too: each mistake's diagnostics, and
    the parser's recovery from it, are freed by reference count."""
    texts = ['jurisdiction arkansas\ncontract "A" {\n term 2025-07-01 to\n compensation $5.00\n}\n',
             'jurisdiction arkansas\ncontract "A" {\n bogus 3\n}\n',
             'jurisdiction arkansas\ncontract "A" {\n compensation $5.0.0\n', "@@@", ""]
    paths = []
    for i, text in enumerate(texts):
        paths.append(tmp_path / f"bad{i}.pos")
        paths[-1].write_text(text, encoding="utf-8")
    assert len(stream_files(paths, policies=Path("policies")).problems) >= len(texts)
    gc.collect()
    gc.disable()
    try:
        run = stream_files(paths, policies=Path("policies"))
        assert len(run.problems) >= len(texts) and not list(run.results)
        del run
        left = gc.collect()
    finally:
        gc.enable()
    assert left == 0


def test_the_collector_is_off_while_a_run_works_and_on_again_after():
    assert gc.isenabled()
    seen = []
    run = stream_files(CASES[:2], policies=Path("policies"), each=lambda r: seen.append(gc.isenabled()))
    assert list(run.results) and seen == [False, False]
    assert gc.isenabled()
    results, _ = check_files(CASES[:2], policies=Path("policies"))
    assert results and gc.isenabled()


def test_runs_that_overlap_leave_the_collector_as_they_found_it():
    """Runs nest (a chunk inside a run) and overlap in the web server's threads: the collector
    comes back on when the last of them ends, not when the first does, and stays off if it was off."""
    import threading

    first, second = collector_off(), collector_off()
    first.__enter__()
    started, finish = threading.Event(), threading.Event()

    def other():
        with collector_off():
            started.set()
            finish.wait(10)

    thread = threading.Thread(target=other)
    thread.start()
    started.wait(10)
    first.__exit__(None, None, None)
    assert not gc.isenabled()  # the other thread's run goes on
    finish.set()
    thread.join()
    assert gc.isenabled()
    gc.disable()
    try:
        with second:
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
