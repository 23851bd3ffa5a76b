package diagnosecmd

import (
	"encoding/json"
	"flag"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apppass/apppass/demo"
	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/internal/cmdutil"
	"github.com/apppass/apppass/internal/cmdutil/cmdtest"
	"github.com/apppass/apppass/simcloud"
)

var update = flag.Bool("update", false, "rewrite the golden files")

var isolate = cmdtest.Isolate

// runCLI runs `apppass diagnose` with args.
func runCLI(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return cmdtest.Run(t, Run, stdin, args...)
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
	all, err := demo.Scenarios()
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range all {
		t.Run(sc.Name, func(t *testing.T) {
			code, out, errOut := runCLI(t, "", "--demo", "--scenario", sc.Name, "--json")
			v := decodeVerdict(t, out)
			if want := map[bool]int{true: cmdutil.ExitUnknown, false: cmdutil.ExitOK}[v.Answer == "unknown"]; code != want {
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
				t.Fatalf("%v (go test ./internal/cmd/diagnosecmd -update)", err)
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
	code, out, errOut := runCLI(t, "", "--scenario-file", file, "--json")
	if code != cmdutil.ExitOK {
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
		"--demo", "--scenario", "classic", "--check-password", "--test-smtp", "--json")
	if code != cmdutil.ExitOK {
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

// FuzzDiagnoseFlags: no command line makes the flag parser panic, and what
// it accepts has a valid user and service.
func FuzzDiagnoseFlags(f *testing.F) {
	f.Add("--user backup@contoso.com --service smtp --json")
	f.Add("--demo --scenario classic --fault throttle:me:2")
	f.Add("--user a --service fax")
	f.Add("--tenant ../x --cloud mars")
	f.Fuzz(func(t *testing.T, line string) {
		o, err := parseOptions(strings.Fields(line), io.Discard)
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

// The exit code tells scripts how diagnose ended.
func TestExitCodes(t *testing.T) {
	isolate(t)
	cases := map[string]struct {
		args []string
		want int
	}{
		"a verdict":                       {[]string{"--demo", "--scenario", "classic"}, cmdutil.ExitOK},
		"an unknown one":                  {[]string{"--demo", "--scenario", "no-p1"}, cmdutil.ExitUnknown},
		"browser declined, then the code": {[]string{"--demo", "--fault", "sign-in-declined:authorize", "--fault", "device-code-declined"}, cmdutil.ExitSignIn},
		"device code blocked":             {[]string{"--demo", "--device-code", "--fault", "ca-blocks-device-code"}, cmdutil.ExitSignIn},
		"an unknown flag":                 {[]string{"--colour"}, cmdutil.ExitError},
		"help asked for":                  {[]string{"--help"}, cmdutil.ExitOK},
		"help asked for -h":               {[]string{"-h"}, cmdutil.ExitOK},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if code, _, errOut := runCLI(t, "", tc.args...); code != tc.want {
				t.Fatalf("exit %d, want %d: %s", code, tc.want, errOut)
			}
		})
	}
}

// The demo signs in in the browser by default, its simulated person
// opening the page; a browser sign-in that fails falls back to a device
// code, and a device code the tenant blocks says so and names the browser.
func TestSignInWays(t *testing.T) {
	isolate(t)
	code, _, errOut := runCLI(t, "", "--demo", "--json")
	if code != cmdutil.ExitOK || !strings.Contains(errOut, "/oauth2/v2.0/authorize?") || strings.Contains(errOut, "enter the code") {
		t.Fatalf("browser sign-in: exit %d\n%s", code, errOut)
	}
	code, _, errOut = runCLI(t, "", "--demo", "--json", "--fault", "sign-in-declined:authorize")
	if code != cmdutil.ExitOK || !strings.Contains(errOut, "The consent was declined (AADSTS65004)") || !strings.Contains(errOut, "Signing in with a code instead") {
		t.Fatalf("fallback: exit %d\n%s", code, errOut)
	}
	code, _, errOut = runCLI(t, "", "--demo", "--device-code", "--fault", "ca-blocks-device-code")
	if code != cmdutil.ExitSignIn || !strings.Contains(errOut, "Signing in with a code: --device-code asked for it") ||
		!strings.Contains(errOut, "Block device code flow") || !strings.Contains(errOut, "Sign in with the browser instead") {
		t.Fatalf("53003: exit %d\n%s", code, errOut)
	}
}

// Two report formats at once are refused, saying which were given.
func TestConflictingFormatsAreRefused(t *testing.T) {
	for _, args := range [][]string{
		{"--json", "--markdown"},
		{"--markdown", "--admin-note"},
		{"--json", "--admin-note"},
		{"--json", "--markdown", "--admin-note"},
	} {
		code, out, errOut := runCLI(t, "", append([]string{"--demo"}, args...)...)
		if code != cmdutil.ExitError || out != "" || !strings.Contains(errOut, "give one output format, not "+args[0]+" with "+args[1]) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
	if _, err := parseOptions([]string{"--demo", "--json=false", "--markdown"}, io.Discard); err != nil {
		t.Errorf("a format turned off is no conflict: %v", err)
	}
}

func TestHelpListsTheFlags(t *testing.T) {
	code, out, errOut := runCLI(t, "", "--help")
	if code != cmdutil.ExitOK || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	for _, want := range []string{"apppass diagnose --user UPN", "--user UPN", "--json", "--markdown", "--admin-note", "--demo", "--scenario NAME", "--fault SPEC", "--cloud CLOUD", "--tenant TENANT", "--client-id ID"} {
		if !strings.Contains(out, want) {
			t.Errorf("help lacks %q:\n%s", want, out)
		}
	}
}

// --test-oauth-smtp: where an app password cannot help, the owner's OAuth
// test passes, and the JSON says both: "no" for the app password, the
// route works, and the ways forward with their exact changes.
func TestOAuthTestFlag(t *testing.T) {
	isolate(t)
	for _, scenario := range []string{"security-defaults", "ca-blocks-legacy"} {
		code, out, errOut := runCLI(t, "", "--demo", "--scenario", scenario, "--test-oauth-smtp", "--json")
		var r struct {
			Answer   string `json:"appPasswordCanHelp"`
			Evidence struct {
				OAuth struct{ Status, Value string } `json:"smtpOAuthTest"`
			} `json:"evidence"`
			Findings   []struct{ ID string } `json:"findings"`
			WayForward []struct {
				ID      string
				Changes []string
			} `json:"wayForward"`
		}
		if err := json.Unmarshal([]byte(out), &r); err != nil || code != cmdutil.ExitOK {
			t.Fatalf("%s: exit %d, %v\n%s", scenario, code, err, errOut)
		}
		works := slices.ContainsFunc(r.Findings, func(f struct{ ID string }) bool { return f.ID == "oauth-smtp-works" })
		if r.Answer != "no" || r.Evidence.OAuth.Value != "235 2.7.0 Authentication successful" || !works ||
			len(r.WayForward) == 0 || !strings.Contains(strings.Join(r.WayForward[0].Changes, " "), "Set-CASMailbox -Identity") {
			t.Fatalf("%s: %+v", scenario, r)
		}
		if !strings.Contains(errOut, "login_hint=backup%40") || strings.Contains(out+errOut, "simAT.") {
			t.Fatalf("%s: the owner was not asked, or a token leaked:\n%s", scenario, errOut)
		}
	}
}

// A tenant where Graph Command Line Tools is refused Exchange's SMTP.Send
// (AADSTS65002): the OAuth test explains it and names --oauth-client-id;
// with the customer's own app registration the same test gets its token
// through the real MSAL sign-in and SMTP AUTH accepts it.
func TestOAuthTestWithOwnAppRegistration(t *testing.T) {
	home := isolate(t)
	sc, err := simcloud.LoadScenario("security-defaults")
	if err != nil {
		t.Fatal(err)
	}
	sc.Tenant.SMTPOAuthNeedsOwnApp = true
	data, _ := json.Marshal(sc)
	file := filepath.Join(home, "needs-own-app.json")
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	type report struct {
		Evidence struct {
			OAuth struct{ Status, Value string } `json:"smtpOAuthTest"`
		} `json:"evidence"`
		Findings []struct{ ID, Detail string } `json:"findings"`
	}
	run := func(args ...string) report {
		t.Helper()
		code, out, errOut := runCLI(t, "", append([]string{"--scenario-file", file, "--json"}, args...)...)
		var r report
		if err := json.Unmarshal([]byte(out), &r); err != nil || code != cmdutil.ExitOK {
			t.Fatalf("%v: exit %d, %v\n%s", args, code, err, errOut)
		}
		return r
	}
	refused := run("--test-oauth-smtp")
	i := slices.IndexFunc(refused.Findings, func(f struct{ ID, Detail string }) bool { return f.ID == "oauth-smtp-token-refused" })
	if !strings.HasPrefix(refused.Evidence.OAuth.Value, "AADSTS65002") || i < 0 || !strings.Contains(refused.Findings[i].Detail, "--oauth-client-id") {
		t.Fatalf("Graph Command Line Tools: %+v", refused)
	}
	own := run("--oauth-client-id", "5f1c2a9e-0000-4000-8000-00000000abcd")
	if own.Evidence.OAuth.Value != "235 2.7.0 Authentication successful" {
		t.Fatalf("own app registration: %+v", own)
	}
	if code, _, errOut := runCLI(t, "", "--scenario-file", file, "--oauth-client-id", "not-a-guid"); code == cmdutil.ExitOK || !strings.Contains(errOut, "--oauth-client-id") {
		t.Fatalf("a bad client id: exit %d, %s", code, errOut)
	}
}
