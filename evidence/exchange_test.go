package evidence

import (
	"context"
	"fmt"
	"testing"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/internal/testkit"
	"github.com/apppass/apppass/simcloud"
)

// exchangeFaults are the kinds the Exchange admin endpoint takes.
var exchangeFaults = []simcloud.FaultKind{
	simcloud.FaultLatency, simcloud.FaultThrottle, simcloud.FaultUnavailable, simcloud.FaultHang, simcloud.FaultDrop,
	simcloud.FaultMalformed, simcloud.FaultEmptyError, simcloud.FaultMissingRole,
}

// exchangeScenarios are tenants whose admin may read Exchange's switches:
// the shipped mailbox-smtp-off (the mailbox's switch off), and an
// organisation created after January 2020 whose mailbox is switched on
// over the organisation's off, where only the read settles the answer.
func exchangeScenarios(t *testing.T) []*simcloud.Scenario {
	t.Helper()
	off, err := simcloud.LoadScenario("mailbox-smtp-off")
	if err != nil {
		t.Fatal(err)
	}
	on, err := simcloud.LoadScenario("post-2020-tenant")
	if err != nil {
		t.Fatal(err)
	}
	enabled := false
	for i := range on.Users {
		switch on.Users[i].UserPrincipalName {
		case on.Admin:
			on.Users[i].Roles = append(on.Users[i].Roles, "Exchange Administrator")
		case on.Account:
			on.Users[i].SMTPClientAuthenticationDisabled = &enabled
		}
	}
	return []*simcloud.Scenario{off, on}
}

// The read goes through the real MSAL client (a silent token for Exchange
// from the same cache) and decides the switch: off proves it off, a
// mailbox's on over the organisation's off settles what was unknown.
func TestGatherReadsExchange(t *testing.T) {
	for _, sc := range exchangeScenarios(t) {
		srv, client := signedIn(t, sc)
		ev := Gather(context.Background(), client, Request{UPN: sc.Account, Service: diagnose.ServiceSMTP, Now: srv.Now()}, nil)
		if !ev.Exchange.Known() || ev.Exchange.Value.Source != diagnose.ExchangeSource {
			t.Fatalf("%s: the read: %+v", sc.Name, ev.Exchange)
		}
		r := diagnose.Diagnose(ev)
		wantOn := sc.Name != "mailbox-smtp-off"
		if ev.Exchange.Value.SwitchOn() != wantOn || r.AppPasswordCanHelp == diagnose.AnswerUnknown {
			t.Fatalf("%s: switch on %v, answer %s (%s)", sc.Name, ev.Exchange.Value.SwitchOn(), r.AppPasswordCanHelp, r.Cause)
		}
		without := ev
		without.Exchange = diagnose.Item[diagnose.ExchangeSwitches]{Status: diagnose.StatusNotRun}
		if wantOn && diagnose.Diagnose(without).AppPasswordCanHelp != diagnose.AnswerUnknown {
			t.Fatalf("%s: the read should be what settles the answer", sc.Name)
		}
	}
}

// A reader without an Exchange role falls back, and the report says which role would do.
func TestGatherExchangeDenied(t *testing.T) {
	sc, err := simcloud.LoadScenario("post-2020-tenant")
	if err != nil {
		t.Fatal(err)
	}
	srv, client := signedIn(t, sc)
	ev := Gather(context.Background(), client, Request{UPN: sc.Account, Service: diagnose.ServiceSMTP, Now: srv.Now()}, nil)
	if ev.Exchange.Status != diagnose.StatusDenied || ev.Line(diagnose.CheckExchange).Mark != diagnose.MarkUnchecked {
		t.Fatalf("want denied: %+v", ev.Exchange)
	}
	if r := diagnose.Diagnose(ev); r.AppPasswordCanHelp != diagnose.AnswerUnknown {
		t.Fatalf("denied read, answer %s", r.AppPasswordCanHelp)
	}
}

// Every fault on the Exchange endpoint leaves the verdict as without the
// fault, or unknown.
func TestVerdictUnderExchangeFaults(t *testing.T) {
	for _, sc := range exchangeScenarios(t) {
		srv, client := signedIn(t, sc)
		gather := func() diagnose.Report {
			req := Request{UPN: sc.Account, Service: diagnose.ServiceSMTP, Now: srv.Now(), PerCheckTimeout: testkit.Patience(t)}
			return diagnose.Diagnose(Gather(context.Background(), client, req, nil))
		}
		clean := gather()
		if !clean.Evidence.Exchange.Known() {
			t.Fatalf("%s: the fault-free read failed: %+v", sc.Name, clean.Evidence.Exchange)
		}
		for _, kind := range exchangeFaults {
			srv.ClearFaults()
			if err := srv.AddFault(simcloud.Fault{Kind: kind, Endpoint: "exchange", DelayMS: 1}); err != nil {
				t.Fatal(err)
			}
			got := gather()
			sameOrUnknown(t, fmt.Sprintf("%s: %s on exchange", sc.Name, kind), clean, got)
			if kind != simcloud.FaultLatency && got.Evidence.Exchange.Known() {
				t.Errorf("%s: %s on exchange still read the switches", sc.Name, kind)
			}
		}
		srv.ClearFaults()
	}
}
