package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/simcloud"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// isolate points the user's cache and home at a temporary folder, so no test
// touches the real token cache.
func isolate(t *testing.T) string {
	t.Helper()
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CACHE_HOME", filepath.Join(home, ".cache"))
	return home
}

func runCLI(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

// stableVerdict is what the golden files hold of `diagnose --json`.
type stableVerdict struct {
	Cause    string   `json:"cause"`
	Answer   string   `json:"appPasswordCanHelp"`
	Until    string   `json:"helpsUntil,omitempty"`
	Plan     []string `json:"plan"`
	Findings []string `json:"findings"`
}

func decodeVerdict(t *testing.T, data string) stableVerdict {
	t.Helper()
	var raw struct {
		stableVerdict
		Findings []struct{ ID, Severity string } `json:"findings"`
	}
	if err := json.Unmarshal([]byte(data), &raw); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, data)
	}
	v := raw.stableVerdict
	v.Findings = nil
	for _, f := range raw.Findings {
		v.Findings = append(v.Findings, f.Severity+" "+f.ID)
	}
	return v
}

func TestDiagnoseDemoJSONGolden(t *testing.T) {
	isolate(t)
	all, err := simcloud.Scenarios()
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range all {
		t.Run(sc.Name, func(t *testing.T) {
			code, out, errOut := runCLI(t, "", "diagnose", "--demo", "--scenario", sc.Name, "--json")
			v := decodeVerdict(t, out)
			if want := map[bool]int{true: exitUnknown, false: exitOK}[v.Answer == "unknown"]; code != want {
				t.Fatalf("exit %d, want %d for %q: %s", code, want, v.Answer, errOut)
			}
			got, _ := json.MarshalIndent(v, "", "  ")
			golden := filepath.Join("testdata", "diagnose", sc.Name+".json")
			if *update {
				os.MkdirAll(filepath.Dir(golden), 0o755)
				os.WriteFile(golden, append(got, '\n'), 0o644)
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (go test . -update)", err)
			}
			if strings.TrimSpace(string(want)) != strings.TrimSpace(string(got)) {
				t.Errorf("verdict differs:\n%s\nwant\n%s", got, want)
			}
		})
	}
}

// A scenario written from scratch by a trainer works like a shipped one.
const scratchScenario = `{
  "name": "fabrikam", "description": "Scanner mail", "asOf": "2026-09-01",
  "admin": "it@fabrikam.example", "account": "scanner@fabrikam.example", "service": "smtp",
  "tenant": {"domain": "fabrikam.example", "entraP1": true, "securityDefaults": false},
  "users": [
    {"userPrincipalName": "it@fabrikam.example", "password": "a", "roles": ["Global Administrator"]},
    {"userPrincipalName": "scanner@fabrikam.example", "password": "Scan-2026", "perUserMfaState": "enforced", "methods": ["password", "phone"]}
  ],
  "failedSignIns": [{"user": "scanner@fabrikam.example", "clientAppUsed": "Authenticated SMTP", "errorCode": 50076, "minutesAgo": 10}]
}`

