package diagnose

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func policy(name, state string, clients []string, controls ...string) CAPolicy {
	return CAPolicy{ID: name, Name: name, State: state, ClientAppTypes: clients, IncludeApplications: []string{"All"},
		IncludeUsers: []string{"All"}, GrantControls: controls}
}

func TestConditionalAccessCases(t *testing.T) {
	legacy := []string{"exchangeActiveSync", "other"}
	all := []string{"all"}
	modern := []string{"browser", "mobileAppsAndDesktopClients"}
	with := func(p CAPolicy, f func(*CAPolicy)) CAPolicy { f(&p); return p }
	// unplaced: the policy's outcome depends on something nothing read can
	// place (where the app runs, its platform, device or risk).
	const blocks, passes, unknown, unplaced = AnswerNo, AnswerUntil, AnswerUnknown, Answer("unplaced")
	cases := []struct {
		name       string
		policy     CAPolicy
		membership Item[Membership]
		guest      bool
		blocks     Answer
		findingID  string
	}{
		{"all users, block legacy", policy("p", "enabled", legacy, "block"), OK(Membership{}), false, blocks, "ca-blocks-legacy"},
		{"all users, MFA for all client apps", policy("p", "enabled", all, "mfa"), OK(Membership{}), false, blocks, "ca-blocks-legacy"},
		{"authentication strength", with(policy("p", "enabled", all), func(p *CAPolicy) { p.AuthStrength = "Phishing-resistant MFA" }), OK(Membership{}), false, blocks, "ca-blocks-legacy"},
		{"all users with the account excluded", with(policy("p", "enabled", legacy, "block"), func(p *CAPolicy) { p.ExcludeUsers = []string{acctID} }), OK(Membership{}), false, passes, ""},
		{"group included, member", with(policy("p", "enabled", legacy, "block"), func(p *CAPolicy) { p.IncludeUsers = nil; p.IncludeGroups = []string{groupID} }), OK(Membership{GroupIDs: []string{groupID}}), false, blocks, "ca-blocks-legacy"},
		{"group included, not a member", with(policy("p", "enabled", legacy, "block"), func(p *CAPolicy) { p.IncludeUsers = nil; p.IncludeGroups = []string{"other"} }), OK(Membership{GroupIDs: []string{groupID}}), false, passes, ""},
		{"group excluded", with(policy("p", "enabled", legacy, "block"), func(p *CAPolicy) { p.ExcludeGroups = []string{groupID} }), OK(Membership{GroupIDs: []string{groupID}}), false, passes, ""},
		{"group membership unknown", with(policy("p", "enabled", legacy, "block"), func(p *CAPolicy) { p.IncludeUsers = nil; p.IncludeGroups = []string{groupID} }), Item[Membership]{Status: StatusDenied, Missing: "the Global Reader role"}, false, unknown, "ca-scope-unknown"},
		{"role included", with(policy("p", "enabled", legacy, "block"), func(p *CAPolicy) { p.IncludeUsers = nil; p.IncludeRoles = []string{RoleHelpdeskAdmin} }), OK(Membership{RoleTemplateIDs: []string{RoleHelpdeskAdmin}}), false, blocks, "ca-blocks-legacy"},
		{"role excluded", with(policy("p", "enabled", legacy, "block"), func(p *CAPolicy) { p.ExcludeRoles = []string{RoleHelpdeskAdmin} }), OK(Membership{RoleTemplateIDs: []string{RoleHelpdeskAdmin}}), false, passes, ""},
		{"report-only", policy("p", "enabledForReportingButNotEnforced", legacy, "block"), OK(Membership{}), false, passes, "ca-not-enforced"},
		{"disabled", policy("p", "disabled", all, "mfa"), OK(Membership{}), false, passes, "ca-not-enforced"},
		{"browser and modern clients only", policy("p", "enabled", modern, "mfa"), OK(Membership{}), false, passes, ""},
		{"Exchange excluded", with(policy("p", "enabled", legacy, "block"), func(p *CAPolicy) { p.ExcludeApplications = []string{ExchangeOnlineAppID} }), OK(Membership{}), false, passes, ""},
		{"Office 365 app group", with(policy("p", "enabled", legacy, "block"), func(p *CAPolicy) { p.IncludeApplications = []string{"Office365"} }), OK(Membership{}), false, blocks, "ca-blocks-legacy"},
		{"guests keyword, member account", with(policy("p", "enabled", legacy, "block"), func(p *CAPolicy) { p.IncludeUsers = []string{"GuestsOrExternalUsers"} }), OK(Membership{}), false, passes, ""},
		{"no grant controls", policy("p", "enabled", legacy), OK(Membership{}), false, passes, ""},
		{"terms of use", with(policy("p", "enabled", all), func(p *CAPolicy) { p.TermsOfUse = []string{"tou-1"} }), OK(Membership{}), false, blocks, "ca-blocks-legacy"},
		{"MFA outside trusted locations: may block", with(policy("p", "enabled", all, "mfa"), func(p *CAPolicy) {
			p.IncludeLocations, p.ExcludeLocations = []string{"All"}, []string{"AllTrusted"}
		}), OK(Membership{}), false, unplaced, "ca-may-block"},
		{"all locations, none excluded", with(policy("p", "enabled", all, "mfa"), func(p *CAPolicy) { p.IncludeLocations = []string{"All"} }), OK(Membership{}), false, blocks, "ca-blocks-legacy"},
		{"one platform", with(policy("p", "enabled", legacy, "block"), func(p *CAPolicy) { p.IncludePlatforms = []string{"android"} }), OK(Membership{}), false, unplaced, "ca-may-block"},
		{"all platforms", with(policy("p", "enabled", legacy, "block"), func(p *CAPolicy) { p.IncludePlatforms = []string{"all"} }), OK(Membership{}), false, blocks, "ca-blocks-legacy"},
		{"sign-in risk", with(policy("p", "enabled", all, "mfa"), func(p *CAPolicy) { p.SignInRisk = []string{"high"} }), OK(Membership{}), false, unplaced, "ca-may-block"},
		{"device filter", with(policy("p", "enabled", all, "block"), func(p *CAPolicy) { p.DeviceFilter, p.DeviceFilterMode = "device.isCompliant -eq False", "include" }), OK(Membership{}), false, unplaced, "ca-may-block"},
		{"device filter, exclude mode", with(policy("p", "enabled", all, "block"), func(p *CAPolicy) { p.DeviceFilter, p.DeviceFilterMode = "device.trustType -eq \"ServerAD\"", "exclude" }), OK(Membership{}), false, unplaced, "ca-may-block"},
		{"device-code flows only", with(policy("p", "enabled", all, "block"), func(p *CAPolicy) { p.TransferMethods = "deviceCodeFlow" }), OK(Membership{}), false, passes, ""},
		{"user action", with(policy("p", "enabled", all, "mfa"), func(p *CAPolicy) {
			p.IncludeApplications = nil
			p.IncludeUserActions = []string{"urn:user:registersecurityinfo"}
		}), OK(Membership{}), false, passes, ""},
		{"guest condition, member account", with(policy("p", "enabled", legacy, "block"), func(p *CAPolicy) {
			p.IncludeUsers, p.IncludeGuests = nil, &GuestsOrExternal{Types: []string{"internalGuest", "b2bCollaborationGuest"}, AllTenants: true}
		}), OK(Membership{}), false, passes, ""},
		{"guest condition covers an internal guest", with(policy("p", "enabled", legacy, "block"), func(p *CAPolicy) {
			p.IncludeUsers, p.IncludeGuests = nil, &GuestsOrExternal{Types: []string{"internalGuest"}}
		}), OK(Membership{}), true, blocks, "ca-blocks-legacy"},
		{"guest condition excludes the guest", with(policy("p", "enabled", legacy, "block"), func(p *CAPolicy) {
			p.ExcludeGuests = &GuestsOrExternal{Types: []string{"internalGuest"}}
		}), OK(Membership{}), true, passes, ""},
		{"workload identities", with(policy("p", "enabled", all, "block"), func(p *CAPolicy) { p.ForWorkloads = true }), OK(Membership{}), false, passes, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ev := base()
			ev.PerUserMFA, ev.Methods = OK("enforced"), OK([]string{"password", "phone"})
			ev.Policies = OK([]CAPolicy{tc.policy})
			ev.Membership = tc.membership
			ev.Account.Value.Guest = tc.guest
			r := Diagnose(ev)
			switch tc.blocks {
			case blocks:
				assertVerdict(t, r, AnswerNo, StepModernAuth)
			case unknown:
				assertVerdict(t, r, AnswerUnknown, appPasswordPlan...)
				if len(r.Settle) == 0 || r.Settle[0].Check != CheckMembership {
					t.Errorf("settle %v, want the memberships", r.Settle)
				}
			case unplaced:
				// Unknown, not "yes" with a warning: the app's own sign-in settles it.
				assertVerdict(t, r, AnswerUnknown, appPasswordPlan...)
				if len(r.Settle) != 1 || r.Settle[0].Check != CheckConditional || !strings.Contains(r.Settle[0].How, "policy 'p'") {
					t.Errorf("settle %v, want the policy's condition", r.Settle)
				}
			default:
				assertVerdict(t, r, AnswerUntil, appPasswordPlan...)
			}
			if tc.findingID != "" && !slices.Contains(findingIDs(r), tc.findingID) {
				t.Errorf("findings %v lack %s", findingIDs(r), tc.findingID)
			}
		})
	}
}

