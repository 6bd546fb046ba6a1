"""Check case files: load them, group them by jurisdiction, run each group in one engine call,
and explain the findings. The library entry point the CLI and the test runner use.

    >>> results, errors = check_files(["cases/arkansas/example.pos"], policies=Path("policies"))  # doctest: +SKIP

The policies folder is an argument (`policies`): given None, each entry point here chooses it
once as the CLI would (resources.choose_policies) and passes that folder to every loader below.
"""

from __future__ import annotations

import gc
import os
import pickle
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from .engine.engine import DEFAULT_CHUNK, run_cases
from .errors import Diagnostic, InputError, PosError, Span, closest
from .tester.expect import Miss, compare
from .explain.citations import combine
from .explain.explain import Finding, findings_of
from .engine import limits
from .language.facts import Fact, from_case
from .language.load import load_case
from .language.model import Case
from .policy.policy import Policy, load_policy
from .engine.portfolio import READS, Portfolio
from .language.schema import load_schema
from .policy.resources import given


@dataclass(frozen=True)
class Unstated:
    """Requirements whose status the case does not state: `on_file` (or `approved`) is not
    listed, so the checker cannot say whether they are met (unstated_status=unknown)."""

    agreement: str
    attribute: str
    required: int

    @property
    def message(self) -> str:
        what = "document" if self.attribute == "on_file" else "approval"
        status = "on-file" if self.attribute == "on_file" else "approval"
        return (f"{self.required} {what}{'s' if self.required != 1 else ''} required; {status} status "
                f"not stated (list them with `{self.attribute} [...]`, or check with --strict)")

    def to_json(self) -> dict:
        return {"agreement": self.agreement, "attribute": self.attribute, "required": self.required,
                "message": self.message}


@dataclass
class CaseResult:
    case: Case
    findings: list[Finding]
    misses: list[Miss]
    #: every setting of the policy and the reading this case was judged under
    settings: dict[str, str] = field(default_factory=dict)
    unstated: list[Unstated] = field(default_factory=list)

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.kind == "violation"]

    @property
    def failed(self) -> bool:
        """Violations, or an expectation of the case not met: `pos check` exits 1."""
        return bool(self.violations or self.misses)

    @property
    def incomplete(self) -> bool:
        """Something that applies could not be checked (a fact or a status the case does not
        state): no violations then means "none among what the case states", not an all-clear."""
        return bool(self.unstated) or any(f.kind == "unknown" for f in self.findings)


#: case files one run reads at most (a folder given by mistake, like /, must not run for days);
#: a run streams (stream_files), so its memory does not set this: a state's book of 100,000
#: contracts is one run of ~15 minutes a core
MAX_CASE_FILES = 200_000


def expand(paths) -> list[Path]:
    """Files as given, folders as every *.pos below them, in sorted order. A folder without
    cases is an input error: a check pointed at the wrong place must not pass."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(p.rglob("*.pos"))
            if not found:
                raise InputError([Diagnostic(str(p), 1, 1, "no case files (*.pos) in this folder")])
            out.extend(found)
        else:
            out.append(p)
        if len(out) > MAX_CASE_FILES:
            raise InputError([Diagnostic(str(p), 1, 1, f"more than {MAX_CASE_FILES:,} case files in one run: "
                                                       "check the folders one at a time")])
    return out


def check_settings(case: Case, policy: Policy, chosen: dict[str, str]) -> list[Diagnostic]:
    """A case's `setting` lines and the --set choices must name settings the policy declares."""
    problems = []
    asked: list[tuple[str, str, Span | None, Span | None]] = [(n.word, v.word, n.span, v.span) for n, v in case.settings]
    asked += [(n, v, None, None) for n, v in sorted(chosen.items())]
    for name, value, name_span, value_span in asked:
        setting = policy.settings.get(name)
        if setting is None:
            message = f"unknown setting '{name}' for {policy.jurisdiction}"
            hint = closest(name, policy.settings)
            problems.append(Diagnostic.at(name_span, message, hint=hint) if name_span else
                            Diagnostic("--set", 1, 1, message, hint=hint))
        elif value not in setting.values:
            message = f"setting {name} takes one of {', '.join(setting.values)}"
            hint = closest(value, setting.values)
            problems.append(Diagnostic.at(value_span, message, hint=hint) if value_span else
                            Diagnostic("--set", 1, 1, message, hint=hint))
    return [p.with_source(case.text) if p.file == case.file else p for p in problems]


