"""Hostile rule folders and runaway policies (issue 13): a shared policy folder cannot run code or
read files outside itself, whichever command loads it; a policy that grounds without end stops at
a limit; a policy with no answer or several is an error naming its rules."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from pos_logic.cli import main
from pos_logic.engine.engine import DEFAULT_CHUNK

ROOT = Path(__file__).resolve().parent.parent
CASE = 'jurisdiction testland\ncontract "C" {\n term 2024-01-01 to 2024-12-31\n compensation $5.00\n}\n'

#: each payload would write MARKER if clingo ran it
PAYLOADS = {
    "#script": ('#script (python)\nimport pathlib\npathlib.Path("{marker}").write_text("ran")\n#end.\n', "#script"),
    "@-term": ('#script (python)\nimport pathlib\ndef go():\n    pathlib.Path("{marker}").write_text("ran")\n'
               '    return 1\n#end.\n', "#script"),
    "@-term alone": ('ran(@go()) :- agreement(_).\n', "'@go': a policy must not call code"),
    "#include outside": ('#include "{outside}".\n', "#include"),
    "#include after a comment": ('%* x *% #include "{outside}".\n', "#include"),
    "#external": ("#external ran(1).\n", "#external"),
    "#const": ("#const n = 3.\n", "#const"),
}
COMMANDS = [("check", "{case}"), ("explain", "{case}"), ("test", "{case}"), ("rules", "testland"),
            ("lint", "{policies}"), ("facts", "{case}")]


def _hostile(testland: Path, tmp_path: Path, payload: str) -> Path:
    marker = tmp_path / "MARKER"
    outside = tmp_path / "outside.lp"
    outside.write_text(f'#script (python)\nimport pathlib\npathlib.Path("{marker}").write_text("ran")\n#end.\n')
    (testland / "testland" / "payload.lp").write_text(payload.format(marker=marker, outside=outside))
    return marker


@pytest.mark.parametrize("name", sorted(PAYLOADS))
@pytest.mark.parametrize("command, target", COMMANDS)
def test_a_rule_folder_cannot_run_code_under_any_command(testland, tmp_path, name, command, target):
    text, fragment = PAYLOADS[name]
    marker = _hostile(testland, tmp_path, text)
    case = tmp_path / "c.pos"
    case.write_text(CASE)
    args = ["--policies", str(testland), command, target.format(case=case, policies=testland)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == (1 if command == "lint" else 2), result.output  # lint: a finding
    assert fragment in result.output
    assert not marker.exists()


def test_a_schema_that_is_a_link_outside_the_folder_is_refused(testland, tmp_path):
    elsewhere = tmp_path / "elsewhere.toml"
    schema = testland / "testland" / "schema.toml"
    elsewhere.write_text(schema.read_text())
    schema.unlink()
    schema.symlink_to(elsewhere)
    case = tmp_path / "c.pos"
    case.write_text(CASE)
    for args in (["check", str(case)], ["facts", str(case)], ["rules", "testland"]):
        result = CliRunner().invoke(main, ["--policies", str(testland), *args])
        assert result.exit_code == 2 and "outside the policy folder" in result.output, (args, result.output)


def test_a_rule_that_contradicts_itself_is_named(testland, tmp_path):
    (testland / "testland" / "liar.lp").write_text(
        "%@ means: the contract is odd\nodd(A) :- agreement(A), not odd(A).\n")
    case = tmp_path / "c.pos"
    case.write_text(CASE)
    result = CliRunner().invoke(main, ["--policies", str(testland), "check", str(case)])
    assert result.exit_code == 2 and "odd (policies/testland/liar.lp:2:1)" in result.output
    assert "no violations" not in result.output


def test_a_rule_set_that_cannot_decide_a_case_is_an_error_not_a_pass(testland, tmp_path):
    (testland / "testland" / "either.lp").write_text(
        "%@ means: one way\nleft(A) :- agreement(A), not right(A).\n"
        "%@ means: the other way\nright(A) :- agreement(A), not left(A).\n")
    case = tmp_path / "c.pos"
    case.write_text(CASE)
    result = CliRunner().invoke(main, ["--policies", str(testland), "check", str(case)])
    assert result.exit_code == 2 and "several" in result.output, result.output
    assert "left (policies/testland/either.lp:2:1)" in result.output and "right (" in result.output
    assert "no violations" not in result.output


EXPLODING = "%@ means: a grid\ngrid(A, X, Y, Z) :- agreement(A), X = 1..3000, Y = 1..3000, Z = 1..3000.\n"


@pytest.mark.parametrize("limit, fragment", [(["--time-limit", "3"], "time limit of 3 s"),
                                             (["--memory-limit", "400"], "memory limit")])
def test_a_policy_that_explodes_in_grounding_stops_at_the_limit(testland, tmp_path, limit, fragment):
    (testland / "testland" / "grid.lp").write_text(EXPLODING)
    case = tmp_path / "boom.pos"
    case.write_text(CASE)
    proc = subprocess.run([sys.executable, "-m", "pos_logic", "--policies", str(testland), *limit,
                           "check", str(case)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert fragment in proc.stderr and "boom.pos" in proc.stderr and "Traceback" not in proc.stderr


#: a run of eight one-case chunks, each ~0.5 s (its text is written slowly), under a 2 s limit
_LONG_RUN = """
import sys, time
from pathlib import Path
from pos_logic.check import stream_files
from pos_logic.engine import limits
from pos_logic.policy.policy import load_policy
load_policy("arkansas", Path(sys.argv[1]))  # compiled once, before the clock starts
lift = limits.install(2.0)
def slowly(result):
    time.sleep(0.5)
    return result.case.file