func TestRetirementEdges(t *testing.T) {
	at := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 12, 0, 0, 0, time.UTC) }
	cases := []struct {
		service  Service
		now      time.Time
		spLegacy Item[bool]
		answer   Answer
		until    string
	}{
		{ServiceSMTP, at(2026, 12, 30), Item[bool]{}, AnswerUntil, "2026-12-31"},
		{ServiceSMTP, at(2026, 12, 31), Item[bool]{}, AnswerUntil, "2026-12-31"},
		{ServiceSMTP, at(2027, 1, 1), Item[bool]{}, AnswerUnknown, ""},
		{ServiceSharePoint, at(2026, 3, 1), Item[bool]{Status: StatusDenied, Missing: "the SharePoint Administrator role"}, AnswerUnknown, ""},
		{ServiceSharePoint, at(2026, 2, 15), Item[bool]{}, AnswerUntil, "2026-04-30"},
		{ServiceSharePoint, at(2026, 2, 16), OK(false), AnswerNo, ""},
		{ServiceSharePoint, at(2026, 2, 16), OK(true), AnswerUntil, "2026-04-30"},
		{ServiceSharePoint, at(2026, 4, 30), OK(true), AnswerUntil, "2026-04-30"},
		{ServiceSharePoint, at(2026, 5, 1), OK(true), AnswerNo, ""},
		{ServiceExchange, at(2022, 9, 30), Item[bool]{}, AnswerUntil, "2022-09-30"},
		{ServiceExchange, at(2022, 10, 1), Item[bool]{}, AnswerNo, ""},
		{ServiceOther, at(2026, 11, 21), Item[bool]{}, AnswerNo, ""},
	}
	for _, tc := range cases {
		ev := failures(base(), 50076, "user")
		ev.Now, ev.Service, ev.SharePointLegacy = tc.now, tc.service, tc.spLegacy
		ev.PerUserMFA, ev.Methods = OK("enforced"), OK([]string{"password", "phone"})
		r := Diagnose(ev)
		if r.AppPasswordCanHelp != tc.answer || r.HelpsUntil != tc.until {
			t.Errorf("%s on %s (legacy %v): %s %q, want %s %q", tc.service, tc.now.Format("2006-01-02"), tc.spLegacy,
				r.AppPasswordCanHelp, r.HelpsUntil, tc.answer, tc.until)
		}
		if tc.answer == AnswerNo && !slices.Equal(r.Plan, []StepID{StepModernAuth}) {
			t.Errorf("%s on %s: plan %v", tc.service, tc.now.Format("2006-01-02"), r.Plan)
		}
		if tc.service == ServiceSMTP && tc.now.Year() == 2027 {
			if !slices.Contains(findingIDs(r), "smtp-auth-default-off") || len(r.Settle) != 1 || r.Settle[0].Check != CheckSMTP {
				t.Errorf("after December 2026 the switch must be settled by the SMTP test: %v %v", findingIDs(r), r.Settle)
			}
			ev.SMTPTest = OK("235 2.7.0 Authentication successful")
			if r := Diagnose(ev); r.AppPasswordCanHelp != AnswerYes {
				t.Errorf("an accepted SMTP test after December 2026: %s, want yes", r.AppPasswordCanHelp)
			}
		}
	}
}