def check_cases(cases: list[Case], depth: int | None = None,
                settings: dict[str, str] | None = None, together: bool = False,
                step=None, policies: Path | None = None,
                peers: list[list[Fact]] | None = None) -> list[CaseResult]:
    """Check loaded cases against the policies in `policies` (None: chosen as the CLI would,
    around the cases' files); raise InputError if a case or --set asks for an unknown setting.
    together=True checks them as one portfolio (portfolio.py): agreements with the same vendor,
    fiscal year and cost center are summed across cases. Pinned cases are separate scenarios
    and are checked apart. peers: each case's peer facts from a larger run (stream_files).
    step: called once per case explained (a progress bar)."""
    root = given(policies, [c.file for c in cases])
    settings = settings or {}
    by_jurisdiction: dict[str, list[int]] = {}
    for i, case in enumerate(cases):
        by_jurisdiction.setdefault(case.jurisdiction, []).append(i)
    results: list[CaseResult | None] = [None] * len(cases)
    for jurisdiction, indexes in sorted(by_jurisdiction.items()):
        policy = load_policy(jurisdiction, root)
        problems = [p for i in indexes for p in check_settings(cases[i], policy, settings)]
        if problems:
            raise InputError(list(dict.fromkeys(problems)))
        more = f" and {len(indexes) - 1} more case(s)" if len(indexes) > 1 else ""
        with limits.bounded(f"checking {cases[indexes[0]].file}{more}"):
            runs = run_cases([cases[i] for i in indexes], policy, settings=settings, depth=depth,
                             together=together, peers=[peers[i] for i in indexes] if peers else None)
            for i, run in zip(indexes, runs):
                findings = cite_requirements(findings_of(run, policy, depth))
                in_force = readings(run.case, policy, settings)
                results[i] = CaseResult(run.case, findings, compare(run.case, findings), in_force,
                                        unstated(run.case, findings, in_force, policy))
                if step:
                    step()
    return results  # type: ignore[return-value]


def check_each(paths, depth: int | None = 1, policies: Path | None = None) -> dict[Path, CaseResult | InputError]:
    """Each file's result, or the error that stops that file alone (it cannot load, or asks
    for a setting its policy lacks). The files that load are checked together, one engine
    call per jurisdiction, as `pos test` does; depth 1 is what comparing with an expect block
    needs. policies: None chooses the folder as the CLI would, around these files."""
    paths = [Path(p) for p in paths]
    root = given(policies, paths)
    out: dict[Path, CaseResult | InputError] = {}
    cases: list[Case] = []
    for path in paths:
        try:
            case = load_case(path, root)
            problems = check_settings(case, load_policy(case.jurisdiction, root), {})
            if problems:
                raise InputError(problems)
            cases.append(case)
        except InputError as err:
            out[path] = err
    try:
        results: list[CaseResult | InputError] = list(check_cases(cases, depth, policies=root))
    except InputError as err:  # a policy that does not load: every case of the batch reports it
        results = [err] * len(cases)
    for case, result in zip(cases, results):
        out[Path(case.file)] = result
    return out


def readings(case: Case, policy: Policy, chosen: dict[str, str]) -> dict[str, str]:
    """Each setting's reading for this case: its own `setting` line, else --set, else the default."""
    own = {n.word: v.word for n, v in case.settings}
    return {name: own.get(name, chosen.get(name, s.default)) for name, s in sorted(policy.settings.items())}


#: the case attributes that list what is done, and the finding kind each one settles
STATUS_LISTS = {"on_file": "document", "approved": "approval"}


