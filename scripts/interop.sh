#!/usr/bin/env bash
# Clients nobody at apppass wrote, against `apppass simcloud --scenario
# classic` (DESIGN.md "Tests"): MSAL for Node for the authority (device
# code, silent refresh, password-grant errors, browser sign-in with PKCE),
# swaks and Python's smtplib for SMTP AUTH, curl for the token endpoint and
# Graph's wire shapes. Each check prints "ok" or "FAIL"; any FAIL exits 1.
# Needs node (with `npm ci` run in scripts/interop), swaks, curl, python3.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in go node swaks curl python3; do
  command -v "$tool" >/dev/null || { echo "interop: $tool is needed"; exit 1; }
done
[ -d scripts/interop/node_modules/@azure/msal-node ] || { echo "interop: run npm ci in scripts/interop first"; exit 1; }

work=$(mktemp -d)
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

failures=0
ok() { echo "ok   $1"; }
fail() { echo "FAIL $1"; failures=$((failures + 1)); }
check() { local label=$1; shift; if "$@"; then ok "$label"; else fail "$label"; fi; }

go build -o "$work/apppass" .
"$work/apppass" simcloud --scenario classic >"$work/line" 2>"$work/notes" &
pid=$!
# Wait (at most 10 s) for the one line that says where the cloud is.
for _ in $(seq 100); do
  [ -s "$work/line" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/notes"; echo "FAIL apppass simcloud exited before its line"; exit 1; }
  sleep 0.1
done
[ -s "$work/line" ] || { echo "FAIL no line from apppass simcloud in 10 s"; exit 1; }

# field PATH: one value of the line (a dotted path).
field() { python3 -c $'import json, sys\nv = json.load(open(sys.argv[1]))\nfor k in sys.argv[2].split("."): v = v[k]\nprint(v)' "$work/line" "$1"; }
authority=$(field authority); graph=$(field graphRoot); smtp=$(field smtp); ca=$(field caCertificate)
tenant=$(field tenant.id)
admin=$(field identities.admin.upn); admin_pw=$(field identities.admin.password)
account=$(field identities.account.upn); account_pw=$(field identities.account.password)
echo "simcloud: $authority (tenant $tenant), SMTP $smtp"
check "simcloud: the certificate file is readable by its owner only" [ "$(stat -c %a "$ca")" = 600 ]

# --- MSAL for Node -----------------------------------------------------------
NODE_EXTRA_CA_CERTS="$ca" node scripts/interop/msal.mjs "$work/line" "$work/smtp-token" || failures=$((failures + 1))

# --- swaks: AUTH LOGIN after STARTTLS, the certificate verified ---------------
# swaks_auth USER SECRET: the reply to the AUTH exchange.
swaks_auth() {
  swaks --server "$smtp" --tls --tls-verify --tls-ca-path "$ca" --auth LOGIN \
    --auth-user "$1" --auth-password "$2" --quit-after AUTH --hide-informational 2>&1 |
    sed -n 's/^<[~*]* *\(2[0-9][0-9] \|5[0-9][0-9] \)/\1/p' | grep -E '^(235|535) ' | tail -1 || true
}
expect_reply() {
  local label=$1 want=$2 got=$3
  if [[ "$got" == "$want"* ]]; then ok "$label: $got"; else fail "$label: got '$got', want '$want...'"; fi
}
expect_reply "swaks AUTH LOGIN, the admin's password" "235 2.7.0" "$(swaks_auth "$admin" "$admin_pw")"
expect_reply "swaks AUTH LOGIN, a wrong password" "535 5.7.3" "$(swaks_auth "$admin" wrong)"
expect_reply "swaks AUTH LOGIN, the account's password under per-user MFA" "535 5.7.139" "$(swaks_auth "$account" "$account_pw")"
ehlo=$(swaks --server "$smtp" --tls --tls-verify --tls-ca-path "$ca" --quit-after EHLO 2>&1 | grep -E '250[- ]AUTH' | tail -1 || true)
expect_reply "swaks: after STARTTLS the server offers AUTH as Exchange Online does" "<~  250-AUTH LOGIN XOAUTH2" "$ehlo"

# --- Python's smtplib: AUTH PLAIN, which Exchange Online takes unadvertised ---
# (swaks sends only what the server advertises; see the line above.)
smtp_plain() {
  python3 - "$smtp" "$ca" "$1" "$2" <<'EOF'
import smtplib, ssl, sys
host, port = sys.argv[1].rsplit(":", 1)
s = smtplib.SMTP(host, int(port), timeout=10)
s.starttls(context=ssl.create_default_context(cafile=sys.argv[2]))
s.ehlo()
try:
    s.auth("PLAIN", lambda challenge=None: "\0%s\0%s" % (sys.argv[3], sys.argv[4]), initial_response_ok=True)
    print("235 2.7.0 Authentication successful")
except smtplib.SMTPAuthenticationError as e:
    print(e.smtp_code, e.smtp_error.decode())
s.quit()
EOF
}
expect_reply "smtplib AUTH PLAIN, the admin's password" "235 2.7.0" "$(smtp_plain "$admin" "$admin_pw")"
expect_reply "smtplib AUTH PLAIN, a wrong password" "535 5.7.3" "$(smtp_plain "$admin" wrong)"

# --- Python's smtplib: AUTH XOAUTH2 with MSAL for Node's SMTP.Send token --------
smtp_xoauth2() {
  python3 - "$smtp" "$ca" "$1" "$2" <<'EOF'
import smtplib, ssl, sys
host, port = sys.argv[1].rsplit(":", 1)
token = open(sys.argv[4]).read().strip() if sys.argv[4] != "-" else "not-a-token"
s = smtplib.SMTP(host, int(port), timeout=10)
s.starttls(context=ssl.create_default_context(cafile=sys.argv[2]))
s.ehlo()
try:
    s.auth("XOAUTH2", lambda challenge=None: "user=%s\1auth=Bearer %s\1\1" % (sys.argv[3], token), initial_response_ok=True)
    print("235 2.7.0 Authentication successful")
except smtplib.SMTPAuthenticationError as e:
    print(e.smtp_code, e.smtp_error.decode())
s.quit()
EOF
}
expect_reply "smtplib AUTH XOAUTH2, the owner's SMTP.Send token from MSAL for Node" "235 2.7.0" "$(smtp_xoauth2 "$account" "$work/smtp-token")"
expect_reply "smtplib AUTH XOAUTH2, that token offered for another account" "535 5.7.3" "$(smtp_xoauth2 "$admin" "$work/smtp-token")"
expect_reply "smtplib AUTH XOAUTH2, no token" "535 5.7.3" "$(smtp_xoauth2 "$account" -)"

# --- curl: the token endpoint, then Graph -------------------------------------
# has_fields LABEL FILE FIELD...: FILE is JSON with every FIELD (a path: a/0/b; a list index is a number).
has_fields() {
  local label=$1 file=$2; shift 2
  if python3 - "$file" "$@" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
missing = []
for path in sys.argv[2:]:
    v = doc
    for k in path.split("/"):
        try:
            v = v[int(k)] if isinstance(v, list) else v[k]
        except (KeyError, IndexError, ValueError, TypeError):
            missing.append(path)
            break
if missing:
    print("   missing:", ", ".join(missing), "in", json.dumps(doc)[:400])
    sys.exit(1)
EOF
  then ok "$label"; else fail "$label"; fi
}
token_url="$authority/$tenant/oauth2/v2.0/token"
client=14d82eec-204b-4c2f-b7e8-296a70dab67e
scope="User.Read User.Read.All Policy.Read.All openid profile offline_access"
status=$(curl -sS --cacert "$ca" -o "$work/ropc.json" -w '%{http_code}' "$token_url" \
  --data-urlencode grant_type=password --data-urlencode client_id=$client --data-urlencode "scope=$scope" \
  --data-urlencode "username=$admin" --data-urlencode "password=$admin_pw")
check "curl: the password grant answers 200" [ "$status" = 200 ]
has_fields "curl: the token response has Entra's fields" "$work/ropc.json" \
  token_type scope expires_in ext_expires_in access_token refresh_token id_token client_info
refresh=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["refresh_token"])' "$work/ropc.json")
status=$(curl -sS --cacert "$ca" -o "$work/refresh.json" -w '%{http_code}' "$token_url" \
  --data-urlencode grant_type=refresh_token --data-urlencode client_id=$client --data-urlencode "refresh_token=$refresh")
