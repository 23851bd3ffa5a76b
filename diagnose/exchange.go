package diagnose

import (
	"fmt"
	"strings"
)

// ExchangeSource labels what Exchange Online's admin endpoint said: the
// REST interface Exchange Online PowerShell uses, which Microsoft does not
// document as a public API (M365-FACTS.md section 9).
const ExchangeSource = "Exchange Online's undocumented admin API"

// ExchangeSwitches is what Exchange Online says of SMTP AUTH for the
// account's mailbox: the organisation's switch (Get-TransportConfig), the
// mailbox's (Get-CASMailbox) and the authentication policies
// (Get-AuthenticationPolicy).
type ExchangeSwitches struct {
	// Source names where the answer came from (ExchangeSource).
	Source string `json:"source"`
	// TenantDisabled is Get-TransportConfig's SmtpClientAuthenticationDisabled.
	TenantDisabled bool `json:"tenantSmtpClientAuthenticationDisabled"`
	// MailboxDisabled is Get-CASMailbox's SmtpClientAuthenticationDisabled:
	// nil is $null, the organisation's value applies.
	MailboxDisabled *bool `json:"mailboxSmtpClientAuthenticationDisabled"`
	// Policies are the organisation's authentication policies.
	Policies []ExchangePolicy `json:"authenticationPolicies"`
}

// ExchangePolicy is one authentication policy and its Basic-auth SMTP setting.
type ExchangePolicy struct {
	Name               string `json:"name"`
	AllowBasicAuthSMTP bool   `json:"allowBasicAuthSmtp"`
}

// SwitchOn is the mailbox's effective SMTP AUTH switch: the mailbox's
// true or false decides, its $null inherits the organisation's
// (Set-CASMailbox: a mailbox's $false overrides a disabled organisation).
func (x ExchangeSwitches) SwitchOn() bool {
	if x.MailboxDisabled != nil {
		return !*x.MailboxDisabled
	}
	return !x.TenantDisabled
}

// BasicBlockedBy names the authentication policies that refuse Basic auth
// for SMTP. apppass does not read which policy the account has, so any one
// of them may be the account's.
func (x ExchangeSwitches) BasicBlockedBy() []string {
	var names []string
	for _, p := range x.Policies {
		if !p.AllowBasicAuthSMTP {
			names = append(names, "'"+p.Name+"'")
		}
	}
	return names
}

// Describe words the switches in one line, for the checklist.
func (x ExchangeSwitches) Describe() string {
	tenant := map[bool]string{true: "off", false: "on"}[x.TenantDisabled]
	mailbox := "inherits ($null)"
	if x.MailboxDisabled != nil {
		mailbox = map[bool]string{true: "off", false: "on"}[*x.MailboxDisabled]
	}
	effective := map[bool]string{true: "on", false: "off"}[x.SwitchOn()]
	s := fmt.Sprintf("SMTP AUTH %s for the mailbox (organisation %s, mailbox %s)", effective, tenant, mailbox)
	if blocked := x.BasicBlockedBy(); len(blocked) > 0 {
		s += "; Basic auth for SMTP refused by authentication policy " + strings.Join(blocked, ", ")
	}
	return s
}

// exchangeFacts answers smtpOff from the Exchange read when no SMTP reply
// did. It reports whether it answered. A switch read off proves it off; a
// switch read on disproves it only before Microsoft's default-off of Basic
// for SMTP AUTH and with no authentication policy refusing Basic, since
// Microsoft has not said which setting its default-off moves.
func (d *diagnosis) exchangeFacts(f *facts) bool {
	x := d.ev.Exchange
	if !x.Known() {
		return false
	}
	switch {
	case !x.Value.SwitchOn():
		f.smtpOff = proved
	case len(x.Value.BasicBlockedBy()) > 0:
		f.smtpOff = open
		f.need(CheckSMTP, "Exchange reads SMTP AUTH on for the mailbox, but authentication policy "+strings.Join(x.Value.BasicBlockedBy(), ", ")+
			" refuses Basic auth for SMTP and apppass does not read which policy is the account's: run the SMTP AUTH test (apppass diagnose --user <account> --service smtp --test-smtp, or the wizard's test)")
	case d.ev.Now.After(SMTPAuthLastDefaultOn.AddDate(0, 0, 1)):
		f.smtpOff = open
		f.need(CheckSMTP, "Exchange reads SMTP AUTH on for the mailbox, but Microsoft has not said which setting its end-of-2026 default-off of Basic auth for SMTP moves: run the SMTP AUTH test (apppass diagnose --user <account> --service smtp --test-smtp, or the wizard's test)")
	default:
		f.smtpOff = disproved
	}
	return true
}

// exchangeRules reports the Exchange read, and says so when an SMTP reply
// contradicts it: the test's reply wins.
func (d *diagnosis) exchangeRules() {
	x := d.ev.Exchange
	if d.service != ServiceSMTP || !x.Known() {
		return
	}
	f := Finding{ID: "exchange-smtp-switches", Severity: SeverityInfo,
		Title:  "Exchange's SMTP AUTH switches (" + ExchangeSource + ")",
		Detail: x.Value.Describe() + ".", Source: srcSMTPAuth}
	if !x.Value.SwitchOn() {
		f.Severity, f.Fix, f.Who = SeverityProblem, EnableSMTPAuthHow, whoExchange
	}
	d.add(f)
	if x.Value.SwitchOn() && d.smtp != nil && d.smtp.Meaning.SwitchedOff() {
		d.add(Finding{ID: "exchange-read-contradicted", Severity: SeverityWarning,
			Title: "The SMTP test says SMTP AUTH is off, though Exchange's switches read on",
			Detail: "The SMTP test's reply wins: the server refused the sign-in as switched off. The switch may have changed since it was read, " +
				"or Basic auth is off by a setting the read does not show (" + ExchangeSource + ").",
			Source: srcSMTPAuth, Fix: EnableSMTPAuthHow, Who: whoExchange})
	}
}

// exchangeGap says why Exchange's switches were not read, when a read was
// tried and failed ("" otherwise).
func (d *diagnosis) exchangeGap() string {
	x := d.ev.Exchange
	switch x.Status {
	case StatusDenied:
		return "reading Exchange's switches (" + ExchangeSource + ") needs " + x.Missing
	case StatusFailed:
		return "Exchange's switches could not be read (" + ExchangeSource + "): " + x.Err
	}
	return ""
}
