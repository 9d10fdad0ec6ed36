"""`python -m datapackage`: the same command, and a message that says what to
run when this Python lacks the toolkit's dependencies (the usual case is a
system Python run from the repository instead of the one in .venv)."""

import sys


def missing_dependency(error: ModuleNotFoundError) -> bool:
    """A module of another distribution, not a bug in this package."""
    return bool(error.name) and error.name.split(".")[0] != "datapackage"


def main() -> None:
    try:
        from datapackage.cli import cli

        cli(prog_name="datapackage")
    except ModuleNotFoundError as error:
        if not missing_dependency(error):
            raise
        command = " ".join(["scripts/datapackage", *sys.argv[1:]])
        print(f"Error: this Python ({sys.executable}) does not have the toolkit's dependencies "
              f"(no module named '{error.name}'). From the repository, run `{command}` instead: it "
              "creates .venv, installs the pinned dependencies and runs the command there. Or run "
              "scripts/run once, then `source .venv/bin/activate`.", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