def unstated(case: Case, findings: list[Finding], in_force: dict[str, str], policy: Policy) -> list[Unstated]:
    """Requirements the case leaves unknown: no silent all-clear for a case without on_file."""
    if in_force.get("unstated_status", "unknown") != "unknown":
        return []
    schema = load_schema(case.jurisdiction, policy.root)
    counts = Counter((f.kind, f.agreement) for f in findings)  # one pass: a case may have thousands
    out = []
    for agreement in case.agreements:
        stated = {a.name for a in agreement.attributes}
        known = schema.blocks[agreement.block].attributes
        for attribute, kind in STATUS_LISTS.items():
            required = counts[kind, agreement.id]
            if required and attribute in known and attribute not in stated:
                out.append(Unstated(agreement.title, attribute, required))
    return out


def cite_requirements(findings: list[Finding]) -> list[Finding]:
    """A rule annotated `%@ cite_from: PRED` (a missing document or approval) cites the
    provisions of the findings its PRED premise names, every rule that requires the document
    or approval, and lists their ids among its own: it breaks each of those provisions."""
    by_head = {d.head: f for f in findings for d in f.derivations}
    for f in findings:
        source = f.derivations[0].rule.annotations.get("cite_from")
        if not source:
            continue
        required = [r.rule.annotations for d in f.derivations for atom in d.atoms_of(source)
                    if atom in by_head for r in by_head[atom].derivations]
        f.cited = combine(a["cite"] for a in required if a.get("cite")) or None
        f.cited_ids = tuple(dict.fromkeys(a["id"] for a in required if a.get("id")))
    return findings


#: a run of more files than this keeps its parsed cases in a temporary file between its passes,
#: pickled (~17 KB a one-agreement case in memory, 100,000 would not fit in 2 GiB; reading one
#: back is ~4x cheaper than parsing its text again, ~20x for a one-agreement case)
KEEP_PARSED = 2_000


@dataclass
class Run:
    """A run of case files: the diagnostics of those that do not load, and the results of those
    that do, in the order of the files, worked out a chunk at a time as they are read."""

    problems: list[Diagnostic]
    results: Iterator  # of CaseResult, or of what stream_files' `each` makes of one


def stream_files(paths, depth: int | None = None, settings: dict[str, str] | None = None,
                 step=None, policies: Path | None = None, chunk: int = DEFAULT_CHUNK, jobs: int = 1,
                 each: Callable[[CaseResult], Any] | None = None) -> Run:
    """check_files in two passes, with memory that does not grow with the run: the first loads
    every file (its errors, the settings it asks for, its agreements' vendors and cost centers,
    so each case still sees its peers in the whole run); the second checks `chunk` cases at a
    time and hands each result on, so a caller that writes and drops them holds one chunk.

    jobs > 1, for a run of more than one chunk: both passes run a chunk at a time in that many
    processes (_Workers), and the cases cross between them pickled once, as bytes. each: what
    the run hands on instead of a result, worked out where the case was checked (its text:
    render.written); a picklable function, so that what comes back from a worker is text, not
    an explained result."""
    paths = list(paths)
    root = given(policies, paths)
    settings = settings or {}
    files = expand(paths)
    workers = _Workers.start(jobs) if jobs > 1 and len(files) > chunk else None
    spool = tempfile.TemporaryFile() if len(files) > KEEP_PARSED else None
    held: list[Case | bytes] = []
    count = 0
    problems: list[Diagnostic] = []
    unknown: list[Diagnostic] = []
    portfolio = Portfolio()
    load = partial(_load_files, policies=root, settings=settings, packed=workers is not None)
    parts = [files[start:start + chunk] for start in range(0, len(files), chunk)]
    try:
        # pass 1 keeps up to KEEP_PARSED parsed cases; what a time limit names in a run of workers
        with collector_off(), limits.bounded(f"loading {len(files):,} case file(s)"):
            for loaded in workers.map(load, parts) if workers else map(load, parts):
                limits.progress()  # the time limit is a chunk's, not the run's
                for file in loaded:
                    problems += file.problems
                    unknown += file.unknown
                    if file.case is not None:
                        portfolio.add(file.reads, file.jurisdiction)
                        if spool is None:
                            held.append(file.case)
                        else:
                            pickle.dump(file.case, spool, pickle.HIGHEST_PROTOCOL)
                        count += 1
                    if step:
                        step()
        if unknown:
            raise InputError(list(dict.fromkeys(unknown)))
    except BaseException:
        if workers:
            workers.close()
        raise
    portfolio.forget_unshared()

    def chunks() -> Iterator[tuple[list[Case | bytes], list[list[Fact]]]]:
        if spool is not None:
            spool.seek(0)
        for start in range(0, count, chunk):
            size = min(chunk, count - start)
            cases = held[start:start + size] if spool is None else [pickle.load(spool) for _ in range(size)]
            yield cases, [portfolio.peers(start + i) for i in range(size)]
        if spool is not None:
            spool.close()

    check = partial(_check_chunk, depth=depth, settings=settings, policies=root, each=each)

    def results() -> Iterator:
        try:
            with collector_off(), limits.bounded(f"checking {count:,} case(s)"):
                for done in workers.map(check, chunks()) if workers else map(check, chunks()):
                    limits.progress()
                    for result in done:
                        if step:
                            step()
                        yield result
        finally:
            if workers:
                workers.close()

    return Run(problems, results())


