# Sourced by the scripts in this folder: create .venv if missing and install
# the project with the pinned versions of requirements.lock, showing each
# package as pip reaches it. Reinstalls when pyproject.toml or
# requirements.lock change. Leaves the shell in the repository root.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
STAMP="$VENV/.installed"
want="$(cat "$ROOT/pyproject.toml" "$ROOT/requirements.lock" | sha256sum | cut -d' ' -f1)"
if [ ! -x "$VENV/bin/python" ]; then
  echo "Creating $VENV" >&2
  python3 -m venv "$VENV"
fi
if [ "$(cat "$STAMP" 2>/dev/null)" != "$want" ]; then
  total="$(grep -c . "$ROOT/requirements.lock")"
  log="$VENV/install.log"
  echo "Installing $total pinned packages into $VENV (a minute or two the first time; log: $log)" >&2
  # pip's own output is long and its progress bars need a terminal: one line
  # per package instead, on stderr so that a command's stdout stays clean.
  if ! "$VENV/bin/python" -m pip install --disable-pip-version-check --progress-bar off \
      -c "$ROOT/requirements.lock" -e "$ROOT[test]" 2>&1 | tee "$log" \
      | awk -v total="$total" '/^(Collecting|Processing) /{n++; name = $2; sub(/.*\//, "", name)
                                 printf "  [%d/%d] %s\n", n, total, name; fflush()}
                               /^Installing collected packages/{print "  Unpacking them into the environment"; fflush()}
                               /^Successfully installed/{print "  Installed."}' >&2; then
    echo "Installing failed; the last lines of $log:" >&2
    tail -n 15 "$log" >&2
    exit 1
  fi
  echo "$want" > "$STAMP"
fi
export PATH="$VENV/bin:$PATH"
cd "$ROOT"
