package diagnose

import (
	"fmt"
	"slices"
	"strings"
)

// verdict decides the cause, the answer and the plan from the facts. A
// proved blocker answers "no"; then any open fact that could change the
// answer makes it "unknown"; only then does the cause decide. A failed or
// denied read therefore never turns into a confident answer of its own.
func (d *diagnosis) verdict(r *Report) {
	no := func(cause, why string, plan ...StepID) {
		r.Cause, r.AppPasswordCanHelp, r.Why, r.Plan = cause, AnswerNo, why, plan
	}
	f := &d.facts
	switch {
	case f.missing == proved:
		no(fmt.Sprintf("The account %s does not exist in this tenant, so the app's sign-in cannot succeed.", d.ev.UPN),
			"the account does not exist")
	case f.disabled == proved:
		no("The account is disabled in Entra ID, so every sign-in is refused whatever the password.",
			"the account is disabled", StepAskAdmin)
	case d.kinds[KindLocked]:
		no("Smart lockout has locked the account after repeated failed sign-ins; stop the app retrying and wait for the lockout to clear.",
			"the account is locked", StepAskAdmin)
	case f.retired == proved:
		no(d.retiredCause(), "the sign-in method the app uses is retired", StepModernAuth)
	case f.securityDefaults == proved:
		no("Security defaults are on, and they block every legacy sign-in, app passwords included.",
			"security defaults block legacy authentication", StepModernAuth)
	case f.caBlocks == proved:
		no(d.caCause(), "Conditional Access blocks legacy clients for this account", StepModernAuth)
	case d.kinds[KindExternal]:
		no("Sign-ins must answer an external challenge (third-party MFA or terms of use, AADSTS50158), which a password-based app cannot do.",
			"a password-based app cannot answer an external challenge", StepModernAuth)
	case d.kinds[KindDevice]:
		no("Sign-ins must come from a registered or compliant device (AADSTS50097), which a password-based app cannot prove.",
			"device authentication is required", StepModernAuth)
	case d.kinds[KindConsent]:
		no("The app signs in with modern authentication but nobody has consented to its permissions (AADSTS65001/90094): an admin must grant consent; no password change helps.",
			"the app needs consent, not a password", StepAskAdmin)
	case d.kinds[KindNotAssigned]:
		no("The account is not assigned to the app the sign-in is for (AADSTS50105): an admin must assign it.",
			"the account must be assigned to the app", StepAskAdmin)
	case d.basicOffByDefault():
		d.basicOff(r)
	case d.appPasswordAccepted():
		d.appPasswordPath(r)
	case f.mfa == disproved:
		d.noMFA(r)
	case d.smtp != nil && d.smtp.Meaning == SMTPBasicRefused:
		d.basicRefused(r)
	case f.blockerOpen() || f.mfa == open || f.smtpOff == open:
		d.unknown(r)
	default:
		d.appPasswordPath(r)
	}
	if r.Plan == nil {
		r.Plan = []StepID{}
	}
}

