package diagnosecmd

import (
	"encoding/json"
	"testing"

	"github.com/apppass/apppass/diagnose"
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
