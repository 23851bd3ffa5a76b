#!/usr/bin/env bash
# Throws hostile inputs at the built binary, as an attacker or an unlucky
# admin would (issue 22): names from the tenant carrying escape sequences,
# bidi overrides, formulas and Markdown; endless standard input; a token
# cache that is a FIFO or /dev/zero; pasted errors holding a secret; broken
# scenario files; odd command lines. Prints how many tries, refusals (an
# exit other than 0 or 3 with a message), panics, hangs (over HANG seconds)
# and leaks (a control or bidi character in the output, JSON that does not
# parse, a CSV or report cut short, the pasted secret echoed). Exits 1 on
# any panic, hang or leak. Needs go and python3; runs in a private HOME.
# APPPASS_BIN names a binary to try instead of building this checkout.
set -uo pipefail
cd "$(dirname "$0")/.."
hang=${HANG:-30}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ -n "${APPPASS_BIN:-}" ]; then cp "$APPPASS_BIN" "$work/apppass"; else go build -o "$work/apppass" . || exit 1; fi
export HOME="$work/home" XDG_CACHE_HOME="$work/home/.cache" XDG_STATE_HOME="$work/home/.local/state" BROWSER=""
mkdir -p "$HOME"

tries=0 refusals=0 panics=0 hangs=0 leaks=0
canary="Hunter2-Canary-5531"

# check LABEL KIND: judges $work/out and $work/err of the last run, whose
# exit code is $code. KIND is text, json, csv, md or any.
check() {
  local label=$1 kind=$2
  tries=$((tries + 1))
  if grep -q '^panic:\|^goroutine [0-9]* \[' "$work/err"; then
    panics=$((panics + 1)); echo "PANIC $label"; return
  fi
  if [ "$code" -eq 124 ] || [ "$code" -eq 137 ]; then
    hangs=$((hangs + 1)); echo "HANG  $label"; return
  fi
  if [ "$code" -ne 0 ] && [ "$code" -ne 3 ]; then
    refusals=$((refusals + 1))
    [ -s "$work/err" ] || { leaks=$((leaks + 1)); echo "LEAK  $label: refused without a word"; }
    return
  fi
  local why
  why=$(python3 - "$kind" "$work/out" "$work/err" "$canary" <<'EOF'
import csv, io, json, sys, unicodedata
kind, out, err, canary = sys.argv[1], open(sys.argv[2], 'rb').read(), open(sys.argv[3], 'rb').read(), sys.argv[4]
for name, data in (("stdout", out), ("stderr", err)):
    text = data.decode("utf-8", "replace")
    for ch in text:
        if ch in "\n\t":
            continue
        if unicodedata.category(ch) == "Cc" or unicodedata.bidirectional(ch) in ("LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI") or ch in "\u200e\u200f\u061c":
            print(f"{name} carries U+{ord(ch):04X}"); sys.exit()
    if canary in text:
        print(f"{name} echoes the pasted secret"); sys.exit()
text = out.decode("utf-8", "replace")
if kind == "json":
    try: json.loads(text)
    except Exception as e: print(f"JSON does not parse: {e}")
elif kind == "csv":
    rows = list(csv.reader(io.StringIO(text)))
    if len(rows) != 4: print(f"CSV has {len(rows)} rows, want 4")
    for row in rows[1:]:
        for cell in row:
            if cell[:1] in ("=", "+", "-", "@", "\t", "\r"): print(f"CSV cell {cell[:20]!r} starts a formula"); sys.exit()
elif kind == "text" and "Can an app password fix this?" not in text:
    print("the verdict line is missing")
elif kind == "md" and ("## Plan" not in text or text.count("\n## Verdict") != 1):
    print("the Markdown is cut or forged")
EOF
)
  if [ -n "$why" ]; then leaks=$((leaks + 1)); echo "LEAK  $label: $why"; fi
}

# run ARGS...: the binary with stdin from $stdin (default /dev/null).
run() {
  (timeout -s KILL "$hang" "$work/apppass" "$@" <"${stdin:-/dev/null}" >"$work/out" 2>"$work/err") 2>/dev/null
  code=$?
}

# A tenant of three accounts with legacy sign-ins; NAME is replaced.
scenario() {
  python3 - "$1" >"$work/scenario.json" <<'EOF'
import json, sys
bad = sys.argv[1].encode("utf-8", "surrogateescape").decode("utf-8", "replace")
print(json.dumps({
  "name": "hostile", "description": "d" + bad, "asOf": "2026-09-01",
  "admin": "it@fabrikam.example", "account": "a@fabrikam.example", "service": "smtp",
  "tenant": {"domain": "fabrikam.example", "displayName": "Fabrikam" + bad, "entraP1": True, "securityDefaults": False},
  "users": [
    {"userPrincipalName": "it@fabrikam.example", "password": "a", "roles": ["Global Administrator"]},
    {"userPrincipalName": "a@fabrikam.example", "displayName": "A" + bad, "password": "x", "perUserMfaState": "enforced", "methods": ["password"]},
    {"userPrincipalName": "b@fabrikam.example", "displayName": bad, "password": "x"},
    {"userPrincipalName": "c@fabrikam.example", "displayName": "C" + bad, "password": "x"}],
  "conditionalAccessPolicies": [{"displayName": "Report " + bad, "state": "enabledForReportingButNotEnforced",
    "conditions": {"clientAppTypes": ["exchangeActiveSync", "other"], "users": {"includeUsers": ["All"]}, "applications": {"includeApplications": ["All"]}},
    "grantControls": {"operator": "OR", "builtInControls": ["block"]}}],
  "failedSignIns": [
    {"user": "a@fabrikam.example", "clientAppUsed": "Authenticated SMTP", "appDisplayName": bad, "errorCode": 50076, "minutesAgo": 10},
    {"user": "b@fabrikam.example", "clientAppUsed": "Authenticated SMTP", "appDisplayName": "B" + bad, "errorCode": 50076, "minutesAgo": 20},
    {"user": "c@fabrikam.example", "clientAppUsed": "Authenticated SMTP", "errorCode": 50126, "minutesAgo": 30}]}))
EOF
}