// noMFA answers when per-user MFA is not what refuses the app: an app
// password cannot be the fix, whatever the open checks would show.
func (d *diagnosis) noMFA(r *Report) {
	r.AppPasswordCanHelp, r.Plan = AnswerNo, nil
	f := &d.facts
	switch {
	case d.kinds[KindPasswordExpired]:
		r.Cause, r.Why = "The account's password has expired: the owner must set a new one and update the app.", "the password has expired"
	case d.kinds[KindWrongPassword] && !d.passwordRight:
		r.Cause, r.Why = "The app's password is wrong: sign-ins fail with AADSTS50126, and per-user MFA does not demand an app password of this account.",
			"MFA is not what blocks the app: the password is wrong"
	case f.smtpOff == proved:
		r.Cause = "SMTP AUTH is turned off for this mailbox or the organisation, so Exchange Online refuses the app before it checks any password; per-user MFA is not involved."
		r.Why, r.Plan = "SMTP AUTH must be turned on, which is an Exchange admin's change, not an app password", []StepID{StepEnableSMTPAuth}
	case len(f.settle) > 0:
		r.Cause = "Per-user MFA does not demand an app password of this account, so an app password is not the fix. apppass could not check everything (see below): what it could not read may be what blocks the app."
		r.Why = "per-user MFA is not what refuses the app's password"
	case d.legacySignInsAllWork() > 0:
		n := d.legacySignInsAllWork()
		r.Cause = fmt.Sprintf("This account's legacy sign-ins work: none of the %d read failed, and per-user MFA demands no app password of it, so there is nothing to fix today.", n)
		if d.ev.Service == ServiceSMTP && !d.ev.Now.After(SMTPAuthLastDefaultOn) {
			r.Cause += " Its SMTP AUTH sign-ins may stop working after 31 December 2026, when SMTP AUTH Basic goes off by default, unless the app moves to OAuth."
		}
		r.Why = "the account's legacy sign-ins succeed"
	default:
		r.Cause = "Nothing in Microsoft 365 blocks this account: no MFA is demanded of its legacy sign-ins and no sign-in failure explains a 401. Check the app's server, port and user name."
		r.Why = "nothing requires an app password"
	}
}

// legacySignInsAllWork is how many of the service's legacy sign-ins the
// log shows, when it was read, shows some, and none of them failed; else 0.
func (d *diagnosis) legacySignInsAllWork() int {
	if !d.ev.SignIns.Known() {
		return 0
	}
	n := 0
	for _, s := range d.ev.SignIns.Value {
		if !AppClient(d.ev.Service, s.ClientAppUsed) {
			continue
		}
		if s.ErrorCode != 0 {
			return 0
		}
		n++
	}
	return n
}

// basicRefused answers 550 5.7.30: never "yes", at best unknown. Microsoft
// says clients get it once Basic auth is permanently disabled and names no
// switch that brings Basic back; OAuth is the way forward either way.
func (d *diagnosis) basicRefused(r *Report) {
	r.AppPasswordCanHelp, r.Plan = AnswerUnknown, []StepID{StepModernAuth}
	r.Settle = []Settle{{Check: CheckSMTP, How: "Exchange Online answered 550 5.7.30, which Microsoft says clients get once Basic authentication is permanently disabled; it has not said whether any switch brings Basic back for this tenant: ask Microsoft support, and move the app to OAuth meanwhile"}}
	r.Why = "Exchange Online refuses Basic authentication for SMTP (550 5.7.30), and Microsoft names no switch that brings it back"
	r.Cause = "Exchange Online refused the app's Basic sign-in with 550 5.7.30, which Microsoft says clients get once Basic authentication for SMTP client submission is permanently disabled. No password, app password included, is known to work while it answers that; turning SMTP AUTH on is not a documented remedy. " + d.settleSentence(r.Settle)
}

// basicOffByDefault reports Exchange Online's own answer, once SMTP AUTH
// is off by default (after December 2026), that Basic authentication for
// SMTP is off: no password works now, whatever else is true.
func (d *diagnosis) basicOffByDefault() bool {
	return d.service == ServiceSMTP && d.cal.Open && d.cal.Until.IsZero() && d.smtp != nil && d.smtp.Meaning == SMTPBasicDisabled
}

// basicOff answers 535 5.7.139 "basic authentication is disabled" after the
// default-off date: no, not now. An Exchange admin can turn Basic back on,
// but only until Microsoft's final removal, so the way forward is OAuth.
func (d *diagnosis) basicOff(r *Report) {
	r.AppPasswordCanHelp, r.Plan = AnswerNo, []StepID{StepModernAuth}
	r.Why = "Exchange Online answered that Basic authentication for SMTP is off (535 5.7.139), and no password, app password included, works while it is; an Exchange admin can turn it back on only until Microsoft's final removal"
	r.Cause = "Exchange Online refused the sign-in because Basic authentication for SMTP is off (535 5.7.139), as it is by default since the end of December 2026: no password, app password included, works now. An Exchange admin can turn it back on for a while (the SMTP AUTH finding says how), but only until Microsoft's final removal (date to be announced in the second half of 2027): move the app to OAuth."
}

