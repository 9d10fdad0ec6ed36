"""A package whose withheld rows form one long chain, for timing the walk
that finds every row referring to a withheld one.

    python benchmarks/withheld_chain.py --links 100000 --out /tmp/withheld-chain
    cd /tmp/withheld-chain && /usr/bin/time -f "%e s %M KB" python -m datapackage validate

Two people, one withheld; a note on the withheld person, then LINKS notes
each on the note before it, written last link first (so that reading the
rows in order meets each link before the one it refers to); one public note.
Every note but the public one is withheld, and validation finds nothing.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

PEOPLE = {"fields": [{"name": "pid", "type": "string"},
                     {"name": "visibility", "type": "string", "constraints": {"enum": ["public", "withheld"]},
                      "withholdsRow": {"value": "withheld", "reason": "withheld_reason"}},
                     {"name": "withheld_reason", "type": "string"}], "primaryKey": ["pid"]}
NOTES = {"fields": [{"name": "nid", "type": "string"}, {"name": "pid", "type": "string"},
                    {"name": "parent", "type": "string"}, {"name": "text", "type": "string"}],
         "primaryKey": ["nid"],
         "foreignKeys": [{"fields": ["pid"], "reference": {"resource": "people", "fields": ["pid"]}},
                         {"fields": ["parent"], "reference": {"resource": "", "fields": ["nid"]}}]}


def write(links: int, out: Path, secret: str = "withheld note") -> None:
    """The package in `out`; every withheld note's text starts with `secret`."""
    out.mkdir(parents=True, exist_ok=True)
    chain = "".join(f"n{i},,n{i - 1},{secret} {i}\n" for i in range(links + 1, 1, -1))
    files = {"people.csv": "pid,visibility,withheld_reason\np1,public,\np2,withheld,no consent\n",
             "notes.csv": f"nid,pid,parent,text\nn0,p1,,public note\nn1,p2,,{secret} 1\n{chain}",
             "people.json": json.dumps(PEOPLE), "notes.json": json.dumps(NOTES),
             "datapackage.json": json.dumps({"name": "withheld-chain", "resources": [
                 {"name": "people", "path": "people.csv", "schema": "people.json"},
                 {"name": "notes", "path": "notes.csv", "schema": "notes.json"}]})}
    for name, text in files.items():
        (out / name).write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--links", type=int, required=True, help="notes in the chain after the first")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the package to")
    args = parser.parse_args()
    write(args.links, args.out)


if __name__ == "__main__":
    main()
