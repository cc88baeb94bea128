#!/usr/bin/env bash
# Takes a screenshot of an HTML report (HtmlReport's page) with headless Chromium, to look at the
# page without a browser or to attach a picture of it: writes REPORT.png next to REPORT.html.
#
#   analytics/cli/scripts/render-report.sh report.html [width,height]
#
# The window defaults to 1400x2000 px; the page is cut off below that height. Needs Chromium
# (`chromium`, `chromium-browser` or `google-chrome`); on Debian or Ubuntu run as root it installs
# Debian's `chromium` with apt-get when none is found, otherwise it says how to. The page is
# self-contained, so Chromium loads nothing but the file itself.
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 || ! -f "$1" ]]; then
  echo "usage: $0 REPORT.html [width,height]   (writes REPORT.png next to it)" >&2
  exit 2
fi
html="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
png="${html%.*}.png"
size="${2:-1400,2000}"

find_chromium() {
  local name
  for name in chromium chromium-browser google-chrome google-chrome-stable; do
    if command -v "$name" >/dev/null 2>&1; then
      command -v "$name"
      return 0
    fi
  done
  return 1
}

if ! browser="$(find_chromium)"; then
  if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "Chromium not found: installing Debian's chromium with apt-get" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    browser="$(find_chromium)"
  else
    echo "Chromium not found. Install it, e.g. 'sudo apt-get install chromium' (Debian)," \
      "'sudo apt-get install chromium-browser' (Ubuntu), 'sudo dnf install chromium' (Fedora)" \
      "or 'brew install --cask chromium' (macOS), then run this again." >&2
    exit 1
  fi
fi

# A throwaway profile, so that a running browser's profile is neither used nor locked.
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT

"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
  --user-data-dir="$profile" --window-size="$size" --screenshot="$png" "file://$html" \
  >/dev/null 2>&1
if [[ ! -s "$png" ]]; then
  echo "Chromium wrote no screenshot to $png" >&2
  exit 1
fi
echo "$png"