run = stream_files(sys.argv[2:], depth=1, chunk=1, each=slowly, policies=Path(sys.argv[1]))
print(len(list(run.results)), "checked")
lift()
"""


def test_the_time_limit_bounds_each_chunk_not_the_whole_run(tmp_path):
    """A state's contract book is hours of chunks: the limit is the longest a chunk (or what comes
    before the first) may take, each chunk done starts it again, so a healthy run longer than the
    limit is not stopped as a runaway policy (it was, after --time-limit seconds in all)."""
    files = []
    for n in range(8):
        files.append(tmp_path / f"case-{n}.pos")
        files[-1].write_text((ROOT / "cases" / "examples" / "acme-counseling.pos").read_text())
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", _LONG_RUN, str(ROOT / "policies"), *map(str, files)],
                          capture_output=True, text=True, timeout=120)
    assert (proc.returncode, proc.stdout) == (0, "8 checked\n"), proc.stderr
    assert time.monotonic() - started > 4.0  # longer than the limit twice over


#: a count to thirty million, an atom a step, for every agreement: a chunk grounds for minutes
COUNTING = ("%@ means: a count\nchain(A, 0) :- agreement(A).\n"
            "%@ means: a count\nchain(A, N + 1) :- chain(A, N), N < 30000000.\n")


def test_a_run_in_worker_processes_stops_them_at_the_time_limit(testland, tmp_path):
    """With --jobs a chunk is checked in a worker process: past the time limit the run ends with
    exit 2 and the limit's message, and its workers end with it. They went on grounding (and
    growing toward the memory limit) after `pos` had exited, when the limit ended only `pos`."""
    (testland / "testland" / "count.lp").write_text(COUNTING)
    folder = tmp_path / "book"
    folder.mkdir()
    for n in range(DEFAULT_CHUNK + 1):  # more than one chunk: the run is handed to workers
        (folder / f"case-{n:03}.pos").write_text(CASE)
    errors = tmp_path / "stderr.txt"
    with errors.open("w") as stderr:  # a file, not a pipe: a worker left running would hold a pipe open
        proc = subprocess.Popen([sys.executable, "-m", "pos_logic", "--policies", str(testland), "--time-limit", "3",
                                 "check", "--jobs", "2", str(folder)], stdout=subprocess.DEVNULL, stderr=stderr,
                                start_new_session=True)  # its workers share its process group
    try:
        proc.wait(timeout=120)
        time.sleep(1.0)  # a worker it stopped has had time to exit
        left = _working(proc.pid)
    finally:
        if _working(proc.pid):
            os.killpg(proc.pid, signal.SIGKILL)
    err = errors.read_text()
    assert proc.returncode == 2, err
    assert "checking 501 case(s): stopped at the time limit of 3 s" in err and "Traceback" not in err, err
    assert not left, f"processes {left} went on after pos exited"


def _working(group: int) -> list[int]:
    """The processes of a process group that have not exited (one that has, and waits for its
    parent to read its status, is a zombie: it does nothing)."""
    found = []
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/stat") as f:
                state, _, pgrp = f.read().rsplit(")", 1)[1].split()[:3]
        except (OSError, ValueError):
            continue
        if int(pgrp) == group and state != "Z":
            found.append(int(entry))
    return found


def test_a_run_out_of_time_between_its_chunks_names_the_run(monkeypatch):
    """With --jobs the parent only waits for its workers: the time limit's message names the
    pass it was in (here the case's text is written slowly, outside the chunk's own label),
    never just 'starting'."""
    from pos_logic.check import stream_files
    from pos_logic.engine import limits
    from pos_logic.policy.policy import load_policy

    named: list[str] = []
    monkeypatch.setattr(limits, "_out_of_time", lambda seconds: (named.append(limits._doing[-1]), limits.untimed()))
    example = ROOT / "cases" / "examples" / "acme-counseling.pos"
    load_policy("arkansas", ROOT / "policies")  # compiled before the clock starts
    lift = limits.install(1.0, megabytes=1 << 20)  # this process's memory left as it is
    try:
        run = stream_files([example], depth=1, policies=ROOT / "policies", each=lambda result: time.sleep(2.0))
        list(run.results)
    finally:
        lift()
    assert named == ["checking 1 case(s)"]


def test_lifting_a_limit_stops_its_own_watchdog(monkeypatch):
    """Two commands run in one process (CliRunner does, the web server's tests too) each install
    a limit and lift it when they end: lifting one must stop that one's watchdog, whichever
    was installed last, or it ends the process later."""
    from pos_logic.engine import limits

    fired: list[float] = []

    def out_of_time(seconds: float):
        fired.append(seconds)
        raise SystemExit  # ends the watchdog's thread, not the process

    monkeypatch.setattr(limits, "_out_of_time", out_of_time)
    first = limits.install(0.3, megabytes=1 << 20)
    second = limits.install(0.3, megabytes=1 << 20)
    first()
    second()
    time.sleep(0.8)
    assert fired == [] and limits._watchdog is None


# -- the commands that load a rule folder another way: diff (two revisions), serve, fmt ---------------

def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@t"})


@pytest.mark.parametrize("where", ["working tree", "base revision"])
@pytest.mark.parametrize("name", ["#script", "@-term alone", "#include outside"])
def test_diff_refuses_a_hostile_folder_on_either_side(testland, tmp_path, where, name):
    """`pos diff --base HEAD` loads two rule folders: the working tree's and the revision's (from
    git); code in either is refused, with exit 2, and nothing runs."""
    repo = testland.parent
    (repo / "c.pos").write_text(CASE)
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "clean")
    text, fragment = PAYLOADS[name]
    marker = _hostile(testland, tmp_path, text)
    if where == "base revision":
        _git(repo, "add", "-A")
        _git(repo, "commit", "-qm", "hostile")
        (testland / "testland" / "payload.lp").unlink()  # the working tree is clean again
    result = CliRunner().invoke(main, ["--policies", str(testland), "diff", "--base", "HEAD", str(repo / "c.pos")])
    assert result.exit_code == 2, result.output
    assert fragment in result.output and "no case changes" not in result.output
    assert not marker.exists()



def test_serve_refuses_a_hostile_folder_before_it_listens(testland, tmp_path, monkeypatch):
    import uvicorn
    served = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: served.append(a))  # a regression fails, not hangs
    marker = _hostile(testland, tmp_path, PAYLOADS["#script"][0])
    result = CliRunner().invoke(main, ["--policies", str(testland), "serve", "--port", "8799"])
    assert result.exit_code == 2, result.output
    assert "#script" in result.output and "http://" not in result.output and not served
    assert not marker.exists()


def test_fmt_refuses_a_hostile_folder_it_is_pointed_at(testland, tmp_path):
    """fmt reads only case files, but a --policies folder that could run code is refused by
    every command alike: the user learns of it at once, whatever they ran."""
    marker = _hostile(testland, tmp_path, PAYLOADS["#script"][0])
    case = tmp_path / "c.pos"
    case.write_text(CASE)
    result = CliRunner().invoke(main, ["--policies", str(testland), "fmt", "--check", str(case)])
    assert result.exit_code == 2, result.output
    assert "#script" in result.output
    assert not marker.exists()
