package diagnose

import (
	"fmt"
	"slices"
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

// LegacyClientApps are the sign-in log's clientAppUsed values that mean a
// legacy (password, Basic-auth) protocol (M365-FACTS.md sections 3 and 8).
var LegacyClientApps = []string{"Authenticated SMTP", "IMAP4", "POP3", "Exchange ActiveSync", "Exchange Web Services", "Autodiscover",
	"Other clients", "MAPI Over HTTP", "Offline Address Book", "Outlook Anywhere (RPC over HTTP)", "Exchange Online PowerShell",
	"Outlook Service", "Reporting Web Services"}

// legacyClient reports sign-in log client apps that mean a Basic-auth app.
func legacyClient(app string) bool { return slices.Contains(LegacyClientApps, app) }

// appClient reports a sign-in log client app that is the failing app's kind
// of legacy sign-in for the service.
func (d *diagnosis) appClient(app string) bool { return AppClient(d.service, app) }

// newestAppCASignIn is the app's most recent legacy sign-in that carries
// Conditional Access's verdict. "Conditional Access policies are enforced
// after first-factor authentication is completed": a row that failed the
// first factor (wrong password, lockout, expiry, disabled, no such user)
// neither proves nor disproves a block, so older rows that passed it count.
func (d *diagnosis) newestAppCASignIn() (SignIn, bool) {
	var newest SignIn
	found := false
	if !d.ev.SignIns.Known() {
		return newest, false
	}
	for _, s := range d.ev.SignIns.Value {
		if d.appClient(s.ClientAppUsed) && caEvaluated(s) && (!found || s.Time.After(newest.Time)) {
			newest, found = s, true
		}
	}
	return newest, found
}

// caEvaluated reports a sign-in row that passed the first factor, so that
// Conditional Access was evaluated for it: a success, a code Entra gives
// only after the password was checked, or a row that names CA's result.
func caEvaluated(s SignIn) bool {
	if s.ErrorCode == 0 || s.CAStatus == "success" || s.CAStatus == "failure" {
		return true
	}
	switch LookupCode(s.ErrorCode).Kind {
	case KindMFARequired, KindMFARegister, KindMFANotCompleted, KindCABlocked, KindSecurityDefaults, KindExternal, KindDevice:
		return true
	}
	return false // a first-factor failure, or a code apppass cannot place
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
		src := fromOther
		if d.appClient(s.ClientAppUsed) && !d.mfaFromElsewhere(s) {
			src = fromApp
		}
		d.noteCode(s.ErrorCode, src)
	}
	d.appliedPolicyRules()
	codes := make([]int, 0, len(byCode))
	for c := range byCode {
		codes = append(codes, c)
	}
	sort.Ints(codes)
	for _, code := range codes {
		g := byCode[code]
		info := LookupCode(code)
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
		d.noteCode(code, fromApp)
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
	d.noteCode(pc.Value, fromModern)
	info := LookupCode(pc.Value)
	sev := SeverityProblem
	title := fmt.Sprintf("Password check: AADSTS%d", pc.Value)
	if info.PasswordRight {
		sev = SeverityInfo
		title = "The password is right"
	}
	d.add(Finding{ID: "password-check", Severity: sev, Title: title,
		Detail: fmt.Sprintf("A single test sign-in with the regular password answered AADSTS%d: %s. It was a modern sign-in, judged apart from the app's legacy ones: it says nothing about whether the app itself is refused.", pc.Value, info.Meaning),
		Source: CodeURL(pc.Value)})
}

func (d *diagnosis) smtpRules() {
	if d.smtp == nil {
		return
	}
	r := *d.smtp
	source := "SMTP test"
	if !d.ev.SMTPTest.Known() {
		source = "pasted error"
	}
	f := Finding{ID: "smtp-" + string(r.Meaning), Severity: SeverityProblem,
		Title:  fmt.Sprintf("SMTP AUTH answered %d %s (%s)", r.Code, r.Enhanced, source),
		Detail: r.Explain(), Source: srcSMTPAuth}
	switch {
	case r.Meaning == SMTPAccepted:
		f.Severity = SeverityInfo
	case r.Meaning == SMTPSecurityDefaults:
		f.Severity = SeverityBlocker
		d.kinds[KindSecurityDefaults] = true
	case r.Meaning.SwitchedOff():
		f.Fix, f.Who = EnableSMTPAuthHow, whoExchange
	case r.Meaning == SMTPBasicRefused:
		f.Severity, f.Fix, f.Who = SeverityBlocker, "Move the app to OAuth (the way forward below); ask Microsoft support whether Basic can return for this tenant.", whoAppVendor
	case r.Meaning == SMTPRefused:
		f.Severity = SeverityWarning
	case r.Meaning == SMTPBadCredentials:
		d.kinds[KindWrongPassword] = true
	case r.Meaning == SMTPUnknown:
		f.Severity = SeverityWarning
	}
	d.add(f)
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

// mfaFromElsewhere notes an app sign-in whose MFA demand the log credits to
// Conditional Access or security defaults, not per-user MFA: an app password
// cannot satisfy those (M365-FACTS.md section 8).
func (d *diagnosis) mfaFromElsewhere(s SignIn) bool {
	kind := LookupCode(s.ErrorCode).Kind
	if len(s.MFAProviders) == 0 || slices.Contains(s.MFAProviders, "user") ||
		kind != KindMFARequired && kind != KindMFARegister && kind != KindMFANotCompleted {
		return false
	}
	if slices.Contains(s.MFAProviders, "securityDefaults") {
		d.kinds[KindSecurityDefaults] = true
	}
	if slices.Contains(s.MFAProviders, "multiConditionalAccess") {
		d.kinds[KindCABlocked] = true
	}
	return true
}

// appliedPolicyRules reads Microsoft's own record of what Conditional Access
// did to the app's newest legacy sign-in.
func (d *diagnosis) appliedPolicyRules() {
	newest, ok := d.newestAppCASignIn()
	if !ok {
		return
	}
	for _, a := range newest.Applied {
		switch a.Result {
		case "failure":
			d.add(Finding{ID: "ca-log-blocks", Severity: SeverityBlocker, Title: fmt.Sprintf("The sign-in log names policy '%s' as blocking the app", a.Name),
				Detail: fmt.Sprintf("Entra ID's record of the app's last %s sign-in (%s) says Conditional Access policy '%s' failed it%s. A legacy client cannot satisfy a policy, app password or not.",
					newest.ClientAppUsed, newest.Time.UTC().Format("2006-01-02 15:04 MST"), a.Name, controlsSuffix(a.Controls)),
				Source: srcSignInCA, Fix: "Switch the app to modern authentication. Excluding the account from the policy would work but weakens the organisation's protection.", Who: whoCAAdmin})
		case "reportOnlyFailure":
			d.add(Finding{ID: "ca-log-report-only", Severity: SeverityWarning, Title: fmt.Sprintf("Policy '%s' will block the app when switched on", a.Name),
				Detail: fmt.Sprintf("The policy is report-only; the sign-in log shows it would have failed the app's last %s sign-in.%s", newest.ClientAppUsed, managedNote(a.Name)),
				Source: srcSignInCA, Fix: "Plan the app's move to modern authentication before the policy is switched on.", Who: whoCAAdmin})
		case "unknownFutureValue":
			// apppass asks with Prefer: include-unknown-enum-members, so this
			// is a result newer than any it knows: said, not guessed.
			d.add(Finding{ID: "ca-log-result-unknown", Severity: SeverityWarning, Title: fmt.Sprintf("The sign-in log gives policy '%s' a result apppass does not know", a.Name),
				Detail: fmt.Sprintf("Entra ID's record of the app's last %s sign-in gives the policy's result as unknownFutureValue, so apppass cannot say what the policy did. The sign-in's details in the Microsoft Entra admin center (Sign-in logs, Conditional Access tab) show it.", newest.ClientAppUsed),
				Source: srcSignInCA, Who: whoCAAdmin})
		}
	}
}

func controlsSuffix(controls []string) string {
	if len(controls) == 0 {
		return ""
	}
	return " (it demands " + strings.Join(controls, ", ") + ")"
}

// managedNote explains a policy that bears a Microsoft-managed policy's name.
func managedNote(name string) string {
	if !(CAPolicy{Name: name}).Managed() {
		return ""
	}
	return " Its name is that of a Microsoft-managed policy: Microsoft creates those report-only and switches them on automatically after at least 45 days unless an admin opts out."
}

func (d *diagnosis) caRules() {
	newest, logged := d.newestAppCASignIn()
	// Microsoft's record of the app's own sign-in settles what a condition
	// apppass cannot see would have done.
	logCleared := logged && (newest.CAStatus == "success" || newest.CAStatus == "notApplied")
	for _, e := range d.ca {
		p := e.Policy
		switch {
		case e.Counts():
			d.add(Finding{ID: "ca-blocks-legacy", Severity: SeverityBlocker, Title: fmt.Sprintf("Conditional Access policy '%s' blocks this app", p.Name),
				Detail: fmt.Sprintf("The policy is on, covers this account and legacy clients (%s) under every condition, and demands %s. A legacy client cannot satisfy a grant control, so it is blocked (AADSTS53003), app password or not.%s",
					strings.Join(p.ClientAppTypes, ", "), controlsText(p), managedNote(p.Name)),
				Source: srcBlockLegacy, Fix: "Switch the app to modern authentication. Excluding the account from the policy would work but weakens the organisation's protection.", Who: whoCAAdmin})
		case e.MayBlock() && !logCleared:
			d.add(Finding{ID: "ca-may-block", Severity: SeverityWarning, Title: fmt.Sprintf("Policy '%s' may block this app", p.Name),
				Detail: fmt.Sprintf("The policy is on and covers this account and legacy clients, but it applies only %s, which apppass cannot see. If it applies, it blocks the app (a legacy client cannot satisfy %s). The app's own sign-in in the log, or the SMTP test run from where the app runs, settles it.", e.Depends, controlsText(p)),
				Source: srcCAConditions, Who: whoCAAdmin})
		case e.Undecided():
			d.add(Finding{ID: "ca-scope-unknown", Severity: SeverityWarning, Title: fmt.Sprintf("Policy '%s' may block this app", p.Name),
				Detail: "The policy blocks legacy clients for some groups or roles, and apppass could not read the account's memberships.",
				Source: srcCAPolicies})
		case !e.Enforced && e.Blocks && e.Match != MatchNone:
			d.add(Finding{ID: "ca-not-enforced", Severity: SeverityInfo, Title: fmt.Sprintf("Policy '%s' is %s", p.Name, stateText(p.State)),
				Detail: "It would block this app if it were turned on; it is listed, not counted." + managedNote(p.Name), Source: srcCAPolicies})
		}
		if strings.EqualFold(p.Name, "Multifactor authentication for per-user multifactor authentication users") {
			d.add(Finding{ID: "ca-managed-per-user", Severity: SeverityInfo, Title: "Microsoft-managed policy for per-user MFA users is present",
				Detail: fmt.Sprintf("State %s, client app types %s.", p.State, strings.Join(p.ClientAppTypes, ", ")), Source: srcCAPolicies})
		}
	}
	if len(d.caBlocking()) == 0 && d.kinds[KindCABlocked] && !d.has("ca-log-blocks") {
		detail := "The app's sign-ins are blocked by Conditional Access (AADSTS53003 in its error, or MFA that the sign-in log credits to Conditional Access)."
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
	if len(p.TermsOfUse) > 0 {
		parts = append(parts, "terms of use")
	}
	if len(p.CustomFactors) > 0 {
		parts = append(parts, "a custom authentication factor")
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
		sev, detail := SeverityWarning, "An account that registers while Enabled is moved to Enforced, but one re-enabled without registering again stays Enabled and its legacy apps keep the password: the state alone does not say whether the app needs an app password."
		if d.appMFA {
			sev, detail = SeverityProblem, "The sign-in log shows MFA demanded of the app's legacy sign-ins: password apps need an app password."
		}
		d.add(Finding{ID: "per-user-mfa-enabled-registered", Severity: sev, Title: "Per-user MFA is enabled and the account has registered an MFA method",
			Detail: detail, Source: srcUserStates})
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
	if state != "" && state != "disabled" && anyEffect(d.ca, func(e CAEffect) bool { return e.Enforced && e.RequiresMFA && e.Match != MatchNone }) {
		d.add(Finding{ID: "mfa-mixed", Severity: SeverityWarning, Title: "Per-user MFA and Conditional Access MFA both apply",
			Detail: "Microsoft advises not to mix per-user MFA with Conditional Access MFA.", Source: srcMFAMixing})
	}
	if d.appMFA && state == "" {
		d.add(Finding{ID: "mfa-required", Severity: SeverityProblem, Title: "MFA is required of the app's sign-ins",
			Detail: "The app's legacy sign-ins answer AADSTS50076: the password was right and per-user MFA demands a second factor.", Source: CodeURL(50076)})
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
	ev := d.ev
	gaps := []struct {
		check               Check
		name, source        string
		status              Status
		missing, err, reqID string
	}{
		{CheckAccount, "the account", srcUser, ev.Account.Status, ev.Account.Missing, ev.Account.Err, ev.Account.RequestID},
		{CheckRoles, "your roles", srcRoles, ev.RolesRead.Status, ev.RolesRead.Missing, ev.RolesRead.Err, ev.RolesRead.RequestID},
		{CheckPerUserMFA, "the per-user MFA state", srcUserStates, ev.PerUserMFA.Status, ev.PerUserMFA.Missing, ev.PerUserMFA.Err, ev.PerUserMFA.RequestID},
		{CheckMethods, "the registered methods", srcUserStates, ev.Methods.Status, ev.Methods.Missing, ev.Methods.Err, ev.Methods.RequestID},
		{CheckSecurityDefaults, "security defaults", srcSecurityDefaults, ev.SecurityDefaults.Status, ev.SecurityDefaults.Missing, ev.SecurityDefaults.Err, ev.SecurityDefaults.RequestID},
		{CheckConditional, "Conditional Access policies", srcCAPolicies, ev.Policies.Status, ev.Policies.Missing, ev.Policies.Err, ev.Policies.RequestID},
		{CheckMembership, "group and role memberships", srcCAPolicies, ev.Membership.Status, ev.Membership.Missing, ev.Membership.Err, ev.Membership.RequestID},
		{CheckSignIns, "the sign-in log", srcSignInLogs, ev.SignIns.Status, ev.SignIns.Missing, ev.SignIns.Err, ev.SignIns.RequestID},
		{CheckSharePoint, "SharePoint's legacy-auth switch", srcSharePointLegacy, ev.SharePointLegacy.Status, ev.SharePointLegacy.Missing, ev.SharePointLegacy.Err, ev.SharePointLegacy.RequestID},
	}
	for _, g := range gaps {
		switch g.status {
		case StatusDenied, StatusLicence, StatusFailed:
		default:
			continue
		}
		detail := fmt.Sprintf("apppass could not read %s, so it counts as not checked, never as nothing found. To check it: %s.", g.name, d.howToSettle(g.status, g.missing, g.err))
		if g.reqID != "" {
			detail += " Request id " + g.reqID + "."
		}
		d.add(Finding{ID: "unchecked-" + strings.ReplaceAll(strings.TrimPrefix(g.name, "the "), " ", "-"), Severity: SeverityWarning,
			Title: "Not checked: " + g.name, Detail: detail, Source: g.source})
	}
	if how, ok := d.facts.settle[CheckSMTP]; ok && d.facts.smtpOff == open {
		d.add(Finding{ID: "unchecked-smtp-auth-switch", Severity: SeverityWarning, Title: "Not checked: whether SMTP AUTH is on for the mailbox",
			Detail: "Not checked, so not counted as on: " + how + ". " + EnableSMTPAuthHow,
			Source: srcSMTPAuth, Who: whoExchange})
	}
	if d.ev.AppPasswordsSetting.Status == StatusNoAPI {
		d.add(Finding{ID: "app-password-setting-no-api", Severity: SeverityInfo, Title: "No API reads the tenant's app-password setting",
			Detail: "Whether users may create app passwords is set on the legacy MFA service settings page; no Graph API reads or sets it.",
			Source: srcAppPasswords, Who: whoMFAAdmin})
	}
}
