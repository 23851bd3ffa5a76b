package simcloud

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var shipped = []string{"account-disabled", "admin-lacks-revoke", "app-passwords-off", "ca-blocks-legacy", "ca-log-names-policy", "ca-mfa-only", "ca-trusted-locations",
	"classic", "healthy", "locked-out", "managed-legacy-block", "no-p1", "security-defaults", "sharepoint-retired", "smtp-basic-off", "wrong-password"}

func TestShippedScenarios(t *testing.T) {
	all, err := Scenarios()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, sc := range all {
		names = append(names, sc.Name)
		if sc.Description == "" || sc.AsOfTime().IsZero() || sc.Tenant.ID == "" {
			t.Errorf("%s: incomplete: %+v", sc.Name, sc)
		}
	}
	if !slices.Equal(names, shipped) {
		t.Fatalf("scenarios = %v, want %v", names, shipped)
	}
}

func TestScenarioErrors(t *testing.T) {
	classic, err := embedded.ReadFile("scenarios/classic.json")
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct{ from, to, want string }{
		"unknown field": {`"service"`, `"servise"`, "unknown field"},
		"bad date":      {`"2026-11-21"`, `"21/11/2026"`, "asOf must be a date"},
		"bad MFA state": {`"perUserMfaState": "enabled"`, `"perUserMfaState": "on"`, "perUserMfaState"},
		"unknown role":  {`"Global Reader"`, `"Global Gardener"`, "unknown role"},
		"unknown group": {`"groups": [
        "Service accounts"`, `"groups": [
        "Nobody"`, "unknown group"},
		"unknown method": {`"fido2"`, `"carrier-pigeon"`, "unknown method"},
		"bad smtpAuth":   {`"smtpAuth": "enabled"`, `"smtpAuth": "maybe"`, "smtpAuth"},
		"not JSON":       {`{`, `[`, "invalid scenario"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			broken := strings.Replace(string(classic), tc.from, tc.to, 1)
			if broken == string(classic) {
				t.Fatalf("the test's replacement %q did not apply", tc.from)
			}
			if _, err := ParseScenario([]byte(broken)); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error about %q", err, tc.want)
			}
		})
	}
	if _, err := LoadScenario("nope"); err == nil || !strings.Contains(err.Error(), "apppass scenarios") {
		t.Fatalf("unknown scenario: %v", err)
	}
	if _, err := LoadScenarioFile(filepath.Join(t.TempDir(), "missing.json")); err == nil || !strings.Contains(err.Error(), "cannot read scenario file") {
		t.Fatalf("missing file: %v", err)
	}
}

// A trainer's scenario written from scratch, with only required fields.
const fromScratch = `{
  "name": "fabrikam-smtp",
  "description": "Fabrikam's scanner sends mail with a password",
  "asOf": "2026-06-01",
  "admin": "it@fabrikam.example",
  "account": "scanner@fabrikam.example",
  "tenant": {"domain": "fabrikam.example", "entraP1": true, "allowAppPasswords": true},
  "users": [
    {"userPrincipalName": "it@fabrikam.example", "password": "x", "roles": ["Global Administrator"]},
    {"userPrincipalName": "scanner@fabrikam.example", "password": "Scan-2026", "perUserMfaState": "enforced", "methods": ["password", "phone"]}
  ],
  "conditionalAccessPolicies": [
    {"displayName": "MFA for admins", "state": "enabled",
     "conditions": {"users": {"includeRoles": ["Global Administrator"]}},
     "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}}
  ]
}`

func TestScenarioFromScratch(t *testing.T) {
	file := filepath.Join(t.TempDir(), "fabrikam.json")
	if err := os.WriteFile(file, []byte(fromScratch), 0o600); err != nil {
		t.Fatal(err)
	}
	sc, err := LoadScenarioFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if sc.Tenant.SMTPAuth != SMTPAuthEnabled || sc.Users[1].ID == "" || sc.Policies[0].Conditions.Users.IncludeRoles[0] != roleTemplateIDs["Global Administrator"] {
		t.Fatalf("defaults not filled: %+v", sc)
	}
	srv := New(sc, Options{})
	if got := srv.SMTPAuth("scanner@fabrikam.example", "Scan-2026"); !strings.HasPrefix(got, "535 5.7.139") {
		t.Fatalf("password with enforced MFA: %s", got)
	}
	pw, err := srv.CreateAppPassword("scanner@fabrikam.example")
	if err != nil {
		t.Fatal(err)
	}
	if got := srv.SMTPAuth("scanner@fabrikam.example", pw); !strings.HasPrefix(got, "235") {
		t.Fatalf("app password: %s", got)
	}
}

func TestStableID(t *testing.T) {
	a, b := stableID("x"), stableID("x")
	if a != b || len(a) != 36 || a[14] != '4' || strings.Count(a, "-") != 4 {
		t.Fatalf("stableID = %q", a)
	}
}
