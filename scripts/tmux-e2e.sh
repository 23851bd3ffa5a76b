#!/usr/bin/env bash
# Real-terminal test: tmux runs `apppass demo --scenario classic`, keys drive
# it through every screen to the summary while each screen is captured and
# checked; a second run is cancelled with ctrl+c mid-sign-in and the
# terminal must come back (no alternate screen, cursor visible, cooked mode).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v tmux >/dev/null || { echo "tmux is needed (apt-get install tmux)"; exit 1; }

work=$(mktemp -d)
trap 'tmux -L apppass-e2e kill-server 2>/dev/null || true; rm -rf "$work"' EXIT
go build -o "$work/apppass" .
export HOME="$work/home" XDG_CACHE_HOME="$work/home/.cache" XDG_STATE_HOME="$work/home/.state"
mkdir -p "$HOME"
tm() { tmux -L apppass-e2e "$@"; }
# A session that outlives the test sessions: when the last session goes, the
# tmux server exits, and a new-session racing that exit fails.
tm new-session -d -s keeper "sleep 3600"

# wait_for TEXT: poll the pane until TEXT shows (10 s), then save the screen.
shot=0
wait_for() {
  for _ in $(seq 100); do
    if tm capture-pane -p -t e2e | grep -qF -- "$1"; then
      shot=$((shot + 1)); tm capture-pane -p -t e2e > "$work/screen-$shot.txt"
      echo "ok   screen $shot: $1"; return 0
    fi
    sleep 0.1
  done
  echo "FAIL waiting for: $1"; tm capture-pane -p -t e2e; exit 1
}
keys() { tm send-keys -t e2e "$@"; sleep 0.2; }

tm new-session -d -s e2e -x 100 -y 32 "cd '$work' && /usr/bin/time -f %M -o '$work/rss' ./apppass demo --scenario classic; echo EXIT=\$?; sleep 60"
wait_for "Whose connection is it?"
keys Down Enter;            wait_for "Waiting for you to sign in in the browser"
keys a;                     wait_for "Signed in"
keys Enter;                 wait_for "The failing connection"
keys Enter;                 wait_for "Can an app password fix this?"
keys Enter;                 wait_for "tenant setting · no API"
keys y;                     wait_for "Make this change? [y/N]"
keys y;                     wait_for "per-user MFA: enforced"
keys Enter;                 wait_for "Sign the account out everywhere?"
keys y;                     wait_for "sign-in sessions: valid from"
keys Enter;                 wait_for "by the account owner"
keys c;                     wait_for "Simulated Security info page"
keys y;                     wait_for "Paste the app password"
keys C-d;                   wait_for "235 2.7.0 Authentication successful"
keys Enter;                 wait_for "Waiting for the app"
keys s;                     wait_for "Changes made"
keys Enter;                 wait_for "EXIT=0"
tm kill-session -t e2e

# The classic procedure, walked whole at the README's minimum size (80×24),
# signing in with a device code: the admin chooses to put MFA on an account
# that has none, then allow, enable, enforce, sign-out, create and test.
tm new-session -d -s e2e -x 80 -y 24 "cd '$work' && ./apppass demo --scenario mfa-rollout --device-code; echo EXIT=\$?; sleep 60"
wait_for "Whose connection is it?"
keys Down Enter;            wait_for "enter this code"
keys a;                     wait_for "Signed in"
keys Enter;                 wait_for "The failing connection"
keys Enter;                 wait_for "m put MFA on this account"
keys m;                     wait_for "Walk these steps now?"
keys y;                     wait_for "tenant setting · no API"
keys y;                     wait_for "disabled → enabled"
keys y;                     wait_for "per-user MFA: enabled"
keys Enter;                 wait_for "enabled → enforced"
keys y;                     wait_for "per-user MFA: enforced"
keys Enter;                 wait_for "Sign the account out everywhere?"
keys y;                     wait_for "sign-in sessions: valid from"
keys Enter;                 wait_for "Create the app password"
keys c;                     wait_for "Simulated Security info page"
keys y;                     wait_for "Paste the app password"
keys C-d;                   wait_for "235 2.7.0 Authentication successful"
keys Enter;                 wait_for "Waiting for the app"
keys s;                     wait_for "Enable MFA: done"
keys Enter;                 wait_for "EXIT=0"
tm kill-session -t e2e

