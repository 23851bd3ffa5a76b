package diagnose

import (
	"fmt"
	"sort"
	"strings"
)

func (d *diagnosis) accountRules() {
	a := d.ev.Account
	switch {
	case a.Status == StatusMissing:
		d.add(Finding{ID: "account-not-found", Severity: SeverityBlocker, Title: "The account does not exist",
			Detail: fmt.Sprintf("No account %s exists in this tenant. Check the user name the app signs in with.", d.ev.UPN),
			Source: srcUser, Fix: "Correct the user name in the app.", Who: whoOwner})
		return
	case !a.Known():
		return
	}
	acct := a.Value
	if !acct.Enabled {
		d.add(Finding{ID: "account-disabled", Severity: SeverityBlocker, Title: "The account is disabled",
			Detail: "Entra ID refuses every sign-in of a disabled account (AADSTS50057), whatever the password.",
			Source: srcUser, Fix: "Enable the account in the Microsoft Entra admin center, if it should still be used.", Who: whoUserAdmin})
	}
	if acct.Guest {
		d.add(Finding{ID: "account-guest", Severity: SeverityWarning, Title: "The account is a guest",
			Detail: "The account is an external (B2B) guest: Graph addresses it by object id, and a forced sign-out from this tenant does not affect external users.",
			Source: srcRevoke, Fix: "Prefer an account of this tenant for a service connection."})
	}
	if acct.Federated {
		d.add(Finding{ID: "domain-federated", Severity: SeverityInfo, Title: "The account's domain is federated",
			Detail: "App passwords are verified by Entra ID itself and bypass federation.",
			Source: srcAppPasswords})
	}
	if acct.Synced {
		d.add(Finding{ID: "account-synced", Severity: SeverityInfo, Title: "The account is synchronised from on-premises Active Directory",
			Detail: "Its password is usually managed in on-premises Active Directory: a wrong or expired password is fixed there.", Source: srcUser})
	}
}

// legacyClient reports sign-in log client apps that mean a Basic-auth app.
func legacyClient(app string) bool {
	switch app {
	case "Authenticated SMTP", "IMAP4", "POP3", "Exchange ActiveSync", "Exchange Web Services", "Autodiscover",
		"Other clients", "MAPI Over HTTP", "Offline Address Book", "Outlook Anywhere (RPC over HTTP)", "Exchange Online PowerShell":
		return true
	}
	return false
}

func (d *diagnosis) signInRules() {
	if !d.ev.SignIns.Known() {
		return
	}
	type group struct {
		count   int
		apps    map[string]bool
		legacy  bool
		perUser bool
	}
	byCode := map[int]*group{}
	for _, s := range d.ev.SignIns.Value {
		if s.ErrorCode == 0 {
			continue
		}
		g := byCode[s.ErrorCode]
		if g == nil {
			g = &group{apps: map[string]bool{}}
			byCode[s.ErrorCode] = g
		}
		g.count++
		g.apps[s.ClientAppUsed] = true
		g.legacy = g.legacy || legacyClient(s.ClientAppUsed)
		for _, p := range s.MFAProviders {
			g.perUser = g.perUser || p == "user"
		}
	}
	codes := make([]int, 0, len(byCode))
	for c := range byCode {
		codes = append(codes, c)
	}
	sort.Ints(codes)
	for _, code := range codes {
		g := byCode[code]
		info := LookupCode(code)
		d.noteCode(code)
		apps := make([]string, 0, len(g.apps))
		for a := range g.apps {
			apps = append(apps, a)
		}
		sort.Strings(apps)
		detail := fmt.Sprintf("%s failed with AADSTS%d from %s: %s.", plural(g.count, "recent sign-in", "recent sign-ins"),
			code, strings.Join(apps, ", "), info.Meaning)
		if g.perUser {
			detail += " The sign-in log names per-user MFA as what required MFA."
		}
		sev := SeverityProblem
		if info.Kind == KindRevoked || info.Kind == KindUnknown {
			sev = SeverityInfo
		}
		d.add(Finding{ID: fmt.Sprintf("sign-in-%d", code), Severity: sev, Title: fmt.Sprintf("Sign-ins fail with AADSTS%d", code),
			Detail: detail, Source: CodeURL(code)})
	}
	if len(codes) == 0 {
		d.add(Finding{ID: "sign-ins-none-failed", Severity: SeverityInfo, Title: "No failed sign-ins in the log",
			Detail: "Entra ID's sign-in log shows no failed sign-ins for the account in the period checked. If the app still fails, it may not reach Entra ID at all (wrong server, port or user name).",
			Source: srcSignInLogs})
	}
}

