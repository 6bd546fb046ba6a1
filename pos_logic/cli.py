"""The `pos` command: thin; parses options, calls the library, maps errors to exit codes.

Exit codes: 0 no violations, 1 violations found (or a pinned expectation failed), 2 bad input
or a policy error.
"""

from __future__ import annotations

import os
import sys

import click

from . import limits, render
from .check import check_cases, check_files
from .errors import InputError, PosError, sorted_diagnostics
from .facts import from_case
from .load import load_case
from .policy import load_policy
from .query import why_not_text
from .resources import POLICIES_ENV


def _fail(err: PosError) -> None:
    click.echo(err.render() if isinstance(err, InputError) else f"error: {err}", err=True)
    sys.exit(2)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="pos-logic")
@click.option("--policies", type=click.Path(exists=True, file_okay=False), envvar=POLICIES_ENV,
              help="Policy folder to use instead of the bundled policies/.")
@click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), metavar="SECONDS",
              help=f"Stop with exit 2 after this long (default {limits.DEFAULT_SECONDS} s, or ${limits.TIME_ENV}).")
@click.option("--memory-limit", type=click.IntRange(min=64), metavar="MB",
              help=f"Stop with exit 2 past this much memory (default {limits.DEFAULT_MEGABYTES} MB, or ${limits.MEMORY_ENV}).")
def main(policies, time_limit, memory_limit) -> None:
    """pos-logic: what the law requires of a purchase-of-service contract, and why.

    \b
    Example:
      pos check cases/arkansas/example.pos
      pos explain cases/arkansas/example.pos "document PCS-D"
    """
    if policies:
        os.environ[POLICIES_ENV] = policies
    click.get_current_context().call_on_close(limits.install(time_limit, memory_limit))


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


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())
@_SET
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html"]), default="text", show_default=True,
              help="text: a checklist with reasons; json: full findings and derivations; "
                   "html: one self-contained report page (derivations unfold in the browser).")
def check(files, settings, fmt):
    """Check case files (or folders of *.pos) and print what each case requires.

    \b
    Exit 0: no violations. 1: violations found, or an expect block not met. 2: bad input.
    Example:
      pos check cases/arkansas/example.pos
      pos check --format json cases/ > findings.json
    """
    try:
        results, problems = check_files(files, depth=1 if fmt == "text" else None,
                                        settings=_settings(settings))
    except PosError as err:
        _fail(err)
    if results:
        click.echo(_rendered(results, fmt), nl=False)
    if problems:
        click.echo(InputError(sorted_diagnostics(problems)).render(), err=True)
        sys.exit(2)
    sys.exit(1 if any(r.violations or r.misses for r in results) else 0)


def _rendered(results, fmt: str) -> str:
    if fmt == "html":
        from .web.report import html_report

        return html_report(results)
    return render.as_json(results) if fmt == "json" else render.text(results)


@main.command()
@click.argument("file", type=click.Path())
@click.argument("finding", required=False)
@_SET
@click.option("--why-not", "why_not", metavar="FINDING",
              help="Say why a finding was NOT derived: the rules that could derive it and the conditions that failed.")
def explain(file, finding, settings, why_not):
    """Print the full derivation of a case's findings, down to the case-file lines.

    FINDING picks findings: a kind and name ("document PCS-D"), a name, or a rule id.

    \b
    Example:
      pos explain cases/arkansas/example.pos "approval dfa"
      pos explain cases/arkansas/example.pos --why-not "approval legislative_council"
    """
    try:
        case = load_case(file)
        [result] = check_cases([case], settings=_settings(settings))
        if why_not:
            click.echo(why_not_text(case, result, why_not, _settings(settings)), nl=False)
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
    click.echo("\n".join(render.tree(f) for f in chosen), nl=False)


def _picks(query: str, f) -> bool:
    q = " ".join(query.lower().split())
    names = {f.label.lower(), f"{f.kind} {f.label}".lower(), *(i.lower() for i in f.rule_ids),
             " ".join([f.kind, *f.key]).lower()}
    return q in names or any(n.startswith(q) for n in names if q.startswith(f.kind))


@main.command()
@click.argument("file", type=click.Path())
@_SET
def facts(file, settings):
    """Print a case's facts as ASP, to run the policies under plain clingo.

    \b
    Example:
      pos facts case.pos > f.lp
      python -m clingo policies/common/*.lp policies/arkansas/*.lp f.lp
    """
    try:
        case = load_case(file)
        load_policy(case.jurisdiction)  # the facts are for these rules: a folder that could run code is refused here too
    except PosError as err:
        _fail(err)
    for fact in from_case(case, _settings(settings)):
        where = fact.span.file.encode("unicode_escape").decode("ascii")  # one comment line, always
        click.echo(f"{fact.symbol}.  % {where}:{fact.span.line}")


@main.command("test")
@click.argument("paths", nargs=-1, type=click.Path())
@_SET
@click.option("--format", "fmt", type=click.Choice(["text", "json", "junit"]), default="text", show_default=True)
@click.option("--update", is_flag=True, help="Rewrite each case's expect block from what is derived now (review with git diff).")
@click.option("--coverage", "with_coverage", is_flag=True,
              help="Report which rules fired and whether cases sit on both sides of every comparison.")
@click.option("--fail-under", type=click.FloatRange(0, 100), default=None, metavar="PERCENT",
              help="With --coverage: exit 1 when rule or boundary coverage is below PERCENT.")
