package diagnose

import (
	"fmt"
	"strings"
)

// Check names one line of the diagnosis checklist.
type Check string

// The checks, in checklist order.
const (
	CheckAccount          Check = "account"
	CheckRoles            Check = "your-roles"
	CheckPerUserMFA       Check = "per-user-mfa"
	CheckMethods          Check = "methods"
	CheckSecurityDefaults Check = "security-defaults"
	CheckConditional      Check = "conditional-access"
	CheckMembership       Check = "membership"
	CheckSignIns          Check = "sign-ins"
	CheckSharePoint       Check = "sharepoint"
	CheckAppPasswords     Check = "app-password-setting"
	CheckPassword         Check = "password-check"
	CheckSMTP             Check = "smtp-test"
	CheckSMTPOAuth        Check = "smtp-oauth-test"
	CheckExchange         Check = "exchange"
)

// Checks lists the checks gathered from Graph, in checklist order.
var Checks = []Check{CheckAccount, CheckRoles, CheckPerUserMFA, CheckMethods, CheckSecurityDefaults,
	CheckConditional, CheckMembership, CheckSignIns, CheckSharePoint}

// Label is the check in plain words.
func (c Check) Label() string {
	return map[Check]string{
		CheckAccount: "Account", CheckRoles: "Your roles", CheckPerUserMFA: "Per-user MFA state",
		CheckMethods: "Registered methods", CheckSecurityDefaults: "Security defaults",
		CheckConditional: "Conditional Access", CheckMembership: "Groups and roles of the account",
		CheckSignIns: "Recent sign-ins", CheckSharePoint: "SharePoint legacy sign-in",
		CheckAppPasswords: "App-password tenant setting", CheckPassword: "Password check (one sign-in)",
		CheckSMTP: "SMTP AUTH test", CheckSMTPOAuth: "OAuth SMTP test (XOAUTH2)",
		CheckExchange: "Exchange SMTP AUTH switches",
	}[c]
}

// Mark says what a check found; the screen shows it as ✓ ✗ ! ? or ·.
type Mark string

// Marks. A read that worked is not "fine" by itself: the mark is about what it found.
const (
	MarkFine      Mark = "fine"
	MarkProblem   Mark = "problem"
	MarkWarning   Mark = "warning"
	MarkUnchecked Mark = "could-not-check" // failed, denied or unlicensed
	MarkSkipped   Mark = "skipped"         // not run, or no API
)

// Line is one checklist line: how the check came back and what it found.
type Line struct {
	Check   Check  `json:"check"`
	Label   string `json:"label"`
	Status  Status `json:"status"`
	Mark    Mark   `json:"mark"`
	Summary string `json:"summary"`
}

