package scancmd

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/apppass/apppass/internal/cmdutil/cmdtest"
)

// hostileFleet has three accounts with legacy sign-ins; the first one's
// name ends in an unterminated OSC and its app's name is a formula.
const hostileFleet = `{
  "name": "hostile", "description": "x", "asOf": "2026-09-01",
  "admin": "it@fabrikam.example", "account": "a@fabrikam.example", "service": "smtp",
  "tenant": {"domain": "fabrikam.example", "displayName": "Fabrikam\u009d", "entraP1": true, "securityDefaults": false},
  "users": [
    {"userPrincipalName": "it@fabrikam.example", "password": "a", "roles": ["Global Administrator"]},
    {"userPrincipalName": "a@fabrikam.example", "displayName": "=HYPERLINK(\"https://evil.example\")\u001b]", "password": "x", "perUserMfaState": "enforced", "methods": ["password"]},
    {"userPrincipalName": "b@fabrikam.example", "displayName": "Bee\u001bP", "password": "x", "perUserMfaState": "enforced", "methods": ["password"]},
    {"userPrincipalName": "c@fabrikam.example", "displayName": "@Sea\u0098", "password": "x"}
  ],
  "failedSignIns": [
    {"user": "a@fabrikam.example", "clientAppUsed": "Authenticated SMTP", "appDisplayName": "+cmd|' /C calc'!A0", "errorCode": 50076, "minutesAgo": 10},
    {"user": "b@fabrikam.example", "clientAppUsed": "Authenticated SMTP", "errorCode": 50076, "minutesAgo": 20},
    {"user": "c@fabrikam.example", "clientAppUsed": "Authenticated SMTP", "errorCode": 50126, "minutesAgo": 30}
  ]
}`

// Issue 22, cases 1 and 2 for scan: one escape sequence in a name dropped
// every later CSV row and broke --json; cells started formulas.
func TestHostileNamesInAScan(t *testing.T) {
	home := cmdtest.Isolate(t)
	file := filepath.Join(home, "hostile.json")
	if err := os.WriteFile(file, []byte(hostileFleet), 0o600); err != nil {
		t.Fatal(err)
	}
	_, out, errOut := cmdtest.Run(t, Run, "", "--demo", "--scenario-file", file, "--csv")
	records, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(records) != 4 {
		t.Fatalf("CSV: %v, %d records, want 4:\n%s\n%s", err, len(records), out, errOut)
	}
	for _, rec := range records[1:] {
		for _, cell := range rec {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("a cell a spreadsheet would run: %q", cell)
			}
		}
	}
	_, out, errOut = cmdtest.Run(t, Run, "", "--demo", "--scenario-file", file, "--json")
	var doc struct{ Accounts int }
	if err := json.Unmarshal([]byte(out), &doc); err != nil || doc.Accounts != 3 {
		t.Fatalf("JSON: %v, %d accounts:\n%s\n%s", err, doc.Accounts, out, errOut)
	}
	for _, format := range []string{"--csv", "--json", "--markdown", "--accessible"} {
		_, out, errOut := cmdtest.Run(t, Run, "", "--demo", "--scenario-file", file, format)
		for _, r := range out + errOut {
			if r != '\n' && r != '\t' && (unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r)) {
				t.Fatalf("%s carries %U:\n%q", format, r, out+errOut)
			}
		}
		if format == "--markdown" && strings.Count(out, "\n| ") != 4 {
			t.Fatalf("Markdown rows:\n%s", out)
		}
	}
}
