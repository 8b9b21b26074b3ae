#!/usr/bin/env bash
# Installs the Debian packages cradle needs (make install runs this first). Each entry: package, then the
# command or file that shows it is present. tests/test_system_deps.py checks this list against the code's needs.
# As root the missing packages are installed; otherwise the script stops with the one apt-get line to run.
set -euo pipefail

NEEDS=(
  "postgresql|initdb"                      # tests start a throw-away server; production runs on it
  "chromium|/usr/bin/chromium"             # browser tests (Playwright drives Debian's chromium)
  "fonts-noto-cjk|font:Noto Sans CJK SC"   # PDF reports, certificates and charts name this family
  "nodejs|node"                            # front-end assets (npm ci, then vendor copy)
  "npm|npm"
  "default-jre-headless|java"              # Spark engine (cradle batch --engine spark)
)

present() {
  local probe=$1
  case "$probe" in
    font:*) fc-list 2>/dev/null | grep -iF "${probe#font:}" >/dev/null ;;  # not -q: an early exit fails the pipe
    /*) [ -x "$probe" ] ;;
    initdb) command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 ;;
    *) command -v "$probe" >/dev/null 2>&1 ;;
  esac
}

missing=()
for entry in "${NEEDS[@]}"; do
  present "${entry#*|}" || missing+=("${entry%%|*}")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "cradle needs Debian packages that are not installed. Run, as root:" >&2
  echo "  apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
echo "installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