// unknown answers when a check that could change the answer was not read.
func (d *diagnosis) unknown(r *Report) {
	r.AppPasswordCanHelp = AnswerUnknown
	r.Settle = d.facts.settleList()
	names := make([]string, 0, len(r.Settle))
	for _, s := range r.Settle {
		name := s.Check.Label()
		switch {
		case s.Check == CheckSMTP:
			name = "whether SMTP AUTH is on for the mailbox"
		case s.Check == CheckConditional && d.ev.Policies.Known():
			name = "whether a Conditional Access policy applies to the app"
		}
		names = append(names, name)
	}
	r.Why = "apppass could not check " + strings.Join(names, ", ") + ", and the answer depends on it"
	r.Cause = "apppass cannot tell yet whether an app password fixes this: " + r.Why + ". " + d.settleSentence(r.Settle)
	switch {
	case d.facts.mfa == proved && d.service == ServiceSMTP:
		// The app-password steps still apply if the open checks come back clear,
		// and their last step, the SMTP test, settles the answer.
		d.appPasswordPlan(r)
		r.Cause += " If the open checks come back clear, the plan below fixes it; its SMTP test settles the answer."
	case d.ownerCalling() && d.service == ServiceSMTP:
		// What the owner can do without an admin: try it. The test's answer
		// is Exchange Online's own, and settles the question either way.
		r.Plan = []StepID{StepCreateAppPassword, StepTestAppPassword}
		r.Cause += " As the account's owner you can settle it yourself: if Security info offers you an App password, create one and test it here."
	}
}

// ownerCalling reports whether the account's owner is running apppass.
func (d *diagnosis) ownerCalling() bool {
	return d.ev.Caller != "" && strings.EqualFold(d.ev.Caller, d.ev.UPN)
}

// appPasswordAccepted reports whether an app password of the account just
// signed in to SMTP AUTH: whatever apppass could not read, it works.
func (d *diagnosis) appPasswordAccepted() bool {
	return d.ev.SMTPTestedAppPassword && d.smtp != nil && d.smtp.Meaning == SMTPAccepted && d.ev.SMTPTest.Known()
}

func (d *diagnosis) settleSentence(settle []Settle) string {
	parts := make([]string, 0, len(settle))
	for _, s := range settle {
		parts = append(parts, s.Check.Label()+": "+s.How)
	}
	return "To settle it: " + strings.Join(parts, "; ") + "."
}

func (d *diagnosis) caCause() string {
	f := &d.facts
	switch {
	case f.caFromLog && len(f.caNames) > 0:
		return fmt.Sprintf("Entra ID's sign-in log shows Conditional Access policy %s failing the app's legacy sign-ins; a legacy client cannot satisfy it, so the app is blocked, app password or not.", quoteList(f.caNames))
	case f.caFromLog:
		return "Entra ID's sign-in log shows the app's legacy sign-ins blocked by Conditional Access (AADSTS53003), and no app password can satisfy a Conditional Access policy."
	case len(f.caNames) > 0:
		return fmt.Sprintf("Conditional Access policy %s applies to this account and to legacy clients like this app, and a legacy client cannot satisfy it, so the app is blocked.", quoteList(f.caNames))
	}
	return "Conditional Access blocks the app's legacy sign-ins (AADSTS53003), and no app password can satisfy a Conditional Access policy."
}

func (d *diagnosis) retiredCause() string {
	switch d.service {
	case ServiceSharePoint:
		if !d.ev.Now.Before(SharePointLegacyRetire) {
			return "The app signs in to SharePoint Online with a password (legacy IDCRL sign-in), which Microsoft retired on 1 May 2026; no password, app password included, can sign in that way now."
		}
		return "The app signs in to SharePoint Online with a password (legacy IDCRL sign-in), which is blocked by default since 16 February 2026 and retired on 1 May 2026."
	case ServiceExchange:
		return "The app opens the mailbox with Basic authentication (EWS, IMAP, POP or ActiveSync), which Exchange Online switched off in October 2022; no password, app password included, can sign in that way."
	}
	return "Of Microsoft 365's password-based endpoints only SMTP AUTH still accepts an app password, and this app uses another."
}

