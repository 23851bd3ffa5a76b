package scan_test

import (
	"encoding/csv"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/evidence"
	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/scan"
	"github.com/apppass/apppass/simcloud"
)

// exchangeFleet is a small fleet whose admin holds Exchange Administrator,
// scanned once; then a third of its SMTP senders' mailboxes are switched
// off and a third on (Set-CASMailbox), the rest left inheriting.
func exchangeFleet(t *testing.T) (*simcloud.Server, *graphclient.Client, time.Time, map[string]*bool) {
	t.Helper()
	sc := fleetWith(t, 150, func(raw map[string]any) {
		admin := raw["users"].([]any)[0].(map[string]any)
		admin["roles"] = append(admin["roles"].([]any), "Exchange Administrator")
	})
	cloud, client := startScenario(t, sc)
	now := cloud.Server.Now()
	first, err := scan.Run(ctxT(t), client, scan.Options{Now: now, Days: 7})
	if err != nil {
		t.Fatal(err)
	}
	set := map[string]*bool{}
	n := 0
	for _, row := range first.Rows {
		if row.Service != diagnose.ServiceSMTP {
			continue
		}
		var v *bool
		switch n % 3 {
		case 0:
			v = new(true)
		case 1:
			v = new(false)
		}
		n++
		if v != nil {
			if err := client.SetCASMailboxSMTPAuth(ctxT(t), row.UPN, v); err != nil {
				t.Fatal(err)
			}
		}
		set[strings.ToLower(row.UPN)] = v
	}
	if n < 9 {
		t.Fatalf("only %d SMTP senders in the fleet", n)
	}
	return cloud.Server, client, now, set
}

// The scan reads Exchange's switches in bulk (the organisation's, the
// policies, every mailbox in one listing: three requests for 150
// accounts), and each SMTP account's switch, verdict and words at the
// default-off agree with diagnose's own one-mailbox read of it.
func TestScanReadsTheSwitchesInBulk(t *testing.T) {
	srv, client, now, set := exchangeFleet(t)
	before := srv.ExchangeRequests()
	res, err := scan.Run(ctxT(t), client, scan.Options{Now: now, Days: 7})
	if err != nil {
		t.Fatal(err)
	}
	if got := srv.ExchangeRequests() - before; got != 3 {
		t.Fatalf("%d requests to Exchange's admin endpoint, want 3 (transport config, policies, one page of mailboxes)", got)
	}
	checked := 0
	for _, row := range res.Rows {
		want, smtp := set[strings.ToLower(row.UPN)]
		if !smtp {
			if row.SMTPAuth != "" {
				t.Fatalf("%s (%s): the switch read for an account that does not send with SMTP AUTH: %s", row.UPN, row.Service, row.SMTPAuth)
			}
			continue
		}
		x := row.Evidence.Exchange
		if !x.Known() || !sameSwitch(want, x.Value.MailboxDisabled) {
			t.Fatalf("%s: the scan read %+v, the mailbox was set to %v", row.UPN, x, want)
		}
		off := want != nil && *want
		if off != strings.HasPrefix(row.SMTPAuth, "off") || off != strings.HasPrefix(row.AtDefaultOff, "SMTP AUTH is off for this mailbox") {
			t.Fatalf("%s (set %v): switch %q, at the default-off %q", row.UPN, want, row.SMTPAuth, row.AtDefaultOff)
		}
		ev := evidence.Gather(ctxT(t), client, evidence.Request{UPN: row.UPN, Service: row.Service, Now: now, SignInsSince: 7 * 24 * time.Hour}, nil)
		d := diagnose.Diagnose(ev)
		if !ev.Exchange.Known() || !sameSwitch(ev.Exchange.Value.MailboxDisabled, x.Value.MailboxDisabled) ||
			row.Answer != d.AppPasswordCanHelp || row.Why != d.Why {
			t.Fatalf("%s: scan %s (%s), diagnose %s (%s)", row.UPN, row.Answer, row.Why, d.AppPasswordCanHelp, d.Why)
		}
		checked++
	}
	if checked != len(set) {
		t.Fatalf("%d of %d SMTP senders checked", checked, len(set))
	}
	data, err := res.CSV()
	if err != nil {
		t.Fatal(err)
	}
	records, _ := csv.NewReader(strings.NewReader(string(data))).ReadAll()
	col := slices.Index(records[0], "smtp_auth")
	if col < 0 || !slices.ContainsFunc(records[1:], func(r []string) bool { return strings.HasPrefix(r[col], "off") }) {
		t.Fatalf("the CSV's smtp_auth column: %v", records[0])
	}
}

// Every fault on the Exchange endpoint leaves each verdict as without it,
// or unknown, and a switch that could not be read says so: never "on".
func TestScanExchangeUnderFaults(t *testing.T) {
	srv, client, now, _ := exchangeFleet(t)
	base, err := scan.Run(ctxT(t), client, scan.Options{Now: now, Days: 7})
	if err != nil {
		t.Fatal(err)
	}
	clean := map[string]scan.Row{}
	for _, r := range base.Rows {
		clean[r.UPN] = r
	}
	for _, f := range []simcloud.Fault{
		{Kind: simcloud.FaultMissingRole, Endpoint: "exchange"},
		{Kind: simcloud.FaultMalformed, Endpoint: "exchange", Times: 1},
		{Kind: simcloud.FaultUnavailable, Endpoint: "exchange"},
		{Kind: simcloud.FaultThrottle, Endpoint: "exchange", Times: 2},
		{Kind: simcloud.FaultHang, Endpoint: "exchange", Times: 1},
		{Kind: simcloud.FaultEmptyError, Endpoint: "exchange", Times: 3},
	} {
		t.Run(string(f.Kind), func(t *testing.T) {
			srv.ClearFaults()
			if err := srv.AddFault(f); err != nil {
				t.Fatal(err)
			}
			res, err := scan.Run(ctxT(t), client, scan.Options{Now: now, Days: 7})
			if err != nil {
				t.Fatal(err)
			}
			unread := 0
			for _, r := range res.Rows {
				c := clean[r.UPN]
				if r.Answer != c.Answer && r.Answer != diagnose.AnswerUnknown {
					t.Fatalf("%s: %s under the fault, %s without: a guess", r.UPN, r.Answer, c.Answer)
				}
				if r.SMTPAuth != c.SMTPAuth {
					if !strings.HasPrefix(r.SMTPAuth, "could not check") {
						t.Fatalf("%s: switch %q under the fault, %q without", r.UPN, r.SMTPAuth, c.SMTPAuth)
					}
					unread++
				}
			}
			if f.Kind != simcloud.FaultThrottle && unread == 0 {
				t.Fatalf("the fault reached no account's switch")
			}
		})
	}
	srv.ClearFaults()
}

// sameSwitch: both $null, or both the same value.
func sameSwitch(a, b *bool) bool {
	return (a == nil) == (b == nil) && (a == nil || *a == *b)
}