func (d *diagnosis) pastedRules() {
	p := d.pasted
	if p.HTTP401 {
		d.add(Finding{ID: "pasted-401", Severity: SeverityInfo, Title: "The app reports (401) Unauthorized",
			Detail: "The server refused the app's credentials. With a password-based (legacy) client this is how MFA, a retired sign-in method or a wrong password shows up; the findings below say which.",
			Source: srcErrorCodes})
	}
	for _, code := range p.AADSTS {
		d.noteCode(code)
		if d.has(fmt.Sprintf("sign-in-%d", code)) {
			continue
		}
		info := LookupCode(code)
		d.add(Finding{ID: fmt.Sprintf("pasted-%d", code), Severity: SeverityProblem, Title: fmt.Sprintf("The error names AADSTS%d", code),
			Detail: "The pasted error says " + info.Meaning + ".", Source: CodeURL(code)})
	}
}

func (d *diagnosis) passwordCheckRules() {
	pc := d.ev.PasswordCheck
	if !pc.Known() {
		return
	}
	if pc.Value == 0 {
		d.passwordRight = true
		d.add(Finding{ID: "password-check-success", Severity: SeverityInfo, Title: "The password signs in without MFA",
			Detail: "A single test sign-in with the regular password succeeded: the password is right and no MFA is demanded of a modern sign-in.",
			Source: srcErrorCodes})
		return
	}
	d.noteCode(pc.Value)
	info := LookupCode(pc.Value)
	sev := SeverityProblem
	title := fmt.Sprintf("Password check: AADSTS%d", pc.Value)
	if info.PasswordRight {
		sev = SeverityInfo
		title = "The password is right"
	}
	d.add(Finding{ID: "password-check", Severity: sev, Title: title,
		Detail: fmt.Sprintf("A single test sign-in with the regular password answered AADSTS%d: %s.", pc.Value, info.Meaning),
		Source: CodeURL(pc.Value)})
}

func (d *diagnosis) smtpRules() {
	if d.smtp == nil {
		return
	}
	r := *d.smtp
	id := "smtp-" + string(r.Meaning)
	source := "SMTP test"
	if !d.ev.SMTPTest.Known() {
		source = "pasted error"
	}
	sev := SeverityProblem
	who := ""
	switch r.Meaning {
	case SMTPAccepted:
		sev = SeverityInfo
	case SMTPBasicAuthRemoved, SMTPSecurityDefaults:
		sev = SeverityBlocker
	case SMTPTenantDisabled, SMTPMailboxDisabled:
		who = whoExchange
	}
	d.add(Finding{ID: id, Severity: sev, Title: fmt.Sprintf("SMTP AUTH answered %d %s (%s)", r.Code, r.Enhanced, source),
		Detail: r.Explain(), Source: srcSMTPAuth, Who: who})
	switch r.Meaning {
	case SMTPSecurityDefaults:
		d.kinds[KindSecurityDefaults] = true
	case SMTPBadCredentials:
		d.kinds[KindWrongPassword] = true
	}
}

func (d *diagnosis) calendarRules() {
	c := d.cal
	switch {
	case !c.Open && d.service != ServiceOther:
		d.add(Finding{ID: "service-retired", Severity: SeverityBlocker, Title: "This sign-in method is retired",
			Detail: c.Note, Source: d.calendarSource(), Fix: "Switch the app to its modern-auth (OAuth) connection, or an app registration the vendor documents.", Who: whoAppVendor})
	case !c.Open:
		d.add(Finding{ID: "service-no-basic-auth", Severity: SeverityBlocker, Title: "No app password path for this service",
			Detail: c.Note, Source: srcExchangeBasic, Fix: "Use the app's modern-auth (OAuth) connection.", Who: whoAppVendor})
	case !c.Until.IsZero():
		d.add(Finding{ID: "service-retiring", Severity: SeverityWarning, Title: "Works until " + humanDate(c.Until),
			Detail: c.Note, Source: d.calendarSource(), Fix: "Plan the app's move to modern authentication (OAuth).", Who: whoAppVendor})
	default:
		d.add(Finding{ID: "smtp-auth-default-off", Severity: SeverityWarning, Title: "SMTP AUTH is off by default now",
			Detail: c.Note, Source: srcSMTPAuth, Fix: "Check that SMTP AUTH is on for the tenant and the mailbox; plan the move to OAuth.", Who: whoExchange})
	}
}

func (d *diagnosis) calendarSource() string {
	switch d.service {
	case ServiceSharePoint:
		return srcSharePointLegacy
	case ServiceSMTP:
		return srcSMTPAuth
	}
	return srcExchangeBasic
}

