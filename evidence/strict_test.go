package evidence

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/simcloud"
)

// Gathering reads both tabs of the sign-in log: wherever the scenario logs
// the app's legacy rows, the diagnosis sees all three and MFA demanded.
func TestGatherReadsBothSignInTabs(t *testing.T) {
	for _, tab := range []string{simcloud.LoggedInteractive, simcloud.LoggedNonInteractive, simcloud.LoggedBoth} {
		sc, _ := simcloud.LoadScenario("classic")
		sc.LegacySignInsLoggedAs = tab
		sc, err := reparse(sc)
		if err != nil {
			t.Fatal(err)
		}
		srv, client := signedIn(t, sc)
		ev := Gather(context.Background(), client, Request{UPN: sc.Account, Service: diagnose.ServiceSMTP, Now: srv.Now()}, nil)
		legacy := 0
		for _, s := range ev.SignIns.Value {
			if s.ClientAppUsed == "Authenticated SMTP" && s.ErrorCode == 50076 {
				legacy++
			}
		}
		if !ev.SignIns.Known() || legacy != 3 {
			t.Errorf("%s: %d of the app's 3 rows read (%+v)", tab, legacy, ev.SignIns.Status)
		}
		if r := diagnose.Diagnose(ev); r.AppPasswordCanHelp != diagnose.AnswerUntil {
			t.Errorf("%s: %s", tab, r.AppPasswordCanHelp)
		}
	}
}

// report-only-live: the policy's report-only failure arrives because the
// read sends Prefer: include-unknown-enum-members (simcloud answers
// unknownFutureValue without it), and only it warns of the block to come.
func TestReportOnlyResultArrivesWithTheHeader(t *testing.T) {
	sc, _ := simcloud.LoadScenario("report-only-live")
	srv, client := signedIn(t, sc)
	ev := Gather(context.Background(), client, Request{UPN: sc.Account, Service: diagnose.ServiceSMTP, Now: srv.Now()}, nil)
	results := map[string]bool{}
	for _, s := range ev.SignIns.Value {
		for _, a := range s.Applied {
			results[a.Result] = true
		}
	}
	if !results["reportOnlyFailure"] || results["unknownFutureValue"] {
		t.Fatalf("results read: %v", results)
	}
	r := diagnose.Diagnose(ev)
	if !slices.ContainsFunc(r.Findings, func(f diagnose.Finding) bool { return f.ID == "ca-log-report-only" }) {
		t.Fatalf("no report-only warning: %v", r.Findings)
	}
}

// post-2020-tenant: the organisation's creation date is read, and SMTP
// AUTH's default-off leaves the answer unknown until the SMTP test, whose
// reply (the tenant switch off) then settles it.
func TestPost2020TenantNeedsTheSMTPTest(t *testing.T) {
	sc, _ := simcloud.LoadScenario("post-2020-tenant")
	srv, client := signedIn(t, sc)
	ev := Gather(context.Background(), client, Request{UPN: sc.Account, Service: diagnose.ServiceSMTP, Now: srv.Now()}, nil)
	if !ev.TenantCreated.Known() || ev.TenantCreated.Value.Year() != 2021 {
		t.Fatalf("tenant created: %+v", ev.TenantCreated)
	}
	if r := diagnose.Diagnose(ev); r.AppPasswordCanHelp != diagnose.AnswerUnknown || len(r.Settle) == 0 || r.Settle[0].Check != diagnose.CheckSMTP {
		t.Fatalf("%s, settle %v", r.AppPasswordCanHelp, r.Settle)
	}
	ev.SMTPTest = diagnose.OK(srv.SMTPAuth(sc.Account, "Backup-Sim-2026!"))
	r := diagnose.Diagnose(ev)
	if r.AppPasswordCanHelp == diagnose.AnswerUnknown || !slices.Contains(r.Plan, diagnose.StepEnableSMTPAuth) {
		t.Fatalf("after the SMTP test (%s): %s, plan %v", ev.SMTPTest.Value, r.AppPasswordCanHelp, r.Plan)
	}
}

// first-factor-row: the newest row failed the password; the older rows
// that passed it name the blocking policy, so the answer is no, never yes.
func TestFirstFactorRowIsNotAClearance(t *testing.T) {
	sc, _ := simcloud.LoadScenario("first-factor-row")
	srv, client := signedIn(t, sc)
	srv.SMTPAuth(sc.Account, "a wrong password") // the newest row, live
	ev := Gather(context.Background(), client, Request{UPN: sc.Account, Service: diagnose.ServiceSMTP, Now: srv.Now()}, nil)
	if r := diagnose.Diagnose(ev); r.AppPasswordCanHelp != diagnose.AnswerNo {
		t.Fatalf("%s: %s", r.AppPasswordCanHelp, r.Cause)
	}
}

// The newer guest conditions travel from the policy through Graph to the
// verdict: a policy for B2B guests of every tenant blocks a guest account.
func TestGuestConditionThroughGraph(t *testing.T) {
	sc, _ := simcloud.LoadScenario("classic")
	guest := "partner_fabrikam.com#EXT#@contoso.onmicrosoft.com"
	sc.Users = append(sc.Users, simcloud.User{UserPrincipalName: guest, Password: "x", UserType: "Guest", PerUserMFAState: "enforced", Methods: []string{"password", "phone"}})
	sc.Policies = append(sc.Policies, simcloud.CAPolicy{DisplayName: "Block legacy authentication for guests", State: "enabled",
		Conditions: simcloud.CAConditions{ClientAppTypes: []string{"other"}, Users: simcloud.CAUserConditions{
			IncludeGuestsOrExternalUsers: &simcloud.GuestsOrExternalUsers{Types: "b2bCollaborationGuest,b2bCollaborationMember",
				ExternalTenants: &simcloud.ExternalTenants{ODataType: "#microsoft.graph.conditionalAccessAllExternalTenants", MembershipKind: "all"}}}},
		GrantControls: &simcloud.CAGrantControl{Operator: "OR", BuiltInControls: []string{"block"}}})
	sc, err := reparse(sc)
	if err != nil {
		t.Fatal(err)
	}
	srv, client := signedIn(t, sc)
	if reply := srv.SMTPAuth(guest, "x"); !strings.Contains(reply, "did not meet the criteria") {
		t.Fatalf("simcloud let the guest through: %s", reply)
	}
	ev := Gather(context.Background(), client, Request{UPN: guest, Service: diagnose.ServiceSMTP, Now: srv.Now()}, nil)
	if r := diagnose.Diagnose(ev); r.AppPasswordCanHelp != diagnose.AnswerNo {
		t.Fatalf("guest: %s (%s)", r.AppPasswordCanHelp, r.Cause)
	}
	ev = Gather(context.Background(), client, Request{UPN: sc.Account, Service: diagnose.ServiceSMTP, Now: srv.Now()}, nil)
	if r := diagnose.Diagnose(ev); r.AppPasswordCanHelp != diagnose.AnswerUntil {
		t.Fatalf("member: %s (%s)", r.AppPasswordCanHelp, r.Cause)
	}
}
