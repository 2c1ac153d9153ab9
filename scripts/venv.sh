# Sourced by the checks that need a Python package from PyPI (check-hf-datasets.sh,
# test-spark.sh): `ensure_venv NAME DIR MODULE PACKAGE` makes a virtual environment in DIR with
# PACKAGE once and reuses it while `import MODULE` works; without PyPI it fails, loudly.
ensure_venv() {
    local name=$1 venv=$2 module=$3 package=$4 python=${PYTHON:-python3} started=$SECONDS
    if "$venv/bin/python" -c "import $module" 2>/dev/null; then
        return 0
    fi
    echo "$name: installing $package from PyPI into $venv (once)" >&2
    rm -rf "$venv"
    if ! "$python" -m venv "$venv" ||
        ! "$venv/bin/pip" install --quiet --disable-pip-version-check --timeout 60 --retries 2 "$package"; then
        rm -rf "$venv"
        echo "$name: FAILED: cannot install $package from PyPI (after $((SECONDS - started)) s);" \
            "the check needs network access to pypi.org once, or a ready venv in $venv" >&2
        exit 1
    fi
    echo "$name: installed $package in $((SECONDS - started)) s" >&2
}