func (d *diagnosis) securityDefaultsRules() {
	sd := d.ev.SecurityDefaults
	if sd.Known() && sd.Value || d.kinds[KindSecurityDefaults] {
		d.kinds[KindSecurityDefaults] = true
		d.add(Finding{ID: "security-defaults-on", Severity: SeverityBlocker, Title: "Security defaults are on",
			Detail: "Security defaults block all legacy authentication (AADSTS530035), so no password, app password included, can sign in a legacy app. Turning them off needs a Conditional Access Administrator and replaces them with Conditional Access policies (Entra ID P1): a decision for the organisation, not a fix for one app.",
			Source: srcSecurityDefaults, Fix: "Switch the app to modern authentication (OAuth).", Who: whoAppVendor})
	}
}

func (d *diagnosis) caRules() {
	for _, e := range d.ca {
		p := e.Policy
		switch {
		case e.Counts():
			d.add(Finding{ID: "ca-blocks-legacy", Severity: SeverityBlocker, Title: fmt.Sprintf("Conditional Access policy '%s' blocks this app", p.Name),
				Detail: fmt.Sprintf("The policy is on, covers this account and legacy clients (%s), and demands %s. A legacy client cannot satisfy a grant control, so it is blocked (AADSTS53003), app password or not.",
					strings.Join(p.ClientAppTypes, ", "), controlsText(p)),
				Source: srcBlockLegacy, Fix: "Switch the app to modern authentication. Excluding the account from the policy would work but weakens the organisation's protection.", Who: whoCAAdmin})
		case e.Scope == ScopeUnknown && e.Enforced && e.CoversLegacy && e.Blocks:
			d.add(Finding{ID: "ca-scope-unknown", Severity: SeverityWarning, Title: fmt.Sprintf("Policy '%s' may block this app", p.Name),
				Detail: "The policy blocks legacy clients for some groups or roles, and apppass could not read the account's memberships.",
				Source: srcCAPolicies})
		case !e.Enforced && e.CoversLegacy && e.Blocks && e.Scope != ScopeOut:
			d.add(Finding{ID: "ca-not-enforced", Severity: SeverityInfo, Title: fmt.Sprintf("Policy '%s' is %s", p.Name, stateText(p.State)),
				Detail: "It would block this app if it were turned on; it is listed, not counted.", Source: srcCAPolicies})
		}
		if strings.EqualFold(p.Name, "Multifactor authentication for per-user multifactor authentication users") {
			d.add(Finding{ID: "ca-managed-per-user", Severity: SeverityInfo, Title: "Microsoft-managed policy for per-user MFA users is present",
				Detail: fmt.Sprintf("State %s, client app types %s.", p.State, strings.Join(p.ClientAppTypes, ", ")), Source: srcCAPolicies})
		}
	}
	if len(d.caBlocking()) == 0 && d.kinds[KindCABlocked] {
		detail := "Sign-ins of the account are blocked by Conditional Access (AADSTS53003). A policy that blocks a password sign-in blocks a legacy app too."
		if d.legacyFailure(53003) {
			detail = "The sign-in log shows the app's legacy sign-ins blocked by Conditional Access (AADSTS53003)."
		}
		d.add(Finding{ID: "ca-blocks-app", Severity: SeverityBlocker, Title: "Conditional Access blocks the sign-ins",
			Detail: detail, Source: srcBlockLegacy, Fix: "Switch the app to modern authentication.", Who: whoCAAdmin})
	}
}

// legacyFailure reports a failed legacy-client sign-in with the code.
func (d *diagnosis) legacyFailure(code int) bool {
	if !d.ev.SignIns.Known() {
		return false
	}
	for _, s := range d.ev.SignIns.Value {
		if s.ErrorCode == code && legacyClient(s.ClientAppUsed) {
			return true
		}
	}
	return false
}

func controlsText(p CAPolicy) string {
	parts := append([]string(nil), p.GrantControls...)
	if p.AuthStrength != "" {
		parts = append(parts, "authentication strength "+p.AuthStrength)
	}
	return strings.Join(parts, ", ")
}

func stateText(state string) string {
	if state == "enabledForReportingButNotEnforced" {
		return "report-only"
	}
	return state
}

