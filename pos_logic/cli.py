"""The `pos` command: thin; parses options, calls the library, maps errors to exit codes.

Exit codes: 0 no violations, 1 violations found (or a pinned expectation failed), 2 bad input
or a policy error, 3 no violations among what the case states but requirements whose status it
leaves unknown (a check that is not an all-clear).
"""

from __future__ import annotations

import os
import sys
from functools import partial
from pathlib import Path
from typing import NoReturn, cast

import click

from .engine import limits
from .render import render
from .policy import resources
from .check import available_cores, check_cases, check_files, stream_files
from .engine.engine import DEFAULT_CHUNK
from .errors import InputError, PosError, sorted_diagnostics
from .language.facts import from_case
from .language.load import load_case
from .policy.policy import load_policy
from .explain.query import why_not_text
from .policy.resources import POLICIES_ENV, Policies, choose_policies


def _fail(err: PosError) -> NoReturn:
    click.echo(err.render() if isinstance(err, InputError) else f"error: {err}", err=True)
    sys.exit(2)


_OPTION = "pos_logic.policies"  # where --policies waits in the context, for _policies to read


def _use_policies(ctx, param, value) -> None:
    if value:
        ctx.meta[_OPTION] = os.path.abspath(value)


def _policies(files=()) -> Policies:
    """The policies of this command, chosen once (resources.choose_policies) and passed on:
    --policies, else $POS_POLICIES, else the project here, else the case files' project."""
    try:
        return choose_policies(click.get_current_context().meta.get(_OPTION), files)
    except PosError as err:
        _fail(err)


def _refuse_unsafe(root: Path) -> None:
    """Load every jurisdiction of a policies folder (from the compiled cache when unchanged), so a
    folder that could run code or read files outside itself is refused before a command that
    does not otherwise read it (serve, before it listens; fmt, when named with --policies) goes on."""
    from .language.schema import jurisdictions
    try:
        for jurisdiction in jurisdictions(root):
            load_policy(jurisdiction, root)
    except PosError as err:
        _fail(err)


#: every command takes --policies (before or after its name)
_POLICIES = click.option(
    "--policies", type=click.Path(exists=True, file_okay=False), expose_value=False, is_eager=True,
    callback=_use_policies, help=f"Policy folder to use (else ${POLICIES_ENV}, else the project's, found "
    "upward from the current directory by pos.toml or [tool.pos], else the bundled policies).")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="pos-logic")
@click.option("--policies", type=click.Path(exists=True, file_okay=False),
              expose_value=False, is_eager=True, callback=_use_policies,
              help=f"Policy folder to use (else ${POLICIES_ENV}; default: the project's, else the bundled ones).")
@click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), metavar="SECONDS",
              help=f"Stop with exit 2 when a chunk of up to {DEFAULT_CHUNK} cases, or what comes before the first, takes "
                   f"longer than this (default {limits.DEFAULT_SECONDS} s, or ${limits.TIME_ENV}); a long run "
                   "of many chunks is not stopped for its length.")
@click.option("--memory-limit", type=click.IntRange(min=64), metavar="MB",
              help=f"Stop with exit 2 past this much memory (default {limits.DEFAULT_MEGABYTES} MB, or ${limits.MEMORY_ENV}).")
def main(time_limit, memory_limit) -> None:
    """pos-logic: what the law requires of a purchase-of-service contract, and why.

    \b
    Example:
      pos check cases/examples/acme-counseling.pos
      pos explain cases/examples/acme-counseling.pos "document PCS-D"
    """
    click.get_current_context().call_on_close(limits.install(time_limit, memory_limit))


def _default_cases(paths) -> list[str]:
    """PATHs as given, else the project's cases folder (not the current directory's)."""
    if paths:
        return list(paths)
    project = resources.project()
    return [os.path.relpath(project.cases)] if project is not None else ["cases"]


def _settings(pairs) -> dict[str, str]:
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise click.BadParameter(f"{pair!r}: write NAME=VALUE", param_hint="--set")
        out[name.strip()] = value.strip()
    return out


_SET = click.option("--set", "settings", multiple=True, metavar="NAME=VALUE",
                    help="Choose a reading of ambiguous text for every case (docs/interpretations.md).")
