from datapackage.cli import cli

cli(prog_name="datapackage")
