package diagnose

import (
	"fmt"
	"slices"
)

// verdict decides the cause, the answer and the plan. The checks run from
// "nothing can sign in" to "an app password fixes it"; the first that holds wins.
func (d *diagnosis) verdict(r *Report) {
	no := func(cause, why string, plan ...StepID) {
		r.Cause, r.AppPasswordCanHelp, r.Why, r.Plan = cause, AnswerNo, why, plan
	}
	acct := d.ev.Account
	blocking := d.caBlocking()
	mfaOn := d.perUserMFABlocksPassword() || d.kinds[KindMFARequired] || d.kinds[KindMFARegister] || d.kinds[KindMFANotCompleted]
	smtpMeaning := SMTPMeaning("")
	if d.smtp != nil {
		smtpMeaning = d.smtp.Meaning
	}

	switch {
	case acct.Status == StatusMissing || d.kinds[KindNoSuchUser]:
		no(fmt.Sprintf("The account %s does not exist in this tenant, so the app's sign-in cannot succeed.", d.ev.UPN),
			"the account does not exist")
	case acct.Known() && !acct.Value.Enabled || d.kinds[KindDisabled]:
		no("The account is disabled in Entra ID, so every sign-in is refused whatever the password.",
			"the account is disabled", StepAskAdmin)
	case d.kinds[KindLocked]:
		no("Smart lockout has locked the account after repeated failed sign-ins; stop the app retrying and wait for the lockout to clear.",
			"the account is locked", StepAskAdmin)
	case !d.cal.Open:
		no(d.retiredCause(), "the sign-in method the app uses is retired", StepModernAuth)
	case smtpMeaning == SMTPBasicAuthRemoved:
		no("Microsoft has removed Basic authentication for SMTP client submission, so no password of any kind can send mail this way.",
			"SMTP AUTH Basic authentication is removed", StepModernAuth)
	case d.kinds[KindSecurityDefaults]:
		no("Security defaults are on, and they block every legacy sign-in, app passwords included.",
			"security defaults block legacy authentication", StepModernAuth)
	case len(blocking) > 0:
		no(fmt.Sprintf("Conditional Access policy %s applies to this account and to legacy clients like this app, and a legacy client cannot satisfy it, so the app is blocked.", quoteNames(blocking)),
			"Conditional Access blocks legacy clients for this account", StepModernAuth)
	case d.has("ca-blocks-app"):
		no("Conditional Access blocks the app's legacy sign-ins (AADSTS53003), and no app password can satisfy a Conditional Access policy.",
			"Conditional Access blocks legacy clients for this account", StepModernAuth)
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
	case d.kinds[KindPasswordExpired] && !mfaOn:
		no("The account's password has expired: the owner must set a new one and update the app.", "the password has expired")
	case d.kinds[KindWrongPassword] && !d.passwordRight && !mfaOn:
		no("The app's password is wrong: sign-ins fail with AADSTS50126, and nothing in Microsoft 365 demands MFA of this account.",
			"MFA is not what blocks the app: the password is wrong")
	case mfaOn:
		d.appPasswordPath(r)
	case smtpMeaning == SMTPTenantDisabled || smtpMeaning == SMTPMailboxDisabled:
		no("SMTP AUTH is turned off for the "+map[bool]string{true: "tenant", false: "mailbox"}[smtpMeaning == SMTPTenantDisabled]+
			", so Exchange Online refuses the app before it checks any password.", "SMTP AUTH must be turned on first", StepAskAdmin)
	default:
		no("Nothing in Microsoft 365 blocks this account: no MFA is demanded of it and no sign-in failure explains a 401. Check the app's server, port and user name.",
			"nothing requires an app password")
	}
	if r.Plan == nil {
		r.Plan = []StepID{}
	}
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
	switch st := d.perUserState(); st {
	case "enforced", "enabled":
		r.Cause = fmt.Sprintf("Per-user MFA is %s for the account, so Microsoft 365 refuses the app's regular password; a password-based app needs an app password.", st)
	default:
		r.Cause = "MFA is required of the account (AADSTS50076), so Microsoft 365 refuses the app's regular password; a password-based app needs an app password."
	}
	r.AppPasswordCanHelp = AnswerYes
	if !d.cal.Until.IsZero() {
		r.AppPasswordCanHelp = AnswerUntil
		r.HelpsUntil = dateString(d.cal.Until)
		r.Why = "works until " + humanDate(d.cal.Until) + " by default: " + d.cal.Note
	}

	var plan []StepID
	if !(d.ev.AppPasswordsSetting.Known() && d.ev.AppPasswordsSetting.Value) {
		plan = append(plan, StepAllowAppPasswords)
	}
	reg, regKnown := d.registered()
	switch d.perUserState() {
	case "disabled":
		plan = append(plan, StepEnableMFA)
		if reg {
			plan = append(plan, StepEnforceMFA)
		}
	case "enabled":
		if reg {
			plan = append(plan, StepEnforceMFA)
		}
	case "":
		plan = append(plan, StepEnableMFA)
		if reg || !regKnown {
			plan = append(plan, StepEnforceMFA) // the step re-reads registration before any write
		}
	}
	if slices.Contains(plan, StepEnableMFA) || slices.Contains(plan, StepEnforceMFA) {
		plan = append(plan, StepSignOut)
	}
	plan = append(plan, StepCreateAppPassword)
	if d.service == ServiceSMTP {
		plan = append(plan, StepTestAppPassword)
	}
	needsAdmin := d.smtp != nil && (d.smtp.Meaning == SMTPTenantDisabled || d.smtp.Meaning == SMTPMailboxDisabled)
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
