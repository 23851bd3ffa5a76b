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

// What Exchange Online's SMTP AUTH replies mean (M365-FACTS.md section 4).
const (
	SMTPAccepted         SMTPMeaning = "accepted"
	SMTPBadCredentials   SMTPMeaning = "bad-credentials"
	SMTPTenantDisabled   SMTPMeaning = "tenant-disabled"
	SMTPMailboxDisabled  SMTPMeaning = "mailbox-disabled"
	SMTPSecurityDefaults SMTPMeaning = "security-defaults"
	SMTPPolicyCriteria   SMTPMeaning = "policy-criteria"
	SMTPBasicAuthRemoved SMTPMeaning = "basic-auth-removed"
	SMTPOtherFailure     SMTPMeaning = "other"
)

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
	switch {
	case r.Code == 235:
		return SMTPAccepted
	case r.Enhanced == "5.7.30" || strings.Contains(text, "basic authentication is not supported"):
		return SMTPBasicAuthRemoved
	case r.Enhanced == "5.7.139" && strings.Contains(text, "disabled for the tenant"):
		return SMTPTenantDisabled
	case r.Enhanced == "5.7.139" && strings.Contains(text, "disabled for the mailbox"):
		return SMTPMailboxDisabled
	case r.Enhanced == "5.7.139" && strings.Contains(text, "security defaults"):
		return SMTPSecurityDefaults
	case r.Enhanced == "5.7.139":
		return SMTPPolicyCriteria
	case r.Code == 535 || r.Enhanced == "5.7.3":
		return SMTPBadCredentials
	}
	return SMTPOtherFailure
}

// Explain says what the reply means in plain words.
func (r SMTPReply) Explain() string {
	switch r.Meaning {
	case SMTPAccepted:
		return "Exchange Online accepted the credentials: SMTP AUTH works for this account."
	case SMTPBasicAuthRemoved:
		return "Microsoft has removed Basic authentication for SMTP client submission: no password or app password can sign in; the app must use OAuth."
	case SMTPTenantDisabled:
		return "SMTP AUTH is turned off for the whole organisation. An Exchange admin can turn it on (Exchange admin center or Set-TransportConfig -SmtpClientAuthenticationDisabled $false); no Graph API can."
	case SMTPMailboxDisabled:
		return "Authenticated SMTP is turned off for this mailbox. An Exchange admin can turn it on for the mailbox (Exchange admin center, Mail flow settings, or Set-CASMailbox -SmtpClientAuthenticationDisabled $false)."
	case SMTPSecurityDefaults:
		return "Security defaults block every legacy sign-in, SMTP AUTH included."
	case SMTPPolicyCriteria:
		return "The credentials were checked but policy refused them: MFA is required of the account (use an app password), or Conditional Access blocks legacy clients (no app password can help)."
	case SMTPBadCredentials:
		return "Exchange Online refused the user name or password (or the app password is not valid, e.g. per-user MFA is off for the account)."
	}
	return "Exchange Online refused the sign-in: " + r.Text
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