#: runs in progress in this process (runs in threads count here together), and whether the
#: cyclic collector was on when the first began
_running, _collector_was_on = 0, True
_running_lock = threading.Lock()


@contextmanager
def collector_off():
    """Python's cyclic garbage collector off while a run works, turned back on (if it was on)
    when the last run of the process ends. A case's parse, answer and explanation are freed by
    reference count (they hold no cycles, nor does a file that fails to load: test_check.py),
    so the collector finds nothing, yet it walked what a run keeps alive: at its default
    thresholds the live chunk every few cases, a quarter of a case's time; at thresholds of
    50,000 still the chunk and the cases held between the passes, ~10% of a one-agreement run
    (bench/README.md, 2026-12-07)."""
    global _running, _collector_was_on
    with _running_lock:
        if _running == 0:
            _collector_was_on = gc.isenabled()
            gc.disable()
        _running += 1
    try:
        yield
    finally:
        with _running_lock:
            _running -= 1
            if _running == 0 and _collector_was_on:
                gc.enable()


@dataclass
class _Loaded:
    """One file after the first pass: what stops it, or its case, the settings it asks for
    that the policy lacks, and the facts the portfolio reads."""

    problems: list[Diagnostic]
    unknown: list[Diagnostic] = field(default_factory=list)
    jurisdiction: str = ""
    reads: list[Fact] = field(default_factory=list)
    case: Case | bytes | None = None  # bytes: pickled, to cross between processes as it is


@collector_off()
def _load_files(paths: list[Path], policies: Path, settings: dict[str, str], packed: bool) -> list[_Loaded]:
    out = []
    policy: dict[str, Policy] = {}
    more = f" and {len(paths) - 1} more file(s)" if len(paths) > 1 else ""
    with limits.bounded(f"loading {paths[0]}{more}"):
        for path in paths:
            try:
                case = load_case(path, policies)
                if case.jurisdiction not in policy:  # loading hashes the policy's files: once a chunk
                    policy[case.jurisdiction] = load_policy(case.jurisdiction, policies)
                unknown = check_settings(case, policy[case.jurisdiction], settings)
            except InputError as err:
                out.append(_Loaded(err.diagnostics))
            else:
                out.append(_Loaded([], unknown, case.jurisdiction, from_case(case, settings, policies, only=READS),
                                   pickle.dumps(case, pickle.HIGHEST_PROTOCOL) if packed else case))
    return out


@collector_off()
def _check_chunk(part: tuple[list[Case | bytes], list[list[Fact]]], depth: int | None, settings: dict[str, str],
                 policies: Path, each: Callable[[CaseResult], Any] | None) -> list:
    held, peers = part
    cases = [pickle.loads(c) if isinstance(c, bytes) else c for c in held]
    results = check_cases(cases, depth, settings, policies=policies, peers=peers)
    return results if each is None else [each(r) for r in results]


