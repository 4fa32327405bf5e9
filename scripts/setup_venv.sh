#!/usr/bin/env bash
# Creates the virtualenv and installs the requirements, on a fresh Debian/Ubuntu machine too.
# The MySQL driver is optional for the embedded default: without its system headers we say
# what to install and carry on, unless DB_HOST asks for MySQL.
set -euo pipefail
VENV=${VENV:-.venv}
PYTHON=${PYTHON:-}

# shellcheck source=scripts/apt.sh
source "$(dirname "$0")/apt.sh"

if [ -z "$PYTHON" ]; then
    echo "Python 3.11 or newer is needed. On Debian/Ubuntu: sudo apt-get install python3 python3-venv" >&2
    exit 1
fi

if [ ! -x "$VENV/bin/python" ]; then
    if ! "$PYTHON" -m venv "$VENV" 2>/dev/null; then
        rm -rf "$VENV"
        version=$("$PYTHON" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
        apt_install "python${version}-venv" || apt_install python3-venv || {
            echo "Cannot create a virtualenv. Install the venv module: sudo apt-get install python3-venv" >&2
            exit 1
        }
        "$PYTHON" -m venv "$VENV"
    fi
fi

"$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip
"$VENV/bin/python" -m pip install -q --disable-pip-version-check -r requirements-dev.txt

mysql_headers() { command -v pkg-config >/dev/null 2>&1 && { pkg-config --exists mysqlclient || pkg-config --exists libmariadb; }; }
if ! "$VENV/bin/python" -c 'import MySQLdb' 2>/dev/null; then
    mysql_headers || apt_install pkg-config libmariadb-dev build-essential || true
    if mysql_headers && "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r requirements-mysql.txt; then
        echo "mysqlclient installed."
    elif [ -n "${DB_HOST:-}" ]; then
        echo "DB_HOST is set but mysqlclient could not be installed. Install its headers:" >&2
        echo "  sudo apt-get install pkg-config libmariadb-dev build-essential   (then run make again)" >&2
        exit 1
    else
        echo "Note: mysqlclient skipped (no MySQL/MariaDB headers). The embedded SQLite default works without it;" >&2
        echo "      for MySQL: sudo apt-get install pkg-config libmariadb-dev build-essential" >&2
    fi
fi

# The render engine's Debian packages: DejaVu fonts for the storyboard panels (without them Pillow's
# bundled default font is used), espeak-ng for the animatic's optional temporary voice track, and
# poppler-utils, with which a test renders the PDF sheets as a strict viewer does (it skips without).
render_packages_missing() {
    [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || ! command -v espeak-ng >/dev/null 2>&1 \
        || ! command -v pdftoppm >/dev/null 2>&1
}
if render_packages_missing; then
    apt_install fonts-dejavu-core espeak-ng poppler-utils || {
        echo "Note: for the storyboard fonts, the animatic's voice track and the PDF viewer test install:" >&2
        echo "      sudo apt-get install fonts-dejavu-core espeak-ng poppler-utils" >&2
    }
fi
