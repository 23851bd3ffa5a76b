package diagnose

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// SMTPReply is one SMTP server reply line, parsed.
type SMTPReply struct {
	Code     int    // 235, 535, 550 ...
	Enhanced string // 2.7.0, 5.7.139 ...
	Text     string
	Meaning  SMTPMeaning
}

// SMTPMeaning is what an Exchange Online SMTP AUTH reply says happened.
type SMTPMeaning string

// What Exchange Online's SMTP AUTH replies mean (M365-FACTS.md section 8).
// Each reply Microsoft or the field documents is classified explicitly; any
// other is SMTPUnknown, never guessed.
const (
	SMTPAccepted         SMTPMeaning = "accepted"
	SMTPBadCredentials   SMTPMeaning = "bad-credentials"
	SMTPTenantDisabled   SMTPMeaning = "tenant-disabled"
	SMTPMailboxDisabled  SMTPMeaning = "mailbox-disabled"
	SMTPBasicDisabled    SMTPMeaning = "basic-auth-disabled"
	SMTPSecurityDefaults SMTPMeaning = "security-defaults"
	SMTPPolicyCriteria   SMTPMeaning = "policy-criteria"
	// SMTPBasicRefused is 550 5.7.30. Microsoft's only word on it: "Once
	// Basic auth is permanently disabled, any clients or apps connecting
	// using Basic auth with Client Submission (SMTP AUTH) will receive this
	// response". It has not said that any switch brings Basic back, so the
	// SmtpClientAuthenticationDisabled commands are not its remedy.
	SMTPBasicRefused SMTPMeaning = "basic-auth-refused"
	// SMTPRefused is 535 5.7.3. Microsoft documents it only as "user name
	// or password is incorrect" (in its NTLM specification); it is also seen
	// when SMTP AUTH is off or an OAuth token lacks SMTP.Send: weak
	// evidence, neither proof of a wrong secret nor of SMTP AUTH being on.
	SMTPRefused SMTPMeaning = "refused"
	SMTPUnknown SMTPMeaning = "unknown"
)

// SwitchedOff reports a reply that says SMTP AUTH (or its Basic auth) is
// turned off, for the tenant or the mailbox: an admin can turn it back on.
// 550 5.7.30 is not one: Microsoft names no switch that undoes it.
func (m SMTPMeaning) SwitchedOff() bool {
	switch m {
	case SMTPTenantDisabled, SMTPMailboxDisabled, SMTPBasicDisabled:
		return true
	}
	return false
}

// PastTheSwitch reports a reply Exchange gives only after the SMTP AUTH
// switches let the sign-in through: proof that SMTP AUTH is on.
func (m SMTPMeaning) PastTheSwitch() bool {
	switch m {
	case SMTPAccepted, SMTPBadCredentials, SMTPSecurityDefaults, SMTPPolicyCriteria:
		return true
	}
	return false
}

var reReply = regexp.MustCompile(`^\s*([2-5]\d\d)[ -](?:([2-5]\.\d{1,3}\.\d{1,3})\s*)?(.*)$`)

// ParseSMTPReply reads one reply line such as
// "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant".
func ParseSMTPReply(line string) (SMTPReply, bool) {
	line, _, _ = strings.Cut(line, "\n")
	m := reReply.FindStringSubmatch(strings.TrimRight(line, "\r"))
	if m == nil {
		return SMTPReply{}, false
	}
	code, _ := strconv.Atoi(m[1])
	r := SMTPReply{Code: code, Enhanced: m[2], Text: strings.TrimSpace(m[3])}
	r.Meaning = smtpMeaning(r)
	return r, true
}

func smtpMeaning(r SMTPReply) SMTPMeaning {
	text := strings.ToLower(r.Text)
	has := func(sub string) bool { return strings.Contains(text, sub) }
	switch {
	case r.Code == 235:
		return SMTPAccepted
	case r.Enhanced == "5.7.30" && has("basic authentication is not supported"):
		return SMTPBasicRefused
	case r.Enhanced == "5.7.3" && r.Code == 535:
		return SMTPRefused
	case r.Enhanced != "5.7.139":
		return SMTPUnknown
	case has("smtpclientauthentication is disabled for the tenant"):
		return SMTPTenantDisabled
	case has("smtpclientauthentication is disabled for the mailbox"):
		return SMTPMailboxDisabled
	case has("basic authentication is disabled"):
		return SMTPBasicDisabled
	case has("security defaults"):
		return SMTPSecurityDefaults
	case has("did not meet the criteria"):
		return SMTPPolicyCriteria
	case has("user credentials were incorrect"):
		return SMTPBadCredentials
	}
	return SMTPUnknown
}

// Explain says what the reply means in plain words.
func (r SMTPReply) Explain() string {
	switch r.Meaning {
	case SMTPAccepted:
		return "Exchange Online accepted the credentials: SMTP AUTH works for this account."
	case SMTPBasicRefused:
		return "Exchange Online refuses Basic authentication for SMTP client submission (550 5.7.30). Microsoft's only word on this reply is that clients get it once Basic authentication is permanently disabled; it has not said that any switch brings Basic back, so turning SMTP AUTH on (Set-CASMailbox, Set-TransportConfig) is not known to help. Move the app to OAuth; whether Basic can return for this tenant is a question for Microsoft support."
	case SMTPRefused:
		return "Exchange Online refused the sign-in (535 5.7.3). Microsoft documents this reply only as a wrong user name or password; it is also seen when SMTP AUTH is off for the mailbox or an OAuth token lacks SMTP.Send, so it proves neither: check the secret, then whether SMTP AUTH is on for the mailbox."
	case SMTPTenantDisabled:
		return "SMTP AUTH is turned off for the whole organisation. An Exchange admin can turn it on for this mailbox alone (Set-CASMailbox -SmtpClientAuthenticationDisabled $false) or for everyone (Set-TransportConfig -SmtpClientAuthenticationDisabled $false); no Graph API can."
	case SMTPMailboxDisabled:
		return "Authenticated SMTP is turned off for this mailbox. An Exchange admin can turn it on (Microsoft 365 admin center, Users, Active users, the user, Mail, Manage email apps, Authenticated SMTP; or Set-CASMailbox -SmtpClientAuthenticationDisabled $false)."
	case SMTPBasicDisabled:
		return "Basic authentication for SMTP is turned off (the tenant's switch, an authentication policy, or Microsoft's default-off since the end of December 2026). An Exchange admin can turn it back on; no password, app password included, works until then."
	case SMTPSecurityDefaults:
		return "Security defaults block every legacy sign-in, SMTP AUTH included."
	case SMTPPolicyCriteria:
		return "The credentials were checked but policy refused them: MFA is required of the account (an app password is the answer when per-user MFA demands it), or Conditional Access blocks legacy clients (no app password can help)."
	case SMTPBadCredentials:
		return "Exchange Online refused the user name or the secret: a wrong password, or an app password that is not valid (for example, per-user MFA is off for the account)."
	}
	if r.Text == "" {
		return "Exchange Online refused the sign-in with a reply apppass does not know, so it does not guess what it means."
	}
	return "Exchange Online refused the sign-in with a reply apppass does not know, so it does not guess what it means: " + r.Text
}

// String is the reply as one line.
func (r SMTPReply) String() string {
	if r.Code == 0 {
		return ""
	}
	if r.Enhanced == "" {
		return fmt.Sprintf("%d %s", r.Code, r.Text)
	}
	return fmt.Sprintf("%d %s %s", r.Code, r.Enhanced, r.Text)
}
