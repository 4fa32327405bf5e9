#!/usr/bin/env bash
# What `make bench` runs besides Python: wrk (the load generator), redis-server (a private instance)
# and the mariadb client (to create the benchmark's database). Installs what is missing through apt.
set -euo pipefail
# shellcheck source=scripts/apt.sh
source "$(dirname "$0")/apt.sh"

missing=()
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v mariadb >/dev/null 2>&1 || missing+=(mariadb-client)
if [ ${#missing[@]} -gt 0 ]; then
    apt_install "${missing[@]}" || {
        echo "make bench needs: ${missing[*]}. On Debian/Ubuntu: sudo apt-get install ${missing[*]}" >&2
        exit 1
    }
fi