def test(paths, settings, fmt, update, with_coverage, fail_under):
    """Run pinned cases (default: cases/) and report each as passed or failed, with expected
    vs derived findings.

    \b
    Exit 0: all pass. 1: a case failed (or coverage under --fail-under). 2: a case or policy
    could not be loaded.
    Example:
      pos test
      pos test cases/arkansas --format junit > report.xml
      pos test --coverage --fail-under 90
      pos test --update cases/arkansas/new-case.pos && git diff
    """
    from . import coverage, runner

    try:
        suite = runner.run_suite(paths or ["cases"], settings=_settings(settings))
        if update:
            changed = [r.case.file for r in suite.results if runner.update_expectations(r)]
            click.echo("".join(f"updated {f}\n" for f in changed) or "every expect block already matches\n", nl=False)
            suite = runner.run_suite(paths or ["cases"], settings=_settings(settings))
        cov = coverage.measure([r.case for r in suite.results], _settings(settings)) if with_coverage else None
    except PosError as err:
        _fail(err)
    if fmt == "json":
        doc = runner.json_report(suite)
        if cov is not None:
            doc["coverage"] = {j: {"rules": c.rule_percent, "boundaries": c.boundary_percent,
                                   "by_id": {k: {"fired": v[0], "boundaries_covered": v[1], "boundaries": v[2]}
                                             for k, v in c.by_id().items()}} for j, c in cov.items()}
        import json
        click.echo(json.dumps(doc, indent=2, ensure_ascii=False))
    elif fmt == "junit":
        click.echo(runner.junit_report(suite), nl=False)
    else:
        click.echo(runner.text_report(suite), nl=False)
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
def rules(write_to, jurisdiction):
    """Print the rule catalog: id, citation, sentence, parameters used, file:line.

    \b
    Example:
      pos rules arkansas
      pos rules --write docs/rules.md
    """
    from . import catalog

    try:
        if write_to:
            from pathlib import Path
            Path(write_to).write_text(catalog.markdown(list(jurisdiction) or None), encoding="utf-8")
            click.echo(f"wrote {write_to}")
        else:
            click.echo(catalog.text(list(jurisdiction) or None), nl=False)
    except PosError as err:
        _fail(err)


@main.command()
@click.option("--base", required=True, metavar="REV", help="The git revision to compare the policies with.")
@click.argument("paths", nargs=-1, type=click.Path())
def diff(base, paths):
    """Show which pinned cases change their findings or explanations between the policies at
    git revision REV and the working tree: run this before proposing a policy edit.

    \b
    Example:
      pos diff --base HEAD
      pos diff --base origin/main cases/arkansas
    """
    from . import impact
    from .check import expand

    try:
        targets = paths or ["cases"]
        changes = impact.impact(base, targets)
    except PosError as err:
        _fail(err)
    click.echo(impact.report(base, changes, len(expand(targets))), nl=False)
    sys.exit(1 if changes else 0)


@main.command("lint")
@click.argument("policies", required=False, type=click.Path(exists=True, file_okay=False))
@click.option("-j", "--jurisdiction", multiple=True, help="Lint only this jurisdiction (with policies/common).")
@click.option("--coverage", "coverage_table", type=click.Path(dir_okay=False),
              help="The coverage table every finding id must appear in (default: docs/coverage.md).")
def lint_command(policies, jurisdiction, coverage_table):
    """Check rule files for the mistakes a policy editor makes: findings without id, citation
    or sentence; duplicate ids; parameters used but undefined or defined twice for a date;
    predicates used but never defined; unsafe variables and syntax errors at their line;
    #script and other code; ids the coverage table does not know.

    \b
    Exit 0: no errors (warnings may be printed). 2: errors.
    Example:
      pos lint
      pos lint policies -j arkansas
    """
    from pathlib import Path

    from .lint import is_warning, lint

    found = lint(Path(policies) if policies else None, list(jurisdiction) or None,
                 Path(coverage_table) if coverage_table else None)
    if found:
        click.echo(InputError(found).render(), err=True)
    errors = [d for d in found if not is_warning(d)]
    click.echo(f"{len(errors)} error(s), {len(found) - len(errors)} warning(s)", err=True)
    sys.exit(2 if errors else 0)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if a file is not in canonical form.")
def fmt(paths, check):
    """Format case files canonically, in place: layout, amounts, comments kept. A file that
    does not parse is reported and left untouched.

    \b
    Exit 0: done (or, with --check, every file is canonical). 1: --check found files to
    format. 2: a file could not be parsed.
    Example:
      pos fmt cases/
      pos fmt --check cases/
    """
    from .check import expand
    from .format import FormatError, format_file

    problems, changed = [], []
    try:
        files = expand(paths)
    except PosError as err:
        _fail(err)
    for path in files:
        try:
            if format_file(path, check=check):
                changed.append(str(path))
        except InputError as err:
            problems.extend(err.diagnostics)
        except FormatError as err:  # the formatter's own check failed: a bug, the file is untouched
            click.echo(f"{path}: internal error, file left unchanged: {err}", err=True)
            sys.exit(2)
    verb = "would reformat" if check else "reformatted"
    click.echo("".join(f"{verb} {f}\n" for f in changed) + f"{len(changed)} of {len(files)} file(s) {verb}")
    if problems:
        click.echo(InputError(sorted_diagnostics(problems)).render(), err=True)
        sys.exit(2)
    sys.exit(1 if check and changed else 0)


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

    from .resources import policies_root
    from .web.app import Limits, create_app

    app = create_app(policies_root(), Limits(seconds=timeout, max_bytes=max_bytes))
    click.echo(f"pos-logic on http://{host}:{port}/ (policies: {policies_root()}); Ctrl+C stops it", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")