_STRICT = click.option("--strict", is_flag=True,
                       help="Read a case without on_file (or approved) as having nothing on file: "
                            "every requirement shows as missing (--set unstated_status=missing).")


def _readings(pairs, strict: bool = False) -> dict[str, str]:
    chosen = _settings(pairs)
    if strict:
        chosen.setdefault("unstated_status", "missing")
    return chosen


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())
@_SET
@_STRICT
@_POLICIES
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html"]), default="text", show_default=True,
              help="text: a checklist with reasons; json: findings with typed arguments, and the "
                   "tool, policies and settings of the run; html: one self-contained report page "
                   "(derivations unfold in the browser).")
@click.option("--derivations", is_flag=True, help="With --format json: each finding's full derivation tree.")
@click.option("--jobs", type=click.IntRange(min=1), default=None, metavar="N",
              help=f"Processes that check a run of more than {DEFAULT_CHUNK} cases (default: one per "
                   "core of the machine; text and json).")
def check(files, settings, strict, fmt, derivations, jobs):
    """Check case files (or folders of *.pos; - reads standard input) and print what each case
    requires.

    \b
    Exit 0: no violations. 1: violations found, or an expect block not met. 2: bad input.
    3: no violations found, but the case does not state what is on file or approved, so
    requirements are unknown (list them, or use --strict).
    Example:
      pos check cases/examples/acme-counseling.pos
      pos check --strict cases/examples/acme-counseling.pos
      pos check --format json cases/ > findings.json
    """
    policies = _policies(files)
    chosen = _readings(settings, strict)
    from .check import expand
    from .render.terminal import progress

    outcome = _Outcome()
    try:
        with progress(2 * len(expand(files)), "checking") as step:
            depth = 1 if fmt == "text" or (fmt == "json" and not derivations) else None
            if fmt == "html":  # one page of every result
                run = stream_files(files, depth=depth, settings=chosen, step=step, policies=policies.root)
                checked = list(outcome.noting(run.results))
                problems = run.problems
                if checked:
                    from .web.report import html_report
                    click.echo(html_report(checked), nl=False)
            else:
                # each case is written where it is checked (in a worker process for a long run) and
                # printed as it comes: a run's memory is one chunk
                run = stream_files(files, depth=depth, settings=chosen, step=step, policies=policies.root,
                                   jobs=jobs or available_cores(),
                                   each=partial(render.written, json=fmt == "json", derivations=derivations))
                problems, written = run.problems, outcome.noting(run.results)
                if fmt == "json":  # UTF-8 bytes from orjson to standard output, never decoded
                    parts = (cast(bytes, w.text) for w in written)
                    for part in render.json_document(parts, policies=resources.provenance(policies), settings=chosen,
                                                     errors=sorted_diagnostics(problems), derivations=derivations):
                        click.echo(part, nl=False)
                else:
                    from .render.terminal import echo_each
                    echo_each((resources.header(policies) + "\n" if i == 0 else "\n") + cast(str, w.text)
                              for i, w in enumerate(written))
    except InputError as err:
        if fmt != "json":
            _fail(err)
        problems = err.diagnostics
        click.echo(render.as_json([], policies=resources.provenance(policies), settings=chosen,
                                  errors=sorted_diagnostics(problems), derivations=derivations), nl=False)
    except PosError as err:
        _fail(err)
    if problems:
        click.echo(InputError(sorted_diagnostics(problems)).render(), err=True)
        sys.exit(2)
    sys.exit(outcome.code)


class _Outcome:
    """What a run's results (or what was written of them: render.Written) come to, noted as
    they pass on their way out."""

    def __init__(self) -> None:
        self.failed = self.incomplete = False

    def noting(self, results):
        for r in results:
            self.failed = self.failed or r.failed
            self.incomplete = self.incomplete or r.incomplete
            yield r

    @property
    def code(self) -> int:
        """1: violations or an expectation not met; 3: none, but something was not checked."""
        return 1 if self.failed else 3 if self.incomplete else 0  # not checked is not an all-clear


