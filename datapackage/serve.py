"""Datasette, read-only, over a published release."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).parent
SETTINGS = {"sql_time_limit_ms": "1000", "max_returned_rows": "1000", "default_allow_sql": "on",
            "allow_download": "on"}


class NothingToServe(Exception):
    pass


def command(dist: Path, port: int, host: str, allow_robots: bool) -> list[str]:
    """The datasette command line for a published folder."""
    release = dist / "datapackage.json"
    metadata = dist / "metadata.json"
    if not release.exists() or not metadata.exists():
        raise NothingToServe(f"{dist}: no published release here; run 'datapackage publish --out {dist}' first")
    name = json.loads(release.read_text(encoding="utf-8"))["name"]
    if allow_robots:
        config = json.loads(metadata.read_text(encoding="utf-8"))
        config.get("plugins", {}).pop("datasette-block-robots", None)
        handle, path = tempfile.mkstemp(suffix=".json")
        os.write(handle, json.dumps(config).encode("utf-8"))
        os.close(handle)
        metadata = Path(path)
    args = [sys.executable, "-m", "datasette", "serve", "-i", str(dist / f"{name}.db"), "-m", str(metadata),
            "--static", f"downloads:{dist}", "--static", f"assets:{HERE / 'static'}",
            "--plugins-dir", str(HERE / "plugins"), "--template-dir", str(HERE / "templates"),
            "--host", host, "--port", str(port)]
    for key, value in SETTINGS.items():
        args += ["--setting", key, value]
    return args