// Microsoft's own record of the app's sign-in outranks the local evaluation.
func TestSignInLogConditionalAccess(t *testing.T) {
	trusted := policy("MFA outside trusted", "enabled", []string{"all"}, "mfa")
	trusted.IncludeLocations, trusted.ExcludeLocations = []string{"All"}, []string{"AllTrusted"}
	row := func(status string, applied ...AppliedPolicy) []SignIn {
		return []SignIn{
			{Time: asOf.Add(-2 * time.Hour), ClientAppUsed: legacySMTP, ErrorCode: 50076, MFAProviders: []string{"user"}, CAStatus: "notApplied"},
			{Time: asOf.Add(-time.Hour), ClientAppUsed: legacySMTP, ErrorCode: 53003, CAStatus: status, Applied: applied},
		}
	}
	cases := []struct {
		name     string
		policies Item[[]CAPolicy]
		rows     []SignIn
		answer   Answer
		id       string
		cause    string
	}{
		{"failure names the policy even when policies are unreadable", Item[[]CAPolicy]{Status: StatusDenied, Missing: "the Security Reader role"},
			row("failure", AppliedPolicy{ID: "x", Name: "Block legacy authentication", Result: "failure", Controls: []string{"block"}}), AnswerNo, "ca-log-blocks", "'Block legacy authentication'"},
		{"report-only failure only warns", OK([]CAPolicy{}),
			[]SignIn{{Time: asOf.Add(-time.Hour), ClientAppUsed: legacySMTP, ErrorCode: 50076, MFAProviders: []string{"user"}, CAStatus: "notApplied",
				Applied: []AppliedPolicy{{Name: "Block legacy authentication", Result: "reportOnlyFailure"}}}}, AnswerUntil, "ca-log-report-only", "Per-user MFA"},
		{"the log clears a possible block", OK([]CAPolicy{trusted}),
			[]SignIn{{Time: asOf.Add(-time.Hour), ClientAppUsed: legacySMTP, ErrorCode: 50076, MFAProviders: []string{"user"}, CAStatus: "notApplied"}}, AnswerUntil, "", "Per-user MFA"},
		{"MFA credited to Conditional Access", OK([]CAPolicy{}),
			[]SignIn{{Time: asOf.Add(-time.Hour), ClientAppUsed: legacySMTP, ErrorCode: 50076, MFAProviders: []string{"multiConditionalAccess"}}}, AnswerNo, "ca-blocks-app", "Conditional Access"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ev := base()
			ev.PerUserMFA, ev.Methods = OK("enforced"), OK([]string{"password", "phone"})
			ev.Policies, ev.SignIns = tc.policies, OK(tc.rows)
			r := Diagnose(ev)
			if r.AppPasswordCanHelp != tc.answer || (tc.id != "" && !slices.Contains(findingIDs(r), tc.id)) || !strings.Contains(r.Cause, tc.cause) {
				t.Fatalf("answer %s, findings %v, cause %q; want %s with %s naming %s", r.AppPasswordCanHelp, findingIDs(r), r.Cause, tc.answer, tc.id, tc.cause)
			}
			if slices.Contains(findingIDs(r), "ca-may-block") {
				t.Errorf("the log's record was not used: %v", findingIDs(r))
			}
		})
	}
}