// Line summarises one check of the evidence.
func (ev Evidence) Line(c Check) Line {
	l := Line{Check: c, Label: c.Label()}
	// found is the mark of a check that came back OK.
	found := MarkFine
	set := func(status Status, ok string, missing, err string) {
		l.Status, l.Mark = status, MarkUnchecked
		switch status {
		case StatusOK:
			l.Summary, l.Mark = ok, found
		case StatusDenied, StatusLicence:
			l.Summary = "could not check: needs " + missing
		case StatusMissing:
			l.Summary, l.Mark = "not found", MarkProblem
		case StatusNoAPI:
			l.Summary, l.Mark = "no API: confirm on the portal", MarkSkipped
		case StatusNotRun, "":
			l.Summary, l.Mark = "not run", MarkSkipped
		default:
			l.Summary = "could not check: " + err
		}
	}
	markIf := func(cond bool, m Mark) {
		if cond && found == MarkFine {
			found = m
		}
	}
	switch c {
	case CheckAccount:
		a := ev.Account.Value
		state := map[bool]string{true: "enabled", false: "disabled"}[a.Enabled]
		if a.Guest {
			state += ", guest"
		}
		markIf(!a.Enabled, MarkProblem)
		markIf(a.Guest, MarkWarning)
		set(ev.Account.Status, a.DisplayName+", "+state, ev.Account.Missing, ev.Account.Err)
	case CheckRoles:
		names := make([]string, 0, len(ev.CallerRoles))
		for _, id := range ev.CallerRoles {
			if n, ok := RoleNames[id]; ok {
				names = append(names, n)
			}
		}
		summary := "no admin roles"
		if len(names) > 0 {
			summary = strings.Join(names, ", ")
		}
		set(ev.RolesRead.Status, summary, ev.RolesRead.Missing, ev.RolesRead.Err)
	case CheckPerUserMFA:
		markIf(ev.PerUserMFA.Value == "enforced", MarkProblem)
		markIf(ev.PerUserMFA.Value == "enabled", MarkWarning)
		set(ev.PerUserMFA.Status, ev.PerUserMFA.Value, ev.PerUserMFA.Missing, ev.PerUserMFA.Err)
	case CheckMethods:
		set(ev.Methods.Status, strings.Join(ev.Methods.Value, ", "), ev.Methods.Missing, ev.Methods.Err)
	case CheckSecurityDefaults:
		markIf(ev.SecurityDefaults.Value, MarkProblem)
		set(ev.SecurityDefaults.Status, map[bool]string{true: "on", false: "off"}[ev.SecurityDefaults.Value],
			ev.SecurityDefaults.Missing, ev.SecurityDefaults.Err)
	case CheckConditional:
		enforced := 0
		for _, p := range ev.Policies.Value {
			if p.State == "enabled" {
				enforced++
			}
		}
		markIf(ev.Account.Known() && anyEffect(ev.caEffects(), CAEffect.Counts), MarkProblem)
		markIf(!ev.Account.Known() && enforced > 0, MarkWarning)
		markIf(anyEffect(ev.caEffects(), func(e CAEffect) bool { return e.MayBlock() || e.Undecided() }), MarkWarning)
		set(ev.Policies.Status, fmt.Sprintf("%s, %d on", plural(len(ev.Policies.Value), "policy", "policies"), enforced), ev.Policies.Missing, ev.Policies.Err)
	case CheckMembership:
		m := ev.Membership.Value
		set(ev.Membership.Status, fmt.Sprintf("%s, %s", plural(len(m.GroupIDs), "group", "groups"), plural(len(m.RoleTemplateIDs), "role", "roles")),
			ev.Membership.Missing, ev.Membership.Err)
	case CheckSignIns:
		failed := 0
		for _, s := range ev.SignIns.Value {
			if s.ErrorCode != 0 {
				failed++
			}
		}
		markIf(failed > 0, MarkProblem)
		count := fmt.Sprintf("%d failed of %d", failed, len(ev.SignIns.Value))
		if ev.watchRowCounted() {
			// One count, said whole: the diagnosis read one row fewer.
			count += ", the newest the app's own sign-in after the change"
		}
		set(ev.SignIns.Status, count, ev.SignIns.Missing, ev.SignIns.Err)
	case CheckSharePoint:
		markIf(!ev.SharePointLegacy.Value, MarkProblem)
		set(ev.SharePointLegacy.Status, map[bool]string{true: "legacy sign-in on", false: "legacy sign-in off"}[ev.SharePointLegacy.Value],
			ev.SharePointLegacy.Missing, ev.SharePointLegacy.Err)
	case CheckAppPasswords:
		markIf(!ev.AppPasswordsSetting.Value, MarkProblem)
		set(ev.AppPasswordsSetting.Status, map[bool]string{true: "allowed", false: "not allowed"}[ev.AppPasswordsSetting.Value], "", "")
	case CheckPassword:
		summary := "signed in"
		if code := ev.PasswordCheck.Value; code != 0 {
			summary = fmt.Sprintf("AADSTS%d: %s", code, LookupCode(code).Meaning)
			markIf(LookupCode(code).PasswordRight, MarkWarning)
			markIf(true, MarkProblem)
		}
		set(ev.PasswordCheck.Status, summary, "", ev.PasswordCheck.Err)
	case CheckSMTP:
		reply, _ := ParseSMTPReply(ev.SMTPTest.Value)
		markIf(reply.Meaning == SMTPUnknown || reply.Code == 0, MarkWarning)
		markIf(reply.Meaning != SMTPAccepted, MarkProblem)
		set(ev.SMTPTest.Status, ev.SMTPTest.Value, "", ev.SMTPTest.Err)
	case CheckSMTPOAuth:
		reply, _ := ParseSMTPReply(ev.SMTPOAuthTest.Value)
		markIf(reply.Meaning != SMTPAccepted, MarkProblem)
		summary := ev.SMTPOAuthTest.Value
		if reply.Code == 0 {
			summary = "token request refused: " + summary
		}
		set(ev.SMTPOAuthTest.Status, summary, "", ev.SMTPOAuthTest.Err)
	case CheckExchange:
		x := ev.Exchange.Value
		markIf(ev.Exchange.Known() && !x.SwitchOn(), MarkProblem)
		markIf(ev.Exchange.Known() && len(x.BasicBlockedBy()) > 0, MarkWarning)
		set(ev.Exchange.Status, x.Describe()+" ("+ExchangeSource+")", ev.Exchange.Missing, ev.Exchange.Err)
	}
	return l
}

// Checklist returns every line, Graph checks then the optional tests.
func (ev Evidence) Checklist() []Line {
	out := make([]Line, 0, len(Checks)+4)
	for _, c := range append(append([]Check(nil), Checks...), CheckAppPasswords, CheckPassword, CheckSMTP, CheckSMTPOAuth, CheckExchange) {
		out = append(out, ev.Line(c))
	}
	return out
}

// caEffects evaluates the policies for the checklist's mark (nil when the
// policies or the account were not read).
func (ev Evidence) caEffects() []CAEffect {
	if !ev.Policies.Known() || !ev.Account.Known() {
		return nil
	}
	return EvaluateCA(ev.Policies.Value, ev.Account.Value, ev.Membership, ev.Service, ev.NamedLocations.Value)
}
