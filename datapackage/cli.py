"""The `datapackage` command: argument parsing and exit codes, nothing else.

Exit codes: 0 no errors (warnings allowed); 1 the package has errors;
2 there is no package to look at, or the command was used wrongly.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from datapackage.findings import has_errors
from datapackage.publish import InvalidPackage, publish as publish_package
from datapackage.package import PackageError
from datapackage.report import FORMATS, render
from datapackage.validate import validate as validate_package


@click.group()
def cli():
    """Validate, publish and explore the Tartar case data package."""


@cli.command()
@click.argument("descriptor", default="datapackage.json", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "form", type=click.Choice(FORMATS), default="text", show_default=True,
              help="How to print the findings.")
def validate(descriptor: Path, form: str):
    """Check the CSVs against their schemas and the cross-table rules.

    \b
    Example:
        datapackage validate datapackage.json --format github
    """
    try:
        findings = validate_package(descriptor)
    except PackageError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(2)
    click.echo(render(findings, form), nl=False)
    sys.exit(1 if has_errors(findings) else 0)


@cli.command()
@click.argument("descriptor", default="datapackage.json", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", default="dist", show_default=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write the release to; replaced only when the new release is complete.")
def publish(descriptor: Path, out: Path):
    """Write Parquet, SQLite, the release datapackage.json and a zip.

    Refuses (exit 1, output untouched) when validation finds errors.

    \b
    Example:
        datapackage publish --out dist
    """
    try:
        folder = publish_package(descriptor, out)
    except PackageError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(2)
    except InvalidPackage as invalid:
        click.echo(render(invalid.findings, "text"), nl=False, err=True)
        click.echo(f"Error: not published; fix the errors above ({out} is unchanged)", err=True)
        sys.exit(1)
    click.echo(f"Published to {folder}")