check "curl: the refresh grant answers 200" [ "$status" = 200 ]
access=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["access_token"])' "$work/refresh.json")

status=$(curl -sS --cacert "$ca" -o "$work/error.json" -w '%{http_code}' "$token_url" \
  --data-urlencode grant_type=password --data-urlencode client_id=$client --data-urlencode "scope=$scope" \
  --data-urlencode "username=$admin" --data-urlencode password=wrong)
check "curl: a wrong password answers 400" [ "$status" = 400 ]
has_fields "curl: the error has Entra's fields" "$work/error.json" \
  error error_description error_codes/0 timestamp trace_id correlation_id error_uri
check "curl: the error is invalid_grant, AADSTS50126 first" python3 -c '
import json, sys
e = json.load(open(sys.argv[1]))
sys.exit(not (e["error"] == "invalid_grant" and e["error_codes"] == [50126] and e["error_description"].startswith("AADSTS50126: ")))' "$work/error.json"

# graph_get NAME PATH: GET a Graph path into NAME.json; checks 200.
graph_get() {
  local status
  status=$(curl -sS --cacert "$ca" -H "Authorization: Bearer $access" -o "$work/$1.json" -w '%{http_code}' "$graph$2")
  check "curl: GET $2 answers 200" [ "$status" = 200 ]
}
graph_get me /v1.0/me
has_fields "curl: /v1.0/me has the documented default properties" "$work/me.json" \
  @odata.context id displayName userPrincipalName givenName surname mail businessPhones jobTitle mobilePhone officeLocation preferredLanguage