@main.command()
@click.argument("file", type=click.Path())
@click.argument("finding", required=False)
@_SET
@_STRICT
@_POLICIES
@click.option("--why-not", "why_not", metavar="FINDING",
              help="Say why a finding was NOT derived: the rules that could derive it and the conditions that failed.")
@click.option("--depth", type=click.IntRange(1), default=None, metavar="N",
              help="Follow derivations only N rules deep (deeper premises end in …).")
@click.option("--brief", is_flag=True,
              help="Only the rule, citation, sentence, reading and the case lines each finding rests on.")
def explain(file, finding, settings, strict, why_not, depth, brief):
    """Print the full derivation of a case's findings, down to the case-file lines.

    FINDING picks findings: a kind and name ("document PCS-D"), a name, or a rule id.

    \b
    Example:
      pos explain cases/examples/acme-counseling.pos "document PCS-D"
      pos explain cases/examples/acme-counseling.pos --why-not "approval legislative_council"
      pos explain cases/examples/acme-counseling.pos "document PCS-D" --brief
      pos explain cases/examples/acme-counseling.pos --depth 2
    """
    root = _policies([file]).root
    chosen = _readings(settings, strict)
    try:
        case = load_case(file, root)
        [result] = check_cases([case], settings=chosen, policies=root)
        if why_not:
            click.echo(why_not_text(case, result, why_not, chosen, policies=root), nl=False)
            return
    except PosError as err:
        _fail(err)
    chosen = [f for f in result.findings if finding is None or _picks(finding, f)]
    if not result.findings:
        click.echo(f"{file}: the case has no findings to explain", err=True)
        sys.exit(0)
    if not chosen:
        names = sorted({f"{f.kind} {f.label}" for f in result.findings})
        click.echo(f"no finding matches {finding!r}; the case has: " + "; ".join(names), err=True)
        sys.exit(2)
    click.echo("\n".join(render.brief(f) for f in chosen) if brief else render.trees(chosen, depth), nl=False)


def _picks(query: str, f) -> bool:
    q = " ".join(query.lower().split())
    names = {f.label.lower(), f"{f.kind} {f.label}".lower(), *(i.lower() for i in f.rule_ids),
             " ".join([f.kind, *f.key]).lower()}
    return q in names or any(n.startswith(q) for n in names if q.startswith(f.kind))


@main.command()
@click.argument("file", type=click.Path())
@_SET
@_POLICIES
def facts(file, settings):
    """Print a case's facts as ASP, to run the policies under plain clingo.

    \b
    Example:
      pos facts cases/examples/acme-counseling.pos > f.lp
      python -m clingo policies/common/*.lp policies/arkansas/*.lp f.lp
    """
    root = _policies([file]).root
    try:
        case = load_case(file, root)
        load_policy(case.jurisdiction, root)  # the facts are for these rules: a folder that could run code is refused here too
    except PosError as err:
        _fail(err)
    for fact in from_case(case, _settings(settings), root):
        where = fact.span.file.encode("unicode_escape").decode("ascii")  # one comment line, always
        click.echo(f"{fact.symbol}.  % {where}:{fact.span.line}")


@main.command("test")
@click.argument("paths", nargs=-1, type=click.Path())
@_SET
@_POLICIES
@click.option("--format", "fmt", type=click.Choice(["text", "json", "junit"]), default="text", show_default=True)
@click.option("--update", is_flag=True,
              help="Rewrite the expect lines that fail from what is derived now; comments, `not` "
                   "lines and passing lines stay (review with git diff).")
@click.option("--snapshot", is_flag=True,
              help="Replace each case's expect blocks by a full snapshot of what is derived now.")
@click.option("--coverage", "with_coverage", is_flag=True,
              help="Report which rules fired and whether cases sit on both sides of every comparison.")
@click.option("--fail-under", type=click.FloatRange(0, 100), default=None, metavar="PERCENT",
              help="With --coverage: exit 1 when rule or boundary coverage is below PERCENT.")
@click.option("-k", "keywords", multiple=True, metavar="TEXT",
              help="Run only the cases whose path contains TEXT (any of several -k; case-insensitive).")