func TestDiagnoseScenarioFile(t *testing.T) {
	home := isolate(t)
	file := filepath.Join(home, "fabrikam.json")
	os.WriteFile(file, []byte(scratchScenario), 0o600)
	code, out, errOut := runCLI(t, "", "diagnose", "--scenario-file", file, "--json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	v := decodeVerdict(t, out)
	if v.Answer != "until" || v.Until != "2026-12-31" || strings.Join(v.Plan, ",") != "allow-app-passwords,create-app-password,test-app-password" {
		t.Fatalf("verdict %+v", v)
	}
}

func TestDiagnoseCredentialChecks(t *testing.T) {
	isolate(t)
	// One line for the password check, one for the SMTP test.
	code, out, errOut := runCLI(t, "Backup-Sim-2026!\nBackup-Sim-2026!\n",
		"diagnose", "--demo", "--scenario", "classic", "--check-password", "--test-smtp", "--json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if strings.Contains(out, "Backup-Sim-2026!") || strings.Contains(errOut, "Backup-Sim-2026!") {
		t.Fatal("the password was echoed")
	}
	if !strings.Contains(errOut, "smart lockout") {
		t.Fatal("no lockout warning before the password check")
	}
	var r struct {
		Evidence struct {
			PasswordCheck struct {
				Status string
				Value  int
			} `json:"passwordCheck"`
			SMTPTest struct{ Status, Value string } `json:"smtpTest"`
		} `json:"evidence"`
	}
	json.Unmarshal([]byte(out), &r)
	if r.Evidence.PasswordCheck.Value != 50076 || !strings.HasPrefix(r.Evidence.SMTPTest.Value, "535 5.7.139") {
		t.Fatalf("evidence %+v", r.Evidence)
	}
}

func TestBadInputGetsOneLine(t *testing.T) {
	home := isolate(t)
	invalid := filepath.Join(home, "invalid.json")
	os.WriteFile(invalid, []byte(`{"name": "x", "surprise": 1}`), 0o600)
	cases := map[string][]string{
		"malformed UPN":        {"diagnose", "--user", "not an address", "--service", "smtp"},
		"unknown service":      {"diagnose", "--user", "a@contoso.com", "--service", "fax"},
		"unknown scenario":     {"diagnose", "--demo", "--scenario", "atlantis"},
		"unreadable file":      {"diagnose", "--scenario-file", filepath.Join(home, "missing.json")},
		"invalid file":         {"diagnose", "--scenario-file", invalid},
		"unknown cloud":        {"diagnose", "--user", "a@contoso.com", "--service", "smtp", "--cloud", "mars"},
		"invalid tenant":       {"diagnose", "--user", "a@contoso.com", "--service", "smtp", "--tenant", "not/a/tenant"},
		"unknown fault":        {"diagnose", "--demo", "--fault", "earthquake"},
		"sloppy fault count":   {"diagnose", "--demo", "--fault", "throttle:me:3abc"},
		"hex fault count":      {"demo", "--fault", "latency:me:0x10"},
		"inert fault":          {"diagnose", "--demo", "--fault", "throttle:token"},
		"device as scenario":   {"diagnose", "--scenario-file", "/dev/zero"},
		"unknown command":      {"frobnicate"},
		"unknown flag":         {"diagnose", "--colour"},
		"missing user/service": {"diagnose"},
	}
	for name, args := range cases {
		t.Run(name, func(t *testing.T) {
			code, _, errOut := runCLI(t, "", args...)
			if code != exitError {
				t.Fatalf("exit %d, want %d", code, exitError)
			}
			first, _, _ := strings.Cut(errOut, "\n")
			if !strings.HasPrefix(first, "apppass: ") || strings.Contains(errOut, "goroutine") || strings.Contains(errOut, "panic") {
				t.Fatalf("stderr = %q", errOut)
			}
		})
	}
}

func TestScenariosAndVersion(t *testing.T) {
	code, out, _ := runCLI(t, "", "scenarios")
	if code != exitOK || !strings.Contains(out, "classic") || !strings.Contains(out, "sharepoint-retired") {
		t.Fatalf("scenarios: %d %s", code, out)
	}
	if code, out, _ := runCLI(t, "", "version"); code != exitOK || !strings.HasPrefix(out, "apppass ") {
		t.Fatalf("version: %d %s", code, out)
	}
}

// FuzzDiagnoseFlags: no command line makes the flag parser panic, and what
// it accepts has a valid user and service.
func FuzzDiagnoseFlags(f *testing.F) {
	f.Add("--user backup@contoso.com --service smtp --json")
	f.Add("--demo --scenario classic --fault throttle:me:2")
	f.Add("--user a --service fax")
	f.Add("--tenant ../x --cloud mars")
	f.Fuzz(func(t *testing.T, line string) {
		o, err := parseDiagnose(strings.Fields(line))
		if err != nil {
			return
		}
		if o.user != "" && graphclientValidUPN(o.user) != nil {
			t.Fatalf("accepted user %q", o.user)
		}
		if !o.useDemo && (o.user == "" || o.service == "") {
			t.Fatalf("accepted a live run without user and service: %q", line)
		}
	})
}

var graphclientValidUPN = graphclient.ValidateUPN

// Without a terminal (or with --accessible) the wizard asks plain questions
// and prints the diagnosis instead of drawing a screen.
func TestPlainModeAsksAndDiagnoses(t *testing.T) {
	isolate(t)
	code, out, errOut := runCLI(t, "\nsmtp\n(401) Unauthorized\n", "demo", "--accessible", "--scenario", "security-defaults")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, "Account the app signs in as") || !strings.Contains(out, "Can an app password fix this? No") {
		t.Fatalf("stdout:\n%s\nstderr:\n%s", out, errOut)
	}
	if strings.Contains(out, "\x1b[") {
		t.Fatal("plain mode drew escape sequences")
	}
	code, _, errOut = runCLI(t, "", "demo")
	if code != exitError || !strings.Contains(errOut, "apppass diagnose") {
		t.Fatalf("no terminal: exit %d, %q", code, errOut)
	}
}
