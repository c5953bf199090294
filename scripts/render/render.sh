#!/usr/bin/env bash
# Renders a page to PNG with headless Chromium so that a change to a report can be looked at.
#
#   scripts/render/render.sh INPUT OUTPUT.png [WIDTH] [HEIGHT]
#
# INPUT is an HTML file (e.g. from `fovea rf MODEL --html report.html`), or a markdown or LaTeX
# derivation from `fovea explain --format markdown|latex`, which is first converted to HTML with
# pandoc (math as MathML, rendered by Chromium itself; nothing is fetched from the network).
# The viewport is WIDTH×HEIGHT CSS pixels (default 1100×2400); the screenshot is cropped below
# the last non-white row. Needs chromium (apt-get install -y chromium) and, for markdown/LaTeX,
# pandoc (apt-get install -y pandoc); Fovea itself never needs them.
set -euo pipefail

if [ $# -lt 2 ]; then
    echo "usage: $0 INPUT.(html|md|tex) OUTPUT.png [WIDTH] [HEIGHT]" >&2
    exit 2
fi
input=$1
output=$2
width=${3:-1100}
height=${4:-2400}
here=$(cd "$(dirname "$0")" && pwd)

browser=""
for candidate in chromium chromium-browser google-chrome; do
    if command -v "$candidate" >/dev/null 2>&1; then browser=$candidate; break; fi
done
if [ -z "$browser" ]; then
    echo "$0: no chromium found; install it with: apt-get install -y chromium" >&2
    exit 2
fi
if [ ! -f "$input" ]; then
    echo "$0: $input: no such file" >&2
    exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

case "$input" in
    *.html|*.htm)
        page=$(cd "$(dirname "$input")" && pwd)/$(basename "$input")
        ;;
    *.md|*.markdown|*.tex)
        if ! command -v pandoc >/dev/null 2>&1; then
            echo "$0: converting $input needs pandoc; install it with: apt-get install -y pandoc" >&2
            exit 2
        fi
        from=markdown
        case "$input" in *.tex) from=latex ;; esac
        page=$work/page.html
        pandoc --from "$from" --to html5 --standalone --mathml --template "$here/derivation.template.html" \
            --metadata pagetitle="$(basename "$input")" --output "$page" "$input"
        ;;
    *)
        echo "$0: $input: expected .html, .md or .tex" >&2
        exit 2
        ;;
esac

rm -f "$output"
# Headless Chromium, no network, no user profile; dbus warnings go to a log shown on failure.
if ! "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
        --user-data-dir="$work/profile" --window-size="$width,$height" --screenshot="$output" \
        "file://$page" >"$work/chromium.log" 2>&1 || [ ! -s "$output" ]; then
    cat "$work/chromium.log" >&2
    echo "$0: chromium could not render $input" >&2
    exit 1
fi
python3 "$here/trim.py" "$output"
