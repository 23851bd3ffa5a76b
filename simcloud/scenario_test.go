package simcloud

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var shipped = []string{"account-disabled", "admin-lacks-revoke", "app-passwords-off", "ca-blocks-legacy", "ca-log-names-policy", "ca-mfa-only", "ca-trusted-locations",
	"classic", "first-factor-row", "fleet", "healthy", "locked-out", "mailbox-smtp-off", "managed-legacy-block", "mfa-rollout", "no-p1", "option-missing",
	"post-2020-tenant", "report-only-live", "security-defaults", "sharepoint-retired", "smtp-basic-off", "wrong-password"}

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
		"unknown method":   {`"fido2"`, `"carrier-pigeon"`, "unknown method"},
		"bad smtpAuth":     {`"smtpAuth": "enabled"`, `"smtpAuth": "maybe"`, "smtpAuth"},
		"not JSON":         {`{`, `[`, "invalid scenario"},
		"unknown service":  {`"service": "smtp"`, `"service": "bogus"`, "service must be"},
		"unknown userType": {`"perUserMfaState": "enabled"`, `"perUserMfaState": "enabled", "userType": "Robot"`, "userType"},
		"negative minutes": {`"minutesAgo": 95`, `"minutesAgo": -95`, "failedSignIns[0]: minutesAgo"},
		"negative code":    {`"errorCode": 50076`, `"errorCode": -1`, "errorCode"},
		"negative times":   {`"failedSignIns"`, `"faults": [{"kind": "throttle", "times": -2}], "failedSignIns"`, "faults[0]: fault throttle: times"},
		"negative delay":   {`"failedSignIns"`, `"faults": [{"kind": "latency", "delayMs": -5}], "failedSignIns"`, "delayMs"},
		"inert fault":      {`"failedSignIns"`, `"faults": [{"kind": "throttle", "endpoint": "token"}], "failedSignIns"`, "does nothing on endpoint token"},
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
	if _, err := LoadScenarioFile(context.Background(), filepath.Join(t.TempDir(), "missing.json")); err == nil || !strings.Contains(err.Error(), "cannot read scenario file") {
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
	sc, err := LoadScenarioFile(context.Background(), file)
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

func TestScenarioTrailingData(t *testing.T) {
	classic, _ := embedded.ReadFile("scenarios/classic.json")
	for _, tail := range []string{"{}", "x", `{"name": "second"}`, "]"} {
		if _, err := ParseScenario(append(slices.Clone(classic), tail...)); err == nil || !strings.Contains(err.Error(), "after the scenario") {
			t.Errorf("trailing %q: got %v", tail, err)
		}
	}
	if _, err := ParseScenario(append(slices.Clone(classic), " \n\t"...)); err != nil {
		t.Errorf("trailing white space refused: %v", err)
	}
}

// Only regular files under the size limit are read: a device or an
// oversized file is refused before any of it is read.
func TestScenarioFileLimits(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.json")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	f.Truncate(MaxScenarioFile + 1) // sparse: no disk is used
	f.Close()
	cases := map[string]string{"/dev/zero": "not a regular file", dir: "not a regular file", big: "larger than 4 MB"}
	for file, want := range cases {
		if _, err := LoadScenarioFile(context.Background(), file); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want %q", file, err, want)
		}
	}
}