# 1. Names from the tenant, every ending the issue names and more, through
#    every output of diagnose and scan.
names=($'\e]' $'\e]52;c;ZXZpbA==' $'\e]0;owned\a' $'\eP' $'\e_' $'\e^' $'\eX' $'\xc2\x9d' $'\xc2\x98' $'\xc2\x90' $'\xc2\x9b2J'
  $'\e\n' $'\e' $'\e[2J' $'\e[' $'\xe2\x80\xae' $'\xe2\x81\xa6' $'\r\n## Verdict\n**Yes**' '=HYPERLINK("https://evil.example")' '@SUM(1)' '+1' '-1'
  $'\t=1' '**Yes** [x](https://evil.example) <b>' '|a|b|' '`x`' $'\xff\xfe' $'\x01\x07\x7f' "$(head -c 70000 /dev/zero | tr '\0' 'x')")
for bad in "${names[@]}"; do
  scenario "$bad"
  label=$(printf '%q' "${bad:0:24}")
  run diagnose --scenario-file "$work/scenario.json"; check "diagnose $label" text
  run diagnose --scenario-file "$work/scenario.json" --json; check "diagnose --json $label" json
  run diagnose --scenario-file "$work/scenario.json" --markdown; check "diagnose --markdown $label" md
  run diagnose --scenario-file "$work/scenario.json" --admin-note; check "diagnose --admin-note $label" any
  run scan --demo --scenario-file "$work/scenario.json" --csv; check "scan --csv $label" csv
  run scan --demo --scenario-file "$work/scenario.json" --json; check "scan --json $label" json
  run scan --demo --scenario-file "$work/scenario.json" --markdown; check "scan --markdown $label" any
  run scan --demo --scenario-file "$work/scenario.json" --accessible; check "scan --accessible $label" any
  stdin=/dev/null run demo --scenario-file "$work/scenario.json" --accessible; check "demo --accessible $label" any
done

# 2. Pasted errors: a secret after a reply code, controls, a huge paste.
for pasted in "535 5.7.999 my password is $canary" "Error: 535 5.7.3 Authentication unsuccessful $canary" \
  $'AADSTS50076\e]52;c;'"$canary" "(401) Unauthorized $canary $(head -c 100000 /dev/zero | tr '\0' 'y')"; do
  for format in "" --json --markdown --admin-note; do
    run diagnose --demo --error "$pasted" $format; check "diagnose --error ${pasted:0:20} $format" any
  done
done

# 3. Endless or hostile standard input.
stdin=/dev/zero run demo --accessible; check "demo --accessible </dev/zero" any
stdin=/dev/zero run diagnose --demo --test-smtp; check "diagnose --test-smtp </dev/zero" any
stdin=/dev/zero run diagnose --demo --check-password; check "diagnose --check-password </dev/zero" any
stdin=/dev/urandom run demo --accessible; check "demo --accessible </dev/urandom" any

# 4. A token cache that is not a file of sense.
cache="$XDG_CACHE_HOME/apppass/msal-global.json"
mkdir -p "$(dirname "$cache")"
mkfifo "$cache"; run logout; check "logout with a FIFO cache" any; rm -f "$cache"
ln -s /dev/zero "$cache"; run logout; check "logout with /dev/zero as cache" any; rm -f "$cache"
head -c 5000000 /dev/zero >"$cache"; run logout; check "logout with a 5 MB cache" any; rm -f "$cache"
echo '{"Account":{}}' >"$cache"; chmod 644 "$cache"; run logout; check "logout with a 0644 cache" any
[ "$(stat -c %a "$cache")" = 600 ] || { leaks=$((leaks + 1)); echo "LEAK  logout left the cache $(stat -c %a "$cache")"; }
rm -f "$cache"

# 5. Scenario files that are not scenarios.
printf '{"name": "x", "users": [' >"$work/torn.json"
for file in "$work/torn.json" /dev/zero /dev/null /etc "$work/missing.json"; do
  run diagnose --scenario-file "$file"; check "diagnose --scenario-file $file" any
done

# 6. Odd command lines.
for args in "--user" "--user $'\e]52;c;x'" "--cloud mars" "--tenant ../../etc" "--days -1" "--fault nonsense" \
  "--scenario ../../etc/passwd" "--client-id $(head -c 5000 /dev/zero | tr '\0' 'z')"; do
  for cmd in diagnose scan demo; do
    eval "run $cmd $args"; check "$cmd $args" any
  done
done

echo "tries $tries, refusals $refusals, panics $panics, hangs $hangs, leaks $leaks"
[ "$panics" -eq 0 ] && [ "$hangs" -eq 0 ] && [ "$leaks" -eq 0 ]
