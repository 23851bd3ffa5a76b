package diagnose

import (
	"slices"
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
	cases := []struct {
		name       string
		policy     CAPolicy
		membership Item[Membership]
		guest      bool
		blocks     bool
		findingID  string
	}{
		{"all users, block legacy", policy("p", "enabled", legacy, "block"), OK(Membership{}), false, true, "ca-blocks-legacy"},
		{"all users, MFA for all client apps", policy("p", "enabled", all, "mfa"), OK(Membership{}), false, true, "ca-blocks-legacy"},
		{"authentication strength", with(policy("p", "enabled", all), func(p *CAPolicy) { p.AuthStrength = "Phishing-resistant MFA" }), OK(Membership{}), false, true, "ca-blocks-legacy"},
		{"all users with the account excluded", with(policy("p", "enabled", legacy, "block"), func(p *CAPolicy) { p.ExcludeUsers = []string{acctID} }), OK(Membership{}), false, false, ""},
		{"group included, member", with(policy("p", "enabled", legacy, "block"), func(p *CAPolicy) { p.IncludeUsers = nil; p.IncludeGroups = []string{groupID} }), OK(Membership{GroupIDs: []string{groupID}}), false, true, "ca-blocks-legacy"},
		{"group included, not a member", with(policy("p", "enabled", legacy, "block"), func(p *CAPolicy) { p.IncludeUsers = nil; p.IncludeGroups = []string{"other"} }), OK(Membership{GroupIDs: []string{groupID}}), false, false, ""},
		{"group excluded", with(policy("p", "enabled", legacy, "block"), func(p *CAPolicy) { p.ExcludeGroups = []string{groupID} }), OK(Membership{GroupIDs: []string{groupID}}), false, false, ""},
		{"group membership unknown", with(policy("p", "enabled", legacy, "block"), func(p *CAPolicy) { p.IncludeUsers = nil; p.IncludeGroups = []string{groupID} }), Item[Membership]{Status: StatusDenied}, false, false, "ca-scope-unknown"},
		{"role included", with(policy("p", "enabled", legacy, "block"), func(p *CAPolicy) { p.IncludeUsers = nil; p.IncludeRoles = []string{RoleHelpdeskAdmin} }), OK(Membership{RoleTemplateIDs: []string{RoleHelpdeskAdmin}}), false, true, "ca-blocks-legacy"},
		{"role excluded", with(policy("p", "enabled", legacy, "block"), func(p *CAPolicy) { p.ExcludeRoles = []string{RoleHelpdeskAdmin} }), OK(Membership{RoleTemplateIDs: []string{RoleHelpdeskAdmin}}), false, false, ""},
		{"report-only", policy("p", "enabledForReportingButNotEnforced", legacy, "block"), OK(Membership{}), false, false, "ca-not-enforced"},
		{"disabled", policy("p", "disabled", all, "mfa"), OK(Membership{}), false, false, "ca-not-enforced"},
		{"browser and modern clients only", policy("p", "enabled", modern, "mfa"), OK(Membership{}), false, false, ""},
		{"Exchange excluded", with(policy("p", "enabled", legacy, "block"), func(p *CAPolicy) { p.ExcludeApplications = []string{ExchangeOnlineAppID} }), OK(Membership{}), false, false, ""},
		{"Office 365 app group", with(policy("p", "enabled", legacy, "block"), func(p *CAPolicy) { p.IncludeApplications = []string{"Office365"} }), OK(Membership{}), false, true, "ca-blocks-legacy"},
		{"guests keyword, member account", with(policy("p", "enabled", legacy, "block"), func(p *CAPolicy) { p.IncludeUsers = []string{"GuestsOrExternalUsers"} }), OK(Membership{}), false, false, ""},
		{"no grant controls", policy("p", "enabled", legacy), OK(Membership{}), false, false, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ev := base()
			ev.PerUserMFA, ev.Methods = OK("enforced"), OK([]string{"password", "phone"})
			ev.Policies = OK([]CAPolicy{tc.policy})
			ev.Membership = tc.membership
			ev.Account.Value.Guest = tc.guest
			r := Diagnose(ev)
			if tc.blocks {
				assertVerdict(t, r, AnswerNo, StepModernAuth)
			} else {
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
		{ServiceSMTP, at(2027, 1, 1), Item[bool]{}, AnswerYes, ""},
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
		if tc.service == ServiceSMTP && tc.answer == AnswerYes && !slices.Contains(findingIDs(r), "smtp-auth-default-off") {
			t.Errorf("after December 2026 the default-off warning is missing")
		}
	}
}
