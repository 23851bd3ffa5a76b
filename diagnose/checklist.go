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
		CheckSMTP: "SMTP AUTH test",
	}[c]
}

// Line is one checklist line: how the check came back and what it found.
type Line struct {
	Check   Check  `json:"check"`
	Label   string `json:"label"`
	Status  Status `json:"status"`
	Summary string `json:"summary"`
}

// Line summarises one check of the evidence.
func (ev Evidence) Line(c Check) Line {
	l := Line{Check: c, Label: c.Label()}
	set := func(status Status, ok string, missing, err string) {
		l.Status = status
		switch status {
		case StatusOK:
			l.Summary = ok
		case StatusDenied, StatusLicence:
			l.Summary = "needs " + missing
		case StatusMissing:
			l.Summary = "not found"
		case StatusNoAPI:
			l.Summary = "no API: confirm on the portal"
		case StatusNotRun:
			l.Summary = "not run"
		default:
			l.Summary = err
		}
	}
	switch c {
	case CheckAccount:
		a := ev.Account.Value
		state := map[bool]string{true: "enabled", false: "disabled"}[a.Enabled]
		if a.Guest {
			state += ", guest"
		}
		set(ev.Account.Status, a.DisplayName+", "+state, ev.Account.Missing, ev.Account.Err)
	case CheckRoles:
		names := make([]string, 0, len(ev.CallerRoles))
		for _, id := range ev.CallerRoles {
			if n, ok := RoleNames[id]; ok {
				names = append(names, n)
			}
		}
		l.Status, l.Summary = StatusOK, "no admin roles"
		if len(names) > 0 {
			l.Summary = strings.Join(names, ", ")
		}
	case CheckPerUserMFA:
		set(ev.PerUserMFA.Status, ev.PerUserMFA.Value, ev.PerUserMFA.Missing, ev.PerUserMFA.Err)
	case CheckMethods:
		set(ev.Methods.Status, strings.Join(ev.Methods.Value, ", "), ev.Methods.Missing, ev.Methods.Err)
	case CheckSecurityDefaults:
		set(ev.SecurityDefaults.Status, map[bool]string{true: "on", false: "off"}[ev.SecurityDefaults.Value],
			ev.SecurityDefaults.Missing, ev.SecurityDefaults.Err)
	case CheckConditional:
		enforced := 0
		for _, p := range ev.Policies.Value {
			if p.State == "enabled" {
				enforced++
			}
		}
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
		set(ev.SignIns.Status, fmt.Sprintf("%d failed of %d", failed, len(ev.SignIns.Value)), ev.SignIns.Missing, ev.SignIns.Err)
	case CheckSharePoint:
		set(ev.SharePointLegacy.Status, map[bool]string{true: "legacy sign-in on", false: "legacy sign-in off"}[ev.SharePointLegacy.Value],
			ev.SharePointLegacy.Missing, ev.SharePointLegacy.Err)
	case CheckAppPasswords:
		set(ev.AppPasswordsSetting.Status, map[bool]string{true: "allowed", false: "not allowed"}[ev.AppPasswordsSetting.Value], "", "")
	case CheckPassword:
		summary := "signed in"
		if ev.PasswordCheck.Value != 0 {
			summary = fmt.Sprintf("AADSTS%d: %s", ev.PasswordCheck.Value, LookupCode(ev.PasswordCheck.Value).Meaning)
		}
		set(ev.PasswordCheck.Status, summary, "", ev.PasswordCheck.Err)
	case CheckSMTP:
		set(ev.SMTPTest.Status, ev.SMTPTest.Value, "", ev.SMTPTest.Err)
	}
	return l
}

// Checklist returns every line, Graph checks then the optional tests.
func (ev Evidence) Checklist() []Line {
	out := make([]Line, 0, len(Checks)+3)
	for _, c := range append(append([]Check(nil), Checks...), CheckAppPasswords, CheckPassword, CheckSMTP) {
		out = append(out, ev.Line(c))
	}
	return out
}
