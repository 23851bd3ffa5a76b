package diagnose

// RolloutGuidance is what Microsoft says before per-user MFA goes on an
// account a password app signs in with; the wizard shows it before the
// first change of the classic procedure.
var RolloutGuidance = []string{
	"Microsoft prefers Conditional Access MFA to per-user MFA, and advises not to mix the two. An app password cannot satisfy Conditional Access MFA.",
	"From the moment per-user MFA is enforced, the app's own password stops working: it fails until the app password is in the app.",
	"An app password works only as long as the service takes one: SMTP AUTH Basic goes off by default at the end of December 2026 and is then removed for good (date to be announced in the second half of 2027). Plan the move to OAuth.",
	"The owner registers an MFA method (for example Microsoft Authenticator) at their next sign-in, then creates the app password on Security info.",
}

// rolloutSteps are the classic procedure, in the order the KB gives them.
var rolloutSteps = []StepID{StepAllowAppPasswords, StepEnableMFA, StepEnforceMFA, StepSignOut, StepCreateAppPassword, StepTestAppPassword}

// rollout offers the classic procedure as an admin's own choice: putting
// per-user MFA on an account that has no MFA at all, for an app that can
// keep working with an app password. It is offered only when every fact it
// rests on was read, and never as the fix of a 401 it did not cause.
func (d *diagnosis) rollout(r *Report) {
	f := &d.facts
	noMFAAnywhere := d.perUserState() == "disabled" && !d.appMFA &&
		f.securityDefaults == disproved && f.caBlocks == disproved && f.missing == disproved && f.disabled == disproved &&
		d.ev.Policies.Known() && !anyEffect(d.ca, func(e CAEffect) bool { return e.RequiresMFA && e.Match != MatchNone })
	if !noMFAAnywhere || d.service != ServiceSMTP || !d.cal.Open || r.AppPasswordCanHelp == AnswerUnknown {
		return
	}
	r.Rollout = rolloutSteps
}
