#!/usr/bin/env bash
# What a waiting screen costs as a person sees it (issue 24): the demo at
# 120x40 in a 256-colour terminal, on the sign-in screen's wait, and the CPU
# the process uses per second meanwhile (from /proc, over 3 s from a second after the screen shows, before the
# demo's simulated person signs in at 5 s). A figure, not a gate.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v tmux >/dev/null || { echo "tmux is needed"; exit 1; }
work=$(mktemp -d)
trap 'tmux -L waiting kill-server 2>/dev/null || true; rm -rf "$work"' EXIT
go build -o "$work/apppass" .
mkdir -p "$work/home"
tm() { tmux -L waiting "$@"; }
tm new-session -d -s w -x 120 -y 40 "TERM=xterm-256color HOME='$work/home' XDG_CACHE_HOME='$work/home/.cache' XDG_STATE_HOME='$work/home/.state' '$work/apppass' demo --scenario classic; sleep 30"
seen() { for _ in $(seq 100); do tm capture-pane -p -t w | grep -qF -- "$1" && return 0; sleep 0.1; done; echo "never saw: $1"; exit 1; }
seen "Whose connection is it?"
tm send-keys -t w Down Enter
seen "Waiting for you to sign in"
pid=$(pgrep -x -P "$(tm display -p -t w "#{pane_pid}")" apppass)
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
sleep 1 # past the sign-in's own start-up work
before=$(ticks); sleep 3; after=$(ticks)
echo "waiting screen at 120x40 in colour: $(( (after - before) * 1000 / $(getconf CLK_TCK) / 3 )) ms of CPU per second"
