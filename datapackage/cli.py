"""The `datapackage` command: argument parsing and exit codes, nothing else.

Exit codes: 0 no errors (warnings allowed); 1 the package has errors;
2 there is no package to look at, or the command was used wrongly;
3 a bug in this toolkit (the traceback is saved to a file named on stderr).
"""

from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import click

from datapackage.crash import SafeGroup
from datapackage.diff.rows import compare
from datapackage.diff.report import DIFF_FORMATS, render_diff
from datapackage.findings import has_errors
from datapackage.package import PackageError
from datapackage.report import FORMATS, conceal_withheld, render
from datapackage.site.serve import NothingToServe, command as serve_command
from datapackage.diff.snapshot import SnapshotError

# Frictionless, Pandera, pyarrow and matplotlib take seconds to import: the
# commands that need them import them when they run.


DISTRIBUTION = "tartar-case-datapackage"  # the name in pyproject.toml, not the command's


def _descriptor(context, parameter, value: Path) -> Path:
    # A package folder stands for the datapackage.json in it, as `diff` takes folders.
    return value / "datapackage.json" if value.is_dir() else value


DESCRIPTOR = click.argument("descriptor", default="datapackage.json", callback=_descriptor,
                            type=click.Path(path_type=Path), metavar="[DESCRIPTOR or FOLDER]")


@click.group(cls=SafeGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name=DISTRIBUTION, prog_name="datapackage",
                      message=f"%(prog)s %(version)s ({DISTRIBUTION}: the Tartar case open dataset "
                              "toolkit, not the datapackage-py library)")
def cli():
    """Validate, publish and explore the Tartar case data package.

    This is the toolkit of the Tartar case open dataset; it is not the
    deprecated datapackage-py library, which also installs a command
    called datapackage.
    """


@cli.command()
@DESCRIPTOR
@click.option("--format", "form", type=click.Choice(FORMATS), default="text", show_default=True,
              help="How to print the findings.")
@click.option("--markdown-report", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Also write the findings as Markdown to this file (a pull-request summary), "
                   "without validating twice.")
def validate(descriptor: Path, form: str, markdown_report: Path | None):
    """Check the CSVs against their schemas and the cross-table rules.

    \b
    Example:
        datapackage validate datapackage.json --format github
    """
    from datapackage.validate.check import check

    try:
        checked = check(descriptor, lean=True)
    except PackageError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(2)
    findings = checked.findings
    # The formats for a pull request (annotations, its summary) never quote a withheld row.
    public = _public_findings(checked) if form in PUBLIC or markdown_report else findings
    click.echo(render(public if form in PUBLIC else findings, form), nl=False)
    if markdown_report:
        write_report(markdown_report, render(public, "markdown"))
    sys.exit(1 if has_errors(findings) else 0)


PUBLIC = ("github", "markdown")  # formats whose output a pull request shows


def _public_findings(checked) -> list:
    from datapackage.privacy import withheld_lines

    if not any(f.line is not None for f in checked.findings):
        return checked.findings  # nothing on a row: no need to look for withheld rows
    return conceal_withheld(checked.findings, withheld_lines(checked.package, checked.tables))


def write_report(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        click.echo(f"Error: cannot write {path}: {error.strerror}", err=True)
        sys.exit(2)


@cli.command()
@DESCRIPTOR
@click.option("--out", default="dist", show_default=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write the release to; replaced only when the new release is complete.")
@click.option("--timings", is_flag=True, help="Print the time each stage takes on stderr.")
def publish(descriptor: Path, out: Path, timings: bool):
    """Write Parquet, SQLite, the release datapackage.json and a zip.

    Refuses (exit 1, output untouched) when validation finds errors.

    \b
    Example:
        datapackage publish --out dist
    """
    from datapackage.publish.build import InvalidPackage, publish as publish_package
    from datapackage.publish.release_folder import OutputError

    try:
        folder = publish_package(descriptor, out, timed if timings else None)
    except (PackageError, OutputError) as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(2)
    except InvalidPackage as invalid:
        click.echo(render(invalid.findings, "text"), nl=False, err=True)
        click.echo(f"Error: not published; fix the errors above ({out} is unchanged)", err=True)
        sys.exit(1)
    click.echo(f"Published to {folder}")


@contextmanager
def timed(stage: str):
    start = time.perf_counter()
    yield
    click.echo(f"stage {stage}: {time.perf_counter() - start:.2f} s", err=True)


@cli.command()
@click.option("--dist", default="dist", show_default=True, type=click.Path(file_okay=False, path_type=Path),
              help="A folder written by 'datapackage publish'.")
@click.option("--port", default=8001, show_default=True, help="Port to listen on.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--allow-robots", is_flag=True, help="Let search engines index the site (blocked by default).")
@click.option("--workers", type=click.IntRange(min=1),
              help="Worker processes.  [default: one per core, at most 2]")
def serve(dist: Path, port: int, host: str, allow_robots: bool, workers: int | None):
    """Serve the published database with Datasette, read-only.

    \b
    Example:
        datapackage serve --port 8001
    """
    try:
        args = serve_command(dist, port, host, allow_robots, workers)
    except NothingToServe as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(2)
    click.echo(f"Serving {dist} on http://{host}:{port}/", err=True)
    os.execv(args[0], args)


@cli.command()
@DESCRIPTOR
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write data-dictionary.md to.  [default: docs beside the descriptor]")
def docs(descriptor: Path, out: Path | None):
    """Regenerate docs/data-dictionary.md from the schemas.

    The timeline chart depends on the data: publish draws it in dist/.

    \b
    Example:
        datapackage docs
    """
    from datapackage.docs import write_docs
    from datapackage.publish.release_folder import OutputError

    try:
        written = write_docs(descriptor, out or descriptor.parent / "docs")
    except (PackageError, OutputError) as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(2)
    for path in written:
        click.echo(f"Wrote {path}")


@cli.command()
@click.argument("base")
@click.argument("head", required=False)
@click.option("--format", "form", type=click.Choice(DIFF_FORMATS), default="text", show_default=True,
              help="How to print the differences.")
@click.option("--show-withheld", is_flag=True,
              help="Show withheld rows whole, for your own terminal; never for a pull request, "
                   "whose reports show a withheld row by its line alone.")
def diff(base: str, head: str | None, form: str, show_withheld: bool):
    """Show what changes from BASE to HEAD, row by row, by primary key.

    BASE and HEAD are package directories or revisions of the git repository
    containing the current directory; HEAD defaults to the package on disk.
    Exit 0 whatever the differences; 2 when a side cannot be read.

    \b
    Example:
        datapackage diff main --format markdown
    """
    try:
        changes = compare(base, head, reveal=show_withheld)
    except SnapshotError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(2)
    click.echo(render_diff(changes, form), nl=False)
