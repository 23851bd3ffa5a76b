package flow

import (
	"context"
	"errors"

	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/journal"
)

// MailboxSwitch reads and sets a mailbox's SMTP AUTH switch through
// Exchange Online's admin endpoint; *graphclient.Client has it.
type MailboxSwitch interface {
	CASMailbox(ctx context.Context, upn string) (graphclient.CASMailbox, error)
	TransportConfig(ctx context.Context) (graphclient.TransportConfig, error)
	SetCASMailboxSMTPAuth(ctx context.Context, upn string, disabled *bool) error
}

// ErrNoExchange says the client cannot reach Exchange's admin endpoint, so the
// SMTP AUTH stage can only say what to do by hand.
var ErrNoExchange = errors.New("this connection cannot reach Exchange Online's admin endpoint; make the change by hand")

// SMTPSwitch is what Exchange reads for one mailbox: its own switch (nil
// inherits) and the organisation's.
type SMTPSwitch struct {
	// Mailbox is SmtpClientAuthenticationDisabled on the mailbox.
	Mailbox   *bool
	TenantOff bool
}

// On is the effective state: the mailbox's own value, else the organisation's.
func (r SMTPSwitch) On() bool {
	if r.Mailbox != nil {
		return !*r.Mailbox
	}
	return !r.TenantOff
}

// Reading is what was read, as both front ends say it: the mailbox's
// switch, then the organisation's.
func (r SMTPSwitch) Reading() string {
	return "the mailbox's SMTP AUTH " + MailboxWords(r.Mailbox) + ", the organisation's " + map[bool]string{true: "off", false: "on"}[r.TenantOff]
}

// ReadSMTPSwitch reads the mailbox's switch and the organisation's.
func ReadSMTPSwitch(ctx context.Context, x MailboxSwitch, upn string) (SMTPSwitch, error) {
	if x == nil {
		return SMTPSwitch{}, ErrNoExchange
	}
	mb, err := x.CASMailbox(ctx, upn)
	if err != nil {
		return SMTPSwitch{}, err
	}
	tc, err := x.TransportConfig(ctx)
	return SMTPSwitch{Mailbox: mb.SMTPClientAuthenticationDisabled, TenantOff: tc.SMTPClientAuthenticationDisabled}, err
}

// MailboxWords is a mailbox's switch as the journal and both front ends say
// it: what it means first, then the exact value, whose name says the
// opposite ($true is off).
func MailboxWords(disabled *bool) string {
	switch {
	case disabled == nil:
		return "as the organisation's (SmtpClientAuthenticationDisabled $null)"
	case *disabled:
		return "off (SmtpClientAuthenticationDisabled $true)"
	}
	return "on (SmtpClientAuthenticationDisabled $false)"
}

// parseMailboxWords is MailboxWords read back.
func parseMailboxWords(words string) (disabled *bool, ok bool) {
	for _, v := range []*bool{nil, ptr(true), ptr(false)} {
		if MailboxWords(v) == words {
			return v, true
		}
	}
	return nil, false
}

func ptr[T any](v T) *T { return &v }

// SMTPAuthDecision is the SMTP AUTH stage's decision on what was read:
// settled (already on), or this one write with these warnings.
type SMTPAuthDecision struct {
	Settled  bool
	Detail   string
	Warnings []string
}

// DecideSMTPAuth decides the stage: a mailbox that already takes SMTP AUTH
// needs no change; otherwise the narrow fix, the mailbox's own switch.
func DecideSMTPAuth(r SMTPSwitch) SMTPAuthDecision {
	if r.On() {
		return SMTPAuthDecision{Settled: true, Detail: "SMTP AUTH is already on for the mailbox; no change made"}
	}
	return SMTPAuthDecision{Warnings: smtpAuthWarnings}
}

// smtpAuthWarnings are said before the change.
var smtpAuthWarnings = []string{
	"This changes this mailbox only: its own setting overrides the organisation's. SMTP AUTH sends the account's secret over a protocol without modern authentication; Microsoft recommends OAuth (SMTP AUTH with XOAUTH2) or Graph's sendMail where the app supports them.",
	"The organisation-wide switch (the transport config's SmtpClientAuthenticationDisabled) and authentication policies (their AllowBasicAuthSmtp) are not changed here: they open SMTP AUTH for every mailbox, and are an Exchange admin's explicit choice.",
}

// SMTPAuthCommand is the PowerShell that makes the same change by hand.
func SMTPAuthCommand(upn string, to *bool) string {
	value := "$null"
	if to != nil {
		value = map[bool]string{true: "$true", false: "$false"}[*to]
	}
	return "Set-CASMailbox -Identity " + upn + " -SmtpClientAuthenticationDisabled " + value
}

// MailboxSMTPAuthWrite sets the target's mailbox switch from before to to,
// read back through Get-CASMailbox.
func MailboxSMTPAuthWrite(x MailboxSwitch, t Target, before, to *bool) Write {
	want := MailboxWords(to)
	return Write{
		Change: journal.Change{Account: t.UPN, AccountID: t.User.ID, Kind: journal.MailboxSMTPAuth, Before: MailboxWords(before), After: want},
		Apply:  func(ctx context.Context) error { return x.SetCASMailboxSMTPAuth(ctx, t.UPN, to) },
		ReadBack: func(ctx context.Context) (string, error) {
			mb, err := x.CASMailbox(ctx, t.UPN)
			return MailboxWords(mb.SMTPClientAuthenticationDisabled), err
		},
		Landed:    func(seen string) bool { return seen == want },
		NotLanded: "Exchange accepted the change, but Get-CASMailbox does not show it yet.",
	}
}