@click.option("-x", "--exitfirst", is_flag=True, help="Stop at the first case that fails or cannot load.")
@click.option("-q", "--quiet", is_flag=True, help="Print only the failing cases and the summary.")
def test(paths, settings, fmt, update, snapshot, with_coverage, fail_under, keywords, exitfirst, quiet):
    """Run pinned cases (default: cases/) and report each as passed or failed, with expected
    vs derived findings.

    \b
    Exit 0: all pass. 1: a case failed (or coverage under --fail-under). 2: a case or policy
    could not be loaded.
    Example:
      pos test
      pos test cases/arkansas --format junit > report.xml
      pos test --coverage --fail-under 90
      pos test --update cases/examples/acme-counseling.pos && git diff
      pos test --snapshot cases/examples/acme-counseling.pos
      pos test -k amendment -x -q
    """
    from .tester import coverage
    from .tester import runner

    paths = _default_cases(paths)
    policies = _policies(paths)
    root = policies.root
    from .check import expand

    try:
        if keywords:
            paths = [str(p) for p in expand(paths) if any(k.lower() in str(p).lower() for k in keywords)]
            if not paths:
                raise click.BadParameter(f"no case path contains {' or '.join(map(repr, keywords))}", param_hint="-k")
        from .render.terminal import progress
        with progress(2 * len(expand(paths)), "testing") as step:
            suite = runner.run_suite(paths, settings=_settings(settings), exitfirst=exitfirst, step=step,
                                     policies=root)
        if update or snapshot:
            rewrite = runner.update_expectations if snapshot else runner.update_failing
            changed = [r.case.file for r in suite.results if rewrite(r)]
            click.echo("".join(f"updated {f}\n" for f in changed) or "every expect block already matches\n", nl=False)
            suite = runner.run_suite(paths, settings=_settings(settings), exitfirst=exitfirst, policies=root)
        cov = coverage.measure([r.case for r in suite.results], _settings(settings), policies=root) \
            if with_coverage else None
    except PosError as err:
        _fail(err)
    if fmt == "json":
        doc = {"policies": resources.provenance(policies), **runner.json_report(suite)}
        if cov is not None:
            doc["coverage"] = {j: {"rules": c.rule_percent, "boundaries": c.boundary_percent,
                                   "by_id": {k: {"fired": v[0], "boundaries_covered": v[1], "boundaries": v[2]}
                                             for k, v in c.by_id().items()}} for j, c in cov.items()}
        import json
        click.echo(json.dumps(doc, indent=2, ensure_ascii=False))
    elif fmt == "junit":
        click.echo(runner.junit_report(suite), nl=False)
    else:
        from .render.terminal import echo
        echo(resources.header(policies) + "\n" + runner.text_report(suite, quiet=quiet))
        if cov is not None:
            click.echo(coverage.report(cov), nl=False)
    code = suite.exit_code
    if code == 0 and cov is not None and fail_under is not None and any(
            c.rule_percent < fail_under or c.boundary_percent < fail_under for c in cov.values()):
        click.echo(f"coverage under {fail_under}%", err=True)
        code = 1
    sys.exit(code)


@main.command()
@click.option("--write", "write_to", type=click.Path(dir_okay=False), default=None,
              help="Write the catalog as Markdown to this file (docs/rules.md).")
@click.argument("jurisdiction", nargs=-1)
@_POLICIES
def rules(write_to, jurisdiction):
    """Print the rule catalog: id, citation, sentence, parameters used, file:line.

    \b
    Example:
      pos rules arkansas
      pos rules --write docs/rules.md
    """
    from .tools import catalog

    root = _policies().root
    try:
        if write_to:
            Path(write_to).write_text(catalog.markdown(list(jurisdiction) or None, root), encoding="utf-8")
            click.echo(f"wrote {write_to}")
        else:
            click.echo(catalog.text(list(jurisdiction) or None, root), nl=False)
    except PosError as err:
        _fail(err)


@main.command("schema")
@click.argument("jurisdiction", required=False)
@click.option("--write", "write_to", type=click.Path(dir_okay=False), default=None,
              help="Write the vocabulary as Markdown to this file (docs/vocabulary/JURISDICTION.md).")