// A policy that may block, with the sign-in log unread, leaves the answer open.
func TestPossibleBlockWithoutTheLog(t *testing.T) {
	p := policy("MFA outside trusted", "enabled", []string{"all"}, "mfa")
	p.IncludeLocations, p.ExcludeLocations = []string{"All"}, []string{"AllTrusted"}
	ev := base()
	ev.PerUserMFA, ev.Methods = OK("enforced"), OK([]string{"password", "phone"})
	ev.Policies = OK([]CAPolicy{p})
	ev.SignIns = Item[[]SignIn]{Status: StatusLicence, Missing: "Microsoft Entra ID P1"}
	r := Diagnose(ev)
	assertVerdict(t, r, AnswerUnknown, appPasswordPlan...)
	if len(r.Settle) != 1 || r.Settle[0].Check != CheckSignIns || !strings.Contains(r.Settle[0].How, "MFA outside trusted") {
		t.Errorf("settle %v", r.Settle)
	}
}

// "Conditional Access policies are enforced after first-factor
// authentication is completed": a first-factor failure neither proves nor
// disproves a block, older rows that passed the first factor still count,
// and with none the policies decide, never "yes".
func TestFirstFactorRowsSayNothingOfConditionalAccess(t *testing.T) {
	mfaAll := policy("Require MFA for all users", "enabled", []string{"all"}, "mfa")
	trusted := policy("MFA outside trusted", "enabled", []string{"all"}, "mfa")
	trusted.IncludeLocations, trusted.ExcludeLocations = []string{"All"}, []string{"AllTrusted"}
	blocked := SignIn{Time: asOf.Add(-3 * time.Hour), ClientAppUsed: legacySMTP, ErrorCode: 53003, CAStatus: "failure",
		Applied: []AppliedPolicy{{Name: "Require MFA for all users", Result: "failure", Controls: []string{"mfa"}}}}
	firstFactor := func(code int) SignIn {
		return SignIn{Time: asOf.Add(-time.Hour), ClientAppUsed: legacySMTP, ErrorCode: code, CAStatus: "notApplied"}
	}
	for _, code := range []int{50126, 50053, 50055, 50057, 50034} {
		cases := []struct {
			name     string
			policies []CAPolicy
			rows     []SignIn
			answers  []Answer
		}{
			{"older rows name the policy", []CAPolicy{mfaAll}, []SignIn{blocked, blocked, firstFactor(code)}, []Answer{AnswerNo}},
			{"no other rows: the policy counts", []CAPolicy{mfaAll}, []SignIn{firstFactor(code)}, []Answer{AnswerNo}},
			{"no other rows, a conditional policy", []CAPolicy{trusted}, []SignIn{firstFactor(code)}, []Answer{AnswerNo, AnswerUnknown}},
		}
		for _, tc := range cases {
			ev := base()
			ev.PerUserMFA, ev.Methods = OK("enforced"), OK([]string{"password", "phone"})
			ev.Policies, ev.SignIns = OK(tc.policies), OK(tc.rows)
			r := Diagnose(ev)
			if !slices.Contains(tc.answers, r.AppPasswordCanHelp) {
				t.Errorf("%d, %s: %s (%s), want one of %v", code, tc.name, r.AppPasswordCanHelp, r.Cause, tc.answers)
			}
		}
	}
}