graph_get org /v1.0/organization
has_fields "curl: /v1.0/organization has id, displayName and verifiedDomains" "$work/org.json" \
  @odata.context value/0/id value/0/displayName value/0/verifiedDomains/0/name value/0/verifiedDomains/0/isDefault \
  value/0/verifiedDomains/0/isInitial value/0/verifiedDomains/0/type value/0/verifiedDomains/0/capabilities
account_id=$(curl -sS --cacert "$ca" -H "Authorization: Bearer $access" "$graph/v1.0/users/$account?\$select=id" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
graph_get requirements "/beta/users/$account_id/authentication/requirements"
has_fields "curl: authentication/requirements has perUserMfaState" "$work/requirements.json" @odata.context perUserMfaState
check "curl: the account's per-user MFA state is enabled, as the scenario says" python3 -c '
import json, sys; sys.exit(json.load(open(sys.argv[1]))["perUserMfaState"] != "enabled")' "$work/requirements.json"
status=$(curl -sS --cacert "$ca" -o "$work/unauth.json" -w '%{http_code}' "$graph/v1.0/me")
check "curl: Graph without a token answers 401" [ "$status" = 401 ]
has_fields "curl: Graph's error has code, message and innerError.request-id" "$work/unauth.json" \
  error/code error/message error/innerError/request-id error/innerError/date

# --- apppass simcloud stops cleanly --------------------------------------------
kill -TERM "$pid"
code=0; wait "$pid" || code=$?
pid=""
check "simcloud: SIGTERM stops it with exit 0" [ "$code" = 0 ]
check "simcloud: its certificate file is removed" [ ! -e "$ca" ]
check "simcloud: it printed exactly one line on stdout" [ "$(wc -l <"$work/line")" = 1 ]

# --- curl as the browser: apppass's own MSAL Go interactive sign-in ---------
# With BROWSER set to a command that only fetches the page and follows
# redirects, the demo's diagnose signs in through the browser flow (the
# simulated person at the browser, the form_post answer delivered to MSAL's
# loopback listener) with no key pressed, and prints the verdict.
BROWSER="curl -sk -L -o /dev/null" timeout 60 "$work/apppass" diagnose --demo --scenario classic --json \
  >"$work/verdict.json" 2>"$work/verdict.err" && code=0 || code=$?
check "curl as \$BROWSER: diagnose --demo signs in through the browser flow (exit 0)" [ "$code" = 0 ]
check "curl as \$BROWSER: the authorize page was the way in, not a device code" \
  grep -q 'oauth2/v2.0/authorize?.*code_challenge_method=S256.*response_mode=form_post' "$work/verdict.err"
check "curl as \$BROWSER: the verdict is printed" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
sys.exit(0 if r["appPasswordCanHelp"] == "until" else 1)' "$work/verdict.json"

if [ "$failures" -gt 0 ]; then echo "interop: $failures failed"; exit 1; fi
echo "interop: every check passed"