@_POLICIES
def schema_command(jurisdiction, write_to):
    """Print the case vocabulary of a jurisdiction: its blocks, their attributes with types and
    allowed values, and the documents it knows (from its schema.toml). Without JURISDICTION,
    list the jurisdictions.

    \b
    Example:
      pos schema
      pos schema connecticut
      pos schema arkansas --write docs/vocabulary/arkansas.md
    """
    from .language import vocabulary
    from .errors import closest
    from .language.schema import jurisdictions

    root = _policies().root
    try:
        known = jurisdictions(root)
        if jurisdiction is None:
            click.echo("".join(f"{j}\n" for j in known), nl=False)
            return
        if jurisdiction not in known:
            hint = closest(jurisdiction, known)
            raise click.BadParameter(f"no jurisdiction {jurisdiction!r}; there are: {', '.join(known)}"
                                     + (f" (did you mean {hint!r}?)" if hint else ""), param_hint="JURISDICTION")
        if write_to:
            Path(write_to).parent.mkdir(parents=True, exist_ok=True)
            Path(write_to).write_text(vocabulary.markdown(jurisdiction, root), encoding="utf-8")
            click.echo(f"wrote {write_to}")
        else:
            click.echo(vocabulary.text(jurisdiction, root), nl=False)
    except PosError as err:
        _fail(err)


@main.command()
@click.option("--base", required=True, metavar="REV", help="The git revision to compare the policies with.")
@click.argument("paths", nargs=-1, type=click.Path())
@_POLICIES
def diff(base, paths):
    """Show which pinned cases change their findings or explanations between the policies at
    git revision REV and the working tree: run this before proposing a policy edit.

    \b
    \b
    Exit 0: no case changes. 1: some cases change. 2: a case could not be loaded, a path does
    not exist, no cases were found, or REV cannot be read.
    Example:
      pos diff --base HEAD
      pos diff --base HEAD~1 cases/arkansas
    """
    from .tester import impact

    targets = _default_cases(paths)
    policies = _policies(targets)
    try:
        changes, checked = impact.impact(base, targets, policies.root)
    except PosError as err:
        _fail(err)
    click.echo(resources.header(policies) + "\n" + impact.report(base, changes, checked), nl=False)
    sys.exit(1 if changes else 0)


@main.command("lint")
@click.argument("folder", metavar="[POLICIES]", required=False, type=click.Path(exists=True, file_okay=False))
@_POLICIES
@click.option("-j", "--jurisdiction", multiple=True, help="Lint only this jurisdiction (with policies/common).")
@click.option("--coverage", "coverage_table", type=click.Path(dir_okay=False),
              help="The coverage table every finding id must appear in (default: the project's "
                   "docs/coverage.md).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif"]), default="text", show_default=True,
              help="text for people; json, or SARIF 2.1.0 for code-scanning tools, on standard output.")
def lint_command(folder, jurisdiction, coverage_table, fmt):
    """Check rule files for the mistakes a policy editor makes: findings without id, citation
    or sentence; duplicate ids; parameters used but undefined or defined twice for a date;
    predicates used but never defined; unsafe variables and syntax errors at their line;
    #script and other code; ids the coverage table does not know.

    \b
    Exit 0: no errors (warnings may be printed). 1: errors found. 2: bad usage.
    Example:
      pos lint
      pos lint policies -j arkansas
      pos lint --format sarif > lint.sarif
    """
    from .tools import lint_report
    from .tools.lint import is_warning, lint

    policies = Policies(Path(folder).resolve(), "argument") if folder else _policies()
    root = policies.root
    if not os.path.relpath(root).startswith(".."):
        root = Path(os.path.relpath(root))  # messages name files as the user would
    table = Path(coverage_table) if coverage_table else resources.coverage_table(root)
    found = lint(root, list(jurisdiction) or None, table)
    if not table.is_file():
        found = found + [lint_report.missing_table(table)]
    errors = [d for d in found if not is_warning(d)]
    if fmt == "json":
        click.echo(lint_report.as_json(found, policies))
    elif fmt == "sarif":
        click.echo(lint_report.as_sarif(found, root))
    else:
        click.echo(resources.header(policies), err=True)
        if found:
            click.echo(lint_report.text(found), err=True)
        click.echo(f"{len(errors)} error(s), {len(found) - len(errors)} warning(s)", err=True)
    sys.exit(1 if errors else 0)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if a file is not in canonical form.")
