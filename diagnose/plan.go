package diagnose

// StepID names a step of the plan (the wizard's screens after diagnosis).
type StepID string

// The plan's steps, in the order they run.
const (
	// StepEnableSMTPAuth turns SMTP AUTH back on, for the mailbox first. No
	// Graph API can: Exchange PowerShell or the admin centers only.
	StepEnableSMTPAuth    StepID = "enable-smtp-auth"
	StepAllowAppPasswords StepID = "allow-app-passwords"
	StepEnableMFA         StepID = "enable-mfa"
	StepEnforceMFA        StepID = "enforce-mfa"
	StepSignOut           StepID = "sign-out"
	StepCreateAppPassword StepID = "create-app-password"
	StepTestAppPassword   StepID = "test-app-password"
	StepModernAuth        StepID = "switch-to-modern-auth"
	StepAskAdmin          StepID = "ask-admin"
)

// AllSteps lists every step in run order.
var AllSteps = []StepID{StepEnableSMTPAuth, StepAllowAppPasswords, StepEnableMFA, StepEnforceMFA, StepSignOut,
	StepCreateAppPassword, StepTestAppPassword, StepModernAuth, StepAskAdmin}

// RolesNeeded are the directory roles (template ids) that can do the step;
// nil means the account owner or anyone.
func (s StepID) RolesNeeded() []string {
	switch s {
	case StepAllowAppPasswords, StepEnableMFA, StepEnforceMFA:
		return RolesManageMFA
	case StepSignOut:
		return RolesRevoke
	case StepEnableSMTPAuth:
		return RolesExchange
	}
	return nil
}

// Title is the step in plain words.
func (s StepID) Title() string {
	switch s {
	case StepEnableSMTPAuth:
		return "Turn SMTP AUTH on for the mailbox (Exchange admin; no Graph API)"
	case StepAllowAppPasswords:
		return "Allow app passwords (tenant setting)"
	case StepEnableMFA:
		return "Enable per-user MFA"
	case StepEnforceMFA:
		return "Enforce per-user MFA"
	case StepSignOut:
		return "Force sign-out"
	case StepCreateAppPassword:
		return "Create the app password (account owner)"
	case StepTestAppPassword:
		return "Test the app password"
	case StepModernAuth:
		return "Switch the app to modern authentication (OAuth)"
	case StepAskAdmin:
		return "Ask an admin"
	}
	return string(s)
}

// Answer is whether an app password can fix the connection.
type Answer string

// Answers.
const (
	AnswerYes   Answer = "yes"
	AnswerNo    Answer = "no"
	AnswerUntil Answer = "until"
	// AnswerUnknown: a check that could change the answer failed, was denied,
	// hit a licence wall or cannot be made; Report.Settle says what would settle it.
	AnswerUnknown Answer = "unknown"
)

// EnableSMTPAuthHow is the exact change behind StepEnableSMTPAuth, narrowest first.
const EnableSMTPAuthHow = "For this mailbox only (Microsoft's preferred narrow fix): Set-CASMailbox -Identity <upn> -SmtpClientAuthenticationDisabled $false, " +
	"or Microsoft 365 admin center > Users > Active users > the user > Mail > Manage email apps > Authenticated SMTP. " +
	"For the whole organisation: Set-TransportConfig -SmtpClientAuthenticationDisabled $false (Exchange admin center > Settings > Mail flow). " +
	"Where an authentication policy turns SMTP Basic auth off: Set-AuthenticationPolicy -AllowBasicAuthSmtp. No Graph API reads or sets these switches."