func (d *diagnosis) mfaRules() {
	state := d.perUserState()
	reg, regKnown := d.registered()
	switch {
	case state == "enforced":
		d.add(Finding{ID: "per-user-mfa-enforced", Severity: SeverityProblem, Title: "Per-user MFA is enforced",
			Detail: "With per-user MFA enforced, apps that sign in with a password need an app password instead of the regular one.",
			Source: srcUserStates})
	case state == "enabled" && reg:
		d.add(Finding{ID: "per-user-mfa-enabled-registered", Severity: SeverityProblem, Title: "Per-user MFA is enabled and the account has registered",
			Detail: "Once an Enabled account registers a method, Entra ID enforces MFA for it: password apps then need an app password.",
			Source: srcUserStates})
	case state == "enabled" && regKnown:
		d.add(Finding{ID: "per-user-mfa-enabled-unregistered", Severity: SeverityInfo, Title: "Per-user MFA is enabled; the account has not registered",
			Detail: "Legacy apps keep working with the password until the account registers a method. Do not enforce MFA before then: Microsoft warns that legacy apps break.",
			Source: srcUserStates})
	case state == "disabled":
		d.add(Finding{ID: "per-user-mfa-disabled", Severity: SeverityInfo, Title: "Per-user MFA is disabled",
			Detail: "Per-user MFA is off for the account. App passwords exist only for accounts whose per-user MFA is enabled or enforced.",
			Source: srcAppPasswords})
	}
	if regKnown && !reg && (state == "enabled" || state == "disabled") && !d.has("per-user-mfa-enabled-unregistered") {
		d.add(Finding{ID: "mfa-not-registered", Severity: SeverityInfo, Title: "No MFA method registered",
			Detail: "The account has only its password. The owner will register a method (for example Microsoft Authenticator) before the App password option appears.",
			Source: srcUserStates, Who: whoOwner})
	}
	if state != "" && state != "disabled" && anyEffect(d.ca, func(e CAEffect) bool { return e.Enforced && e.RequiresMFA && e.Scope == ScopeIn }) {
		d.add(Finding{ID: "mfa-mixed", Severity: SeverityWarning, Title: "Per-user MFA and Conditional Access MFA both apply",
			Detail: "Microsoft advises not to mix per-user MFA with Conditional Access MFA.", Source: srcMFAMixing})
	}
	if d.kinds[KindMFARequired] && state == "" {
		d.add(Finding{ID: "mfa-required", Severity: SeverityProblem, Title: "MFA is required of the account",
			Detail: "Sign-ins answer AADSTS50076: the password was right and MFA is demanded.", Source: CodeURL(50076)})
	}
}

func anyEffect(s []CAEffect, f func(CAEffect) bool) bool {
	for _, v := range s {
		if f(v) {
			return true
		}
	}
	return false
}

// evidenceGapRules says what could not be checked and what would check it.
func (d *diagnosis) evidenceGapRules() {
	gaps := []struct {
		name, source        string
		status              Status
		missing, err, reqID string
	}{
		{"the account", srcUser, d.ev.Account.Status, d.ev.Account.Missing, d.ev.Account.Err, d.ev.Account.RequestID},
		{"the per-user MFA state", srcUserStates, d.ev.PerUserMFA.Status, d.ev.PerUserMFA.Missing, d.ev.PerUserMFA.Err, d.ev.PerUserMFA.RequestID},
		{"the registered methods", srcUserStates, d.ev.Methods.Status, d.ev.Methods.Missing, d.ev.Methods.Err, d.ev.Methods.RequestID},
		{"security defaults", srcSecurityDefaults, d.ev.SecurityDefaults.Status, d.ev.SecurityDefaults.Missing, d.ev.SecurityDefaults.Err, d.ev.SecurityDefaults.RequestID},
		{"Conditional Access policies", srcCAPolicies, d.ev.Policies.Status, d.ev.Policies.Missing, d.ev.Policies.Err, d.ev.Policies.RequestID},
		{"group and role memberships", srcCAPolicies, d.ev.Membership.Status, d.ev.Membership.Missing, d.ev.Membership.Err, d.ev.Membership.RequestID},
		{"the sign-in log", srcSignInLogs, d.ev.SignIns.Status, d.ev.SignIns.Missing, d.ev.SignIns.Err, d.ev.SignIns.RequestID},
		{"SharePoint's legacy-auth switch", srcSharePointLegacy, d.ev.SharePointLegacy.Status, d.ev.SharePointLegacy.Missing, d.ev.SharePointLegacy.Err, d.ev.SharePointLegacy.RequestID},
	}
	for _, g := range gaps {
		var detail string
		switch g.status {
		case StatusDenied:
			detail = fmt.Sprintf("apppass could not read %s: it needs %s.", g.name, g.missing)
		case StatusLicence:
			detail = fmt.Sprintf("apppass could not read %s: the tenant needs %s.", g.name, g.missing)
		case StatusFailed:
			detail = fmt.Sprintf("apppass could not read %s: %s.", g.name, g.err)
		default:
			continue
		}
		if g.reqID != "" {
			detail += " Request id " + g.reqID + "."
		}
		d.add(Finding{ID: "unchecked-" + strings.ReplaceAll(strings.TrimPrefix(g.name, "the "), " ", "-"), Severity: SeverityWarning,
			Title: "Not checked: " + g.name, Detail: detail, Source: g.source})
	}
	if d.ev.AppPasswordsSetting.Status == StatusNoAPI {
		d.add(Finding{ID: "app-password-setting-no-api", Severity: SeverityInfo, Title: "No API reads the tenant's app-password setting",
			Detail: "Whether users may create app passwords is set on the legacy MFA service settings page; no Graph API reads or sets it.",
			Source: srcAppPasswords, Who: whoMFAAdmin})
	}
}