# The end-user path at 80×24: the demo plays the account owner, who reads
# only their own account and settles the answer by creating and testing
# the app password.
tm new-session -d -s e2e -x 80 -y 24 "cd '$work' && ./apppass demo --scenario classic; echo EXIT=\$?; sleep 60"
wait_for "Whose connection is it?"
keys Enter;                 wait_for "simulated account owner"
keys a;                     wait_for "Backup Service (backup@"
keys Enter;                 wait_for "The failing connection"
keys Enter;                 wait_for "Cause apppass cannot tell yet"
keys Enter;                 wait_for "Create the app password"
keys c;                     wait_for "Simulated Security info page"
keys y;                     wait_for "Paste the app password"
keys C-d;                   wait_for "235 2.7.0 Authentication successful"
keys Enter;                 wait_for "Waiting for the app"
keys s;                     wait_for "App password: Yes, until"
keys Enter;                 wait_for "EXIT=0"
tm kill-session -t e2e
rss_mb=$(( $(cat "$work/rss") / 1024 ))
[ "$rss_mb" -lt 50 ] || { echo "FAIL peak memory of a full demo run: $rss_mb MB (budget < 50 MB)"; exit 1; }
echo "ok   peak memory of a full demo run: $rss_mb MB (budget < 50 MB)"

# ctrl+c on every screen, including while the browser sign-in or the
# device code waits and
# during a write: the exit code is 2 and the terminal is back (cooked mode,
# echo, cursor shown, main screen).
# cancel_at LABEL EXTRA_ARGS then pairs of KEYS WAIT_TEXT; ctrl+c after the last.
cancel_at() {
  local label=$1 extra=$2; shift 2
  tm new-session -d -s e2e -x 100 -y 32 "cd '$work' && ./apppass demo --scenario classic $extra; code=\$?; stty -a | tr ' ' '\n' | grep -x -- '-\?icanon\|-\?echo' | tr '\n' ' '; echo; echo EXIT=\$code; sleep 60"
  wait_for "Whose connection is it?"
  while [ $# -gt 0 ]; do keys $1; wait_for "$2"; shift 2; done
  keys C-c; wait_for "EXIT=2"
  local pane; pane=$(tm capture-pane -p -t e2e)
  echo "$pane" | grep -q "icanon echo" || { echo "FAIL $label: terminal not back in cooked mode with echo:"; echo "$pane"; exit 1; }
  echo "$pane" | grep -q "ctrl+c quit" && { echo "FAIL $label: the wizard's screen was left behind:"; echo "$pane"; exit 1; }
  local state; state=$(tm display -p -t e2e '#{cursor_flag} #{alternate_on}')
  [ "$state" = "1 0" ] || { echo "FAIL $label: cursor/alternate screen $state (want '1 0')"; exit 1; }
  tm kill-session -t e2e
  echo "ok   ctrl+c on $label: exit 2, terminal restored"
}
to_browser=("Down Enter" "Waiting for you to sign in in the browser")
to_conn=("${to_browser[@]}" a "Signed in" Enter "The failing connection")
to_diag=("${to_conn[@]}" Enter "Can an app password fix this?")
to_allow=("${to_diag[@]}" Enter "tenant setting")
to_confirm=("${to_allow[@]}" y "[y/N]")
cancel_at "welcome" ""
cancel_at "the browser sign-in's wait" "" "${to_browser[@]}"
cancel_at "device-code polling" "--device-code" "Down Enter" "enter this code"
cancel_at "connection" "" "${to_conn[@]}"
cancel_at "diagnosis" "" "${to_diag[@]}"
cancel_at "allow app passwords" "" "${to_allow[@]}"
cancel_at "a confirmation" "" "${to_confirm[@]}"
cancel_at "a running write" "--fault latency:mfaRequirements" "${to_confirm[@]}" y "Changing"
echo "2 walks passed, 0 failed"
