"""A bug is not a finding: an unexpected exception ends the command with
exit 3, one line on stderr, and the traceback saved to a file to report."""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback

import click

BUG = 3


class SafeGroup(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit, KeyboardInterrupt):
            raise
        except Exception as error:  # every other exception is a bug in this toolkit
            path = save(traceback.format_exc())
            click.echo(f"Internal error: {type(error).__name__}: {str(error)[:300]}. This is a bug in the "
                       f"datapackage toolkit, not a problem in your data; the traceback is in {path}", err=True)
            sys.exit(BUG)


def save(text: str) -> str:
    handle, path = tempfile.mkstemp(prefix=f"datapackage-crash-{time.strftime('%Y%m%d-%H%M%S')}-", suffix=".txt")
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        file.write(text)
    return path