// appPasswordPath fills in the verdict when an app password is the fix.
func (d *diagnosis) appPasswordPath(r *Report) {
	switch st := d.perUserState(); {
	case d.appPasswordAccepted() && st != "enforced" && !d.appMFA:
		r.Cause = "An app password of the account signed in to SMTP AUTH in apppass's test (235 2.7.0 Authentication successful): put it in the app in place of the password."
	case st == "enforced":
		r.Cause = "Per-user MFA is enforced for the account, so Microsoft 365 refuses the app's regular password; a password-based app needs an app password."
	case d.appMFA:
		r.Cause = "Entra ID demands MFA of the app's legacy sign-ins (per-user MFA), so Microsoft 365 refuses the app's regular password; a password-based app needs an app password."
	default:
		r.Cause = "Exchange Online's policy refused the app's checked password and neither Conditional Access nor security defaults did it: per-user MFA demands an app password."
	}
	r.AppPasswordCanHelp = AnswerYes
	if !d.cal.Until.IsZero() {
		r.AppPasswordCanHelp = AnswerUntil
		r.HelpsUntil = dateString(d.cal.Until)
		r.Why = "works until " + humanDate(d.cal.Until) + " by default: " + d.cal.Note
	}
	if d.facts.smtpOff == proved {
		r.Cause += " SMTP AUTH is also turned off for the mailbox or the organisation: an Exchange admin must turn it on first, or no password works."
		r.Why = strings.TrimPrefix(r.Why+"; ", "; ") + "once an Exchange admin turns SMTP AUTH back on"
	}
	if mb := d.mayBlock(); len(mb) > 0 {
		r.Cause += " Conditional Access may still block it: " + strings.Join(mb, "; ") + "."
	}
	d.appPasswordPlan(r)
}

// mayBlock words the enforced policies that block only under conditions apppass cannot see.
func (d *diagnosis) mayBlock() []string {
	var out []string
	if d.facts.caBlocks != disproved {
		return nil
	}
	if _, ok := d.newestAppCASignIn(); ok {
		return nil // Microsoft's record of the app's own sign-in settled it
	}
	for _, e := range d.ca {
		if e.MayBlock() {
			out = append(out, fmt.Sprintf("policy '%s' blocks legacy clients %s", e.Policy.Name, e.Depends))
		}
	}
	return out
}

// appPasswordPlan lists the steps from here to a tested app password.
func (d *diagnosis) appPasswordPlan(r *Report) {
	var plan []StepID
	if d.facts.smtpOff == proved {
		plan = append(plan, StepEnableSMTPAuth)
	}
	if !(d.ev.AppPasswordsSetting.Known() && d.ev.AppPasswordsSetting.Value) {
		plan = append(plan, StepAllowAppPasswords)
	}
	// Enabled is enough for the App password option; Enforced makes it
	// appear where Enabled alone does not (the classic procedure). Per-user
	// MFA is never planned where the state is unknown or MFA comes from elsewhere.
	if reg, _ := d.registered(); d.perUserState() == "enabled" && reg {
		plan = append(plan, StepEnforceMFA, StepSignOut)
	}
	plan = append(plan, StepCreateAppPassword)
	if d.service == ServiceSMTP {
		plan = append(plan, StepTestAppPassword)
	}
	needsAdmin := false
	for _, s := range plan {
		if roles := s.RolesNeeded(); roles != nil && !HasAnyRole(d.ev.CallerRoles, roles) {
			needsAdmin = true
		}
	}
	if needsAdmin {
		plan = append(plan, StepAskAdmin)
	}
	r.Plan = plan
}

func quoteList(names []string) string {
	names = slices.Compact(slices.Sorted(slices.Values(names)))
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = "'" + n + "'"
	}
	return strings.Join(q, ", ")
}