// A device filter's mode decides the wording: include covers the devices
// the rule matches, exclude every device it does not.
func TestDeviceFilterMode(t *testing.T) {
	for mode, want := range map[string]string{"include": "when its device filter", "exclude": "unless its device filter", "": "when its device filter"} {
		p := policy("p", "enabled", []string{"all"}, "block")
		p.DeviceFilter, p.DeviceFilterMode = `device.trustType -eq "ServerAD"`, mode
		ev := base()
		ev.PerUserMFA, ev.Methods = OK("enforced"), OK([]string{"password", "phone"})
		ev.Policies = OK([]CAPolicy{p})
		r := Diagnose(ev)
		if len(r.Settle) == 0 || !strings.Contains(r.Settle[0].How, want) {
			t.Errorf("mode %q: settle %v, want %q", mode, r.Settle, want)
		}
	}
}

// A result newer than apppass knows is said, never read as "not applied".
func TestUnknownFutureValueResult(t *testing.T) {
	ev := base()
	ev.PerUserMFA, ev.Methods = OK("enforced"), OK([]string{"password", "phone"})
	ev.SignIns = OK([]SignIn{{Time: asOf.Add(-time.Hour), ClientAppUsed: legacySMTP, ErrorCode: 50076, MFAProviders: []string{"user"}, CAStatus: "notApplied",
		Applied: []AppliedPolicy{{Name: "Block legacy authentication", Result: "unknownFutureValue"}}}})
	if r := Diagnose(ev); !slices.Contains(findingIDs(r), "ca-log-result-unknown") {
		t.Fatalf("findings %v", findingIDs(r))
	}
}

// A guest condition that names some external tenants only depends on the
// B2B account's home tenant, which apppass does not read: unknown, settled
// by the app's own sign-in.
func TestGuestConditionSomeTenants(t *testing.T) {
	p := policy("Block guests from partners", "enabled", []string{"all"}, "block")
	p.IncludeUsers, p.IncludeGuests = nil, &GuestsOrExternal{Types: []string{"b2bCollaborationGuest"}}
	ev := base()
	ev.PerUserMFA, ev.Methods = OK("enforced"), OK([]string{"password", "phone"})
	ev.Account.Value.UPN, ev.Account.Value.Guest = "partner_fabrikam.com#EXT#@contoso.onmicrosoft.com", true
	ev.Policies = OK([]CAPolicy{p})
	r := Diagnose(ev)
	if r.AppPasswordCanHelp != AnswerUnknown || len(r.Settle) == 0 || !strings.Contains(r.Settle[0].How, "home tenant") {
		t.Fatalf("%s, settle %v", r.AppPasswordCanHelp, r.Settle)
	}
	p.IncludeGuests.AllTenants = true
	ev.Policies = OK([]CAPolicy{p})
	if r := Diagnose(ev); r.AppPasswordCanHelp != AnswerNo {
		t.Fatalf("every tenant: %s", r.AppPasswordCanHelp)
	}
}
