package diagnose

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// classicCase is per-user MFA enforced and demanding MFA of the app's
// SMTP sign-ins, in an organisation created after January 2020: without
// a read of the switches, SMTP AUTH's state is open.
func classicCase(now time.Time) Evidence {
	ev := failures(base(), 50076, "user")
	ev.Now = now
	ev.PerUserMFA = OK("enforced")
	ev.Methods = OK([]string{"password", "microsoftAuthenticator"})
	ev.TenantCreated = OK(time.Date(2021, 3, 1, 0, 0, 0, 0, time.UTC))
	return ev
}

func switches(tenantOff bool, mailbox *bool, policies ...ExchangePolicy) Item[ExchangeSwitches] {
	return OK(ExchangeSwitches{Source: ExchangeSource, TenantDisabled: tenantOff, MailboxDisabled: mailbox, Policies: policies})
}

func ptr(b bool) *bool { return &b }

var afterDefaultOff = time.Date(2027, 1, 12, 9, 0, 0, 0, time.UTC)

// The effective switch: a mailbox's false overrides a disabled
// organisation, $null inherits, a mailbox's true is off.
func TestExchangeEffectiveSwitch(t *testing.T) {
	for _, tc := range []struct {
		tenantOff bool
		mailbox   *bool
		on        bool
	}{{true, nil, false}, {false, nil, true}, {true, ptr(false), true}, {false, ptr(true), false}} {
		if got := switches(tc.tenantOff, tc.mailbox).Value.SwitchOn(); got != tc.on {
			t.Errorf("tenant off %v, mailbox %v: on %v, want %v", tc.tenantOff, tc.mailbox, got, tc.on)
		}
	}
}

// Without the read the verdict is unknown (SMTP AUTH's switch is open);
// the switches read on settle it, read off prove it off.
func TestExchangeSettlesTheSwitch(t *testing.T) {
	open := Diagnose(classicCase(asOf))
	if open.AppPasswordCanHelp != AnswerUnknown {
		t.Fatalf("without the read: %s", open.AppPasswordCanHelp)
	}
	on := classicCase(asOf)
	on.Exchange = switches(true, ptr(false))
	r := Diagnose(on)
	if r.AppPasswordCanHelp == AnswerUnknown || slices.Contains(r.Plan, StepEnableSMTPAuth) {
		t.Fatalf("switch read on: %s %v (%s)", r.AppPasswordCanHelp, r.Plan, r.Cause)
	}
	off := classicCase(afterDefaultOff)
	off.Exchange = switches(false, ptr(true))
	r = Diagnose(off)
	if r.AppPasswordCanHelp == AnswerUnknown || !slices.Contains(r.Plan, StepEnableSMTPAuth) || !slices.Contains(findingIDs(r), "exchange-smtp-switches") {
		t.Fatalf("switch read off after the default-off: %s %v %v", r.AppPasswordCanHelp, r.Plan, findingIDs(r))
	}
	if l := off.Line(CheckExchange); l.Mark != MarkProblem || !strings.Contains(l.Summary, ExchangeSource) {
		t.Fatalf("checklist line: %+v", l)
	}
}

// What the read cannot prove stays open: a policy refusing Basic that may
// be the account's, and a switch read on after Microsoft's default-off of
// Basic, whose setting Microsoft has not named.
func TestExchangeLeavesOpenWhatItCannotProve(t *testing.T) {
	blocked := classicCase(asOf)
	blocked.Exchange = switches(false, nil, ExchangePolicy{Name: "No Basic", AllowBasicAuthSMTP: false})
	if r := Diagnose(blocked); r.AppPasswordCanHelp != AnswerUnknown || !settles(r, "No Basic") {
		t.Fatalf("a policy refusing Basic: %s %+v", r.AppPasswordCanHelp, r.Settle)
	}
	late := classicCase(afterDefaultOff)
	late.Exchange = switches(false, nil)
	if r := Diagnose(late); r.AppPasswordCanHelp != AnswerUnknown || !settles(r, "has not said") {
		t.Fatalf("on after the default-off: %s %+v", r.AppPasswordCanHelp, r.Settle)
	}
}

// An SMTP reply that says off wins over a read that says on, and a
// finding says so.
func TestSMTPTestWinsOverTheRead(t *testing.T) {
	ev := classicCase(asOf)
	ev.Exchange = switches(false, nil)
	ev.SMTPTest = OK("535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.")
	r := Diagnose(ev)
	if !slices.Contains(findingIDs(r), "exchange-read-contradicted") || !slices.Contains(r.Plan, StepEnableSMTPAuth) {
		t.Fatalf("the test should win: %v %v", findingIDs(r), r.Plan)
	}
}

// A denied read falls back to today's behaviour and says what it needs.
func TestExchangeDeniedFallsBack(t *testing.T) {
	ev := classicCase(asOf)
	ev.Exchange = Item[ExchangeSwitches]{Status: StatusDenied, Missing: "an Exchange role (View-Only Organization Management or Exchange Administrator)"}
	r := Diagnose(ev)
	if r.AppPasswordCanHelp != AnswerUnknown || !settles(r, "View-Only Organization Management") {
		t.Fatalf("denied: %s %+v", r.AppPasswordCanHelp, r.Settle)
	}
	if l := ev.Line(CheckExchange); l.Mark != MarkUnchecked {
		t.Fatalf("checklist line: %+v", l)
	}
}

func settles(r Report, phrase string) bool {
	for _, s := range r.Settle {
		if s.Check == CheckSMTP && strings.Contains(s.How, phrase) {
			return true
		}
	}
	return false
}
