# Shared settings for the scripts in this folder; sourced, never run.
#
# Everything a test run installs goes into project-local folders: the Python virtualenv in
# .venv/, Maven's repository and npm's packages under .cache/. Set TILLIT_MAVEN_REPO to reuse
# a Maven repository elsewhere (for example ~/.m2/repository) on a development machine.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${TILLIT_VENV:-$ROOT/.venv}"
CACHE="$ROOT/.cache"
MAVEN_REPO="${TILLIT_MAVEN_REPO:-$CACHE/m2}"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
JOBS="${TILLIT_JOBS:-2}"

step() {
    printf '\n==> %s\n' "$*"
}

# Creates the project's virtualenv and installs the test requirements, once per change of
# the requirements file.
ensure_venv() {
    if [ ! -x "$VENV/bin/python" ]; then
        step "creating the Python virtualenv in $VENV"
        python3 -m venv "$VENV"
    fi
    local stamp="$VENV/.requirements-installed"
    local reqs="$ROOT/bindings/python/requirements-test.txt"
    if [ ! -f "$stamp" ] || ! cmp -s "$reqs" "$stamp"; then
        step "installing the Python test requirements"
        "$VENV/bin/python" -m pip install --quiet --upgrade pip
        "$VENV/bin/python" -m pip install --quiet -r "$reqs"
        cp "$reqs" "$stamp"
    fi
}