@click.option("--diff", "show_diff", is_flag=True,
              help="Write nothing; print what would change as a unified diff (exit 1 if anything would).")
def fmt(paths, check, show_diff):
    """Format case files canonically, in place: layout, amounts, comments kept. A file that
    does not parse is reported and left untouched. PATH - formats standard input to standard
    output. Default PATH: the project's cases folder.

    \b
    Exit 0: done (or, with --check/--diff, every file is canonical). 1: --check or --diff found
    files to format. 2: a file could not be parsed.
    Example:
      pos fmt cases/
      pos fmt --check cases/
      pos fmt --diff cases/examples/acme-counseling.pos
    """
    import difflib

    from .check import expand
    from .tools.format import FormatError, format_text
    from .language.parse import read_case_file

    if click.get_current_context().meta.get(_OPTION):  # fmt reads no rules, but says when a named folder is unsafe
        _refuse_unsafe(_policies().root)
    if list(paths) == ["-"]:
        _fmt_stdin(check, show_diff)
    problems, changed = [], []
    try:
        files = expand(_default_cases(paths))
    except PosError as err:
        _fail(err)
    dry = check or show_diff
    for path in files:
        try:
            text = read_case_file(path)
            formatted = format_text(text, str(path))
        except InputError as err:
            problems.extend(err.diagnostics)
            continue
        except FormatError as err:  # the formatter's own check failed: a bug, the file is untouched
            click.echo(f"{path}: internal error, file left unchanged: {err}", err=True)
            sys.exit(2)
        if formatted == text:
            continue
        changed.append(str(path))
        if show_diff:
            click.echo("".join(difflib.unified_diff(text.splitlines(True), formatted.splitlines(True),
                                                    f"{path}", f"{path} (formatted)")), nl=False)
        if not dry:
            from .tools.format import write_atomically
            write_atomically(path, formatted)
    verb = "would reformat" if dry else "reformatted"
    summary = "".join(f"{verb} {f}\n" for f in changed) + f"{len(changed)} of {len(files)} file(s) {verb}"
    click.echo(summary, err=show_diff)
    if problems:
        click.echo(InputError(sorted_diagnostics(problems)).render(), err=True)
        sys.exit(2)
    sys.exit(1 if dry and changed else 0)


def _fmt_stdin(check: bool, show_diff: bool) -> None:
    """`pos fmt -`: the canonical form of standard input on standard output (or, with --check,
    only the exit code; with --diff, the diff)."""
    import difflib

    from .tools.format import FormatError, format_text

    from .language.load import STDIN
    from .language.parse import decode_case

    try:
        text = decode_case(sys.stdin.buffer.read(), STDIN)
        formatted = format_text(text, STDIN)
    except InputError as err:
        _fail(err)
    except FormatError as err:
        click.echo(f"<stdin>: internal error: {err}", err=True)
        sys.exit(2)
    if show_diff:
        click.echo("".join(difflib.unified_diff(text.splitlines(True), formatted.splitlines(True),
                                                "<stdin>", "<stdin> (formatted)")), nl=False)
    elif not check:
        click.echo(formatted, nl=False)
    sys.exit(1 if (check or show_diff) and formatted != text else 0)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (the default serves this machine only).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--timeout", default=20.0, show_default=True, type=click.FloatRange(0.1, 600),
              help="Seconds one check may take before it is stopped (HTTP 408).")
@click.option("--max-bytes", default=512 * 1024, show_default=True, type=click.IntRange(1024),
              help="The largest request accepted (HTTP 413 above it).")
def serve(host, port, timeout, max_bytes):
    """Serve the checker as a web page and an HTTP API (docs/web.md).

    \b
    Example:
      pos serve --port 8000      # then open http://127.0.0.1:8000/
    """
    import uvicorn

    from .web.app import Limits, create_app

    root = _policies().root
    _refuse_unsafe(root)
    limits.untimed()  # --time-limit would stop the server after that long; --timeout bounds each check
    app = create_app(root, Limits(seconds=timeout, max_bytes=max_bytes))
    click.echo(f"pos-logic on http://{host}:{port}/ (policies: {root}); Ctrl+C stops it", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")
