#!/usr/bin/env bash
# Renders the README's screenshots from a real demo run: tmux drives
# `apppass demo --scenario classic`, captures the coloured pane, aha turns it
# into HTML and headless Chromium into PNG (docs/img). Needs tmux, aha, chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in tmux aha chromium; do command -v $tool >/dev/null || { echo "needs $tool (apt-get install $tool)"; exit 1; }; done
work=$(mktemp -d)
trap 'tmux -L apppass-shots kill-server 2>/dev/null || true; rm -rf "$work"' EXIT
go build -o "$work/apppass" .
export HOME="$work/home" XDG_CACHE_HOME="$work/home/.cache" XDG_STATE_HOME="$work/home/.state"
mkdir -p "$HOME" docs/img
tm() { tmux -L apppass-shots "$@"; }
wait_for() { for _ in $(seq 100); do tm capture-pane -p -t s | grep -qF -- "$1" && return 0; sleep 0.1; done; echo "timed out: $1"; exit 1; }
shoot() { # name
  tm capture-pane -e -p -t s | aha --black --title apppass > "$work/$1.html"
  sed -i 's|<pre>|<pre style="font: 15px/1.25 \x27DejaVu Sans Mono\x27, monospace; margin: 12px">|' "$work/$1.html"
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$work/chrome" --hide-scrollbars \
    --window-size=940,720 --screenshot="docs/img/$1.png" "file://$work/$1.html" >/dev/null 2>&1
  echo "docs/img/$1.png"
}
keys() { tm send-keys -t s "$@"; sleep 0.3; }
tm new-session -d -s s -x 100 -y 34 "cd '$work' && COLORTERM=truecolor ./apppass demo --scenario classic; sleep 30"
wait_for "Whose connection";  keys Down Enter
wait_for "Waiting for you to sign in"; shoot sign-in; keys a
wait_for "Signed in";         keys Enter
wait_for "failing connection"; keys Enter
wait_for "fix this?";         sleep 0.5; shoot diagnosis; keys Enter
wait_for "no API";            keys y
wait_for "[y/N]";             shoot enforce
keys y;   wait_for "per-user MFA: enforced"; keys Enter
wait_for "everywhere?";       keys y
wait_for "valid from";        keys Enter
wait_for "by the account owner"; keys c
wait_for "Simulated";         keys y
wait_for "Paste";             keys C-d
wait_for "235";               keys Enter
wait_for "Waiting for the app"; keys s
wait_for "Changes made";      sleep 0.3; shoot summary
