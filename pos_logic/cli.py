"""The `pos` command: thin; parses options, calls the library, maps errors to exit codes.

Exit codes: 0 no violations, 1 violations found (or a pinned expectation failed), 2 bad input
or a policy error.
"""

from __future__ import annotations

import os
import sys

import click

from . import render
from .check import check_cases, check_files
from .errors import InputError, PosError, sorted_diagnostics
from .facts import from_case
from .load import load_case
from .resources import POLICIES_ENV


def _fail(err: PosError) -> None:
    click.echo(err.render() if isinstance(err, InputError) else f"error: {err}", err=True)
    sys.exit(2)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="pos-logic")
@click.option("--policies", type=click.Path(file_okay=False), envvar=POLICIES_ENV,
              help="Policy folder to use instead of the bundled policies/.")
def main(policies) -> None:
    """pos-logic: what the law requires of a purchase-of-service contract, and why.

    \b
    Example:
      pos check cases/arkansas/example.pos
      pos explain cases/arkansas/example.pos "document PCS-D"
    """
    if policies:
        os.environ[POLICIES_ENV] = policies


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
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: a checklist with reasons; json: full findings and derivations.")
def check(files, settings, fmt):
    """Check case files (or folders of *.pos) and print what each case requires.

    \b
    Exit 0: no violations. 1: violations found, or an expect block not met. 2: bad input.
    Example:
      pos check cases/arkansas/example.pos
      pos check --format json cases/ > findings.json
    """
    try:
        results, problems = check_files(files, depth=None if fmt == "json" else 1,
                                        settings=_settings(settings))
    except PosError as err:
        _fail(err)
    if results:
        click.echo(render.as_json(results) if fmt == "json" else render.text(results), nl=False)
    if problems:
        click.echo(InputError(sorted_diagnostics(problems)).render(), err=True)
        sys.exit(2)
    sys.exit(1 if any(r.violations or r.misses for r in results) else 0)


@main.command()
@click.argument("file", type=click.Path())
@click.argument("finding", required=False)
@_SET
def explain(file, finding, settings):
    """Print the full derivation of a case's findings, down to the case-file lines.

    FINDING picks findings: a kind and name ("document PCS-D"), a name, or a rule id.

    \b
    Example:
      pos explain cases/arkansas/example.pos "approval dfa"
    """
    try:
        [result] = check_cases([load_case(file)], settings=_settings(settings))
    except PosError as err:
        _fail(err)
    chosen = [f for f in result.findings if finding is None or _picks(finding, f)]
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
def facts(file):
    """Print a case's facts as ASP, to run the policies under plain clingo.

    \b
    Example:
      pos facts case.pos > f.lp
      python -m clingo policies/common/*.lp policies/arkansas/*.lp f.lp
    """
    try:
        case = load_case(file)
    except PosError as err:
        _fail(err)
    for fact in from_case(case):
        click.echo(f"{fact.symbol}.  % {fact.span.file}:{fact.span.line}")