class WorkerError(PosError):
    """A worker process of a run died before it sent its cases back."""


def available_cores() -> int:
    """The cores this process may run on (a container or taskset may allow fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class _Workers:
    """Processes that work through a run's chunks, each process replaced after RECYCLE chunks
    (clingo keeps every symbol it has made for the life of a process). They come from a fork
    server, not from this process: a worker forked here while the pool's own threads hold a
    lock deadlocks (a 10,000-case run hung so at its first replaced worker)."""

    #: chunks a worker process works through before it is replaced by a fresh one
    RECYCLE = 4
    #: seconds a worker the pool has just started takes to finish starting, and more
    STARTING = 0.3

    def __init__(self, jobs: int):
        import multiprocessing  # here: imports a one-file check does not need

        from pebble import ProcessPool
        self.jobs = jobs
        self.pool = ProcessPool(max_workers=jobs, max_tasks=self.RECYCLE,
                                context=multiprocessing.get_context("forkserver"))

    @classmethod
    def start(cls, jobs: int) -> _Workers | None:
        """Workers that have answered once, or None where processes cannot be started (a sandbox
        without /dev/shm or fork): the run then goes on in this process."""
        try:
            workers = cls(jobs)
            workers.pool.schedule(os.getpid).result(timeout=60)
        except Exception:
            return None
        return workers

    def map(self, work, parts: Iterable) -> Iterator:
        """work(part) for each part, in order, `jobs` + 1 parts in flight at most, so a long run
        is never read into memory whole. What comes back is pickled: text, or a result with
        its explanations worked out in full (Derivation.__getstate__), far more to carry. Each
        part has the time limit a chunk has (limits.py), and the pool stops the worker of a part
        that passes it: no worker goes on with its chunk after this process has ended."""
        from collections import deque

        flight: deque = deque()
        with limits.waiting():
            for part in parts:
                flight.append(self.pool.schedule(work, args=(part,), timeout=limits.seconds()))
                if len(flight) > self.jobs:
                    yield self._result(flight.popleft())
            while flight:
                yield self._result(flight.popleft())

    @staticmethod
    def _result(future):
        """A part's result; a worker that died (killed, out of memory) or was stopped at the
        time limit stops the run with a message, not a traceback."""
        from concurrent.futures import TimeoutError as PastTheLimit
        from concurrent.futures.process import BrokenProcessPool

        from pebble import ProcessExpired
        try:
            return future.result()
        except PastTheLimit:
            if (seconds := limits.seconds()) is None:  # no limit was given to the part: not the pool's
                raise
            raise limits.OutOfTime(seconds) from None
        except (ProcessExpired, BrokenProcessPool) as err:
            raise WorkerError(f"a worker process stopped before it finished its cases ({err}); "
                              "the machine may be out of memory: run again with --jobs 1") from None

    def close(self) -> None:
        """Stop the workers, once one the pool has just started in place of another (whose
        tasks were done, or that was stopped at the time limit) has had a moment to finish
        starting: pebble closes its channels before it stops its workers, and a worker still
        starting then fails with a traceback on the terminal."""
        time.sleep(self.STARTING)
        self.pool.stop()
        self.pool.join()


def check_files(paths, depth: int | None = None, settings: dict[str, str] | None = None,
                step=None, jobs: int = 1, policies: Path | None = None) -> tuple[list[CaseResult], list[Diagnostic]]:
    """Results for the files that load, and the diagnostics of those that do not, in the
    order of the files, against the policies in `policies` (None: chosen as the CLI would,
    around these files). The files are one run: their agreements are seen together
    (portfolio.py). step: called once per file loaded and once per case explained. jobs > 1
    checks a large batch's chunks in that many forked processes (stream_files)."""
    run = stream_files(paths, depth, settings, step, policies, jobs=jobs)
    return list(run.results), run.problems
