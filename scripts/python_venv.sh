#!/bin/sh
# One Python virtual environment for the tests that need PyPI packages (the trainer's torch +
# transformers, the clients' TRL contract tests), shared so that torch is installed once per machine.
#
#   scripts/python_venv.sh [distribution ...]     # e.g. torch transformers trl
#
# Prints the venv's python as its last line of stdout. Idempotent: distributions already installed
# are not installed again. A lock serialises concurrent callers (two test files at once).
# The venv sees Debian's packages (numpy, pillow) through --system-site-packages.
# Location: $ARBITER_VENV, default $HOME/.cache/arbiter/venv (outside the checkout: a clean clone reuses it).
# pip gets a short timeout and no retries: on machines with a local wheel store PyPI may be unreachable.
set -eu
VENV="${ARBITER_VENV:-${HOME:-/root}/.cache/arbiter/venv}"
PY="$VENV/bin/python"
mkdir -p "$(dirname "$VENV")"

# Which of the named distributions are missing. With LOCAL=1, Debian's copies do not count: only the
# venv's own do (for packages that must be shadowed, below).
need() {
  [ -x "$PY" ] || { echo "$@"; return 0; }
  LOCAL="${LOCAL:-}" "$PY" -c '
import importlib.metadata as m, os, sys
out = []
for name in sys.argv[1:]:
    try:
        where = str(m.distribution(name).locate_file(""))
        found = not os.environ["LOCAL"] or where.startswith(sys.prefix + os.sep)
    except m.PackageNotFoundError:
        found = False
    if not found:
        out.append(name)
print(" ".join(out))' "$@"
}

# Debian's scipy and matplotlib are built against numpy 1; once a package pulls numpy 2 into the venv
# (trl, pandas do), they must be shadowed by the venv's own, or `import transformers` fails in scipy.
numpy1_dependents() {
  "$PY" -c 'import numpy, sys; sys.exit(0 if int(numpy.__version__.split(".")[0]) >= 2 else 1)' 2>/dev/null &&
    LOCAL=1 need scipy matplotlib
  return 0
}

(
  flock 9
  if [ ! -x "$PY" ]; then
    if ! /usr/bin/python3 -m venv --system-site-packages "$VENV" >&2; then
      # Debian splits venv's ensurepip into python3-venv; as root, install it and try again.
      rm -rf "$VENV"
      [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null || exit 1
      DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3-venv >&2 ||
        { apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y python3-venv >&2; }
      /usr/bin/python3 -m venv --system-site-packages "$VENV" >&2
    fi
  fi
  todo="$(need "$@")"
  if [ -n "$todo" ]; then
    echo "python_venv: installing $todo into $VENV" >&2
    # shellcheck disable=SC2086 # the list is distribution names, split on purpose
    "$PY" -m pip install --quiet --timeout 5 --retries 0 $todo >&2
  fi
  todo="$(numpy1_dependents)"
  if [ -n "$todo" ]; then
    echo "python_venv: numpy 2 in the venv: installing $todo into $VENV" >&2
    # shellcheck disable=SC2086
    "$PY" -m pip install --quiet --timeout 5 --retries 0 $todo >&2
  fi
) 9>"$VENV.lock"
echo "$PY"
