package diagnosecmd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/internal/cmdutil"
	"github.com/apppass/apppass/simcloud"
)

// diagnose --json carries the Exchange read as evidence exchange, with its
// source labelled, and the report's checklist shows it.
func TestDiagnoseJSONHasExchangeEvidence(t *testing.T) {
	isolate(t)
	_, out, errOut := runCLI(t, "", "--demo", "--scenario", "mailbox-smtp-off", "--json")
	var r struct {
		Evidence struct {
			Exchange diagnose.Item[diagnose.ExchangeSwitches] `json:"exchange"`
		} `json:"evidence"`
		Checklist []diagnose.Line `json:"checklist"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v: %s", err, errOut)
	}
	x := r.Evidence.Exchange
	if !x.Known() || x.Value.Source != diagnose.ExchangeSource || x.Value.MailboxDisabled == nil || !*x.Value.MailboxDisabled {
		t.Fatalf("evidence exchange: %+v", x)
	}
	found := false
	for _, l := range r.Checklist {
		found = found || (l.Check == diagnose.CheckExchange && l.Mark == diagnose.MarkProblem)
	}
	if !found {
		t.Fatalf("no exchange line in the checklist: %+v", r.Checklist)
	}
}

// In a tenant that refuses Graph Command Line Tools a token for Exchange
// Online (AADSTS65002), the switches are not read and the evidence says
// why; with --exchange-client-id the admin signs in to their own app
// registration too and the same read settles the mailbox's switch. A
// client id that is no GUID is refused before anything starts.
func TestDiagnoseExchangeClientID(t *testing.T) {
	home := isolate(t)
	sc, err := simcloud.LoadScenario("mailbox-smtp-off")
	if err != nil {
		t.Fatal(err)
	}
	sc.Tenant.SMTPOAuthNeedsOwnApp = true
	data, _ := json.Marshal(sc)
	file := filepath.Join(home, "needs-own-app.json")
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	read := func(args ...string) (diagnose.Item[diagnose.ExchangeSwitches], string) {
		t.Helper()
		_, out, errOut := runCLI(t, "", append([]string{"--scenario-file", file, "--json"}, args...)...)
		var r struct {
			Evidence struct {
				Exchange diagnose.Item[diagnose.ExchangeSwitches] `json:"exchange"`
			} `json:"evidence"`
		}
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, errOut)
		}
		return r.Evidence.Exchange, errOut
	}
	if x, _ := read(); x.Known() || !strings.Contains(x.Err, "65002") {
		t.Fatalf("through Graph Command Line Tools: %+v", x)
	}
	x, errOut := read("--exchange-client-id", "5f1c2a9e-0000-4000-8000-00000000abcd")
	if !x.Known() || x.Value.MailboxDisabled == nil || !*x.Value.MailboxDisabled || !strings.Contains(errOut, "5f1c2a9e-0000-4000-8000-00000000abcd") {
		t.Fatalf("through the own app: %+v\n%s", x, errOut)
	}
	if code, _, errOut := runCLI(t, "", "--scenario-file", file, "--exchange-client-id", "not-a-guid"); code == cmdutil.ExitOK || !strings.Contains(errOut, "--exchange-client-id") {
		t.Fatalf("a bad client id: exit %d, %s", code, errOut)
	}
}
