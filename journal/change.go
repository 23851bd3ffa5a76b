// Package journal records every change apppass makes to a tenant, once
// before the write and once after, so a run killed in between leaves a
// record the next start re-reads. It never holds a secret.
package journal

import (
	"context"
	"errors"
	"time"

	"github.com/apppass/apppass/graphclient"
)

// Kind is what a change touches.
type Kind string

// The kinds of change apppass makes.
const (
	PerUserMFA     Kind = "perUserMfaState"
	SignInSessions Kind = "signInSessions"
	// MailboxSMTPAuth is a mailbox's SMTP AUTH switch in Exchange Online
	// (Set-CASMailbox -SmtpClientAuthenticationDisabled).
	MailboxSMTPAuth Kind = "mailboxSmtpAuth"
	// AppSignIn is not a change but what was seen after one: the app's own
	// sign-in in the log (Journal.Observe), "verified at the app at 10:42
	// UTC from 198.51.100.20" or "not seen within 15 minutes".
	AppSignIn Kind = "appSignIn"
)

// Label is how a report names the kind.
func (k Kind) Label() string {
	switch k {
	case PerUserMFA:
		return "per-user MFA"
	case SignInSessions:
		return "sign-in sessions"
	case MailboxSMTPAuth:
		return "SMTP AUTH (mailbox)"
	case AppSignIn:
		return "the app's own sign-in"
	}
	return string(k)
}

// Outcome is where a change stands.
type Outcome string

// The outcomes a change can have. Pending and Reread appear only in the
// journal: a write under way, and one whose unknown outcome a later start
// read back.
const (
	Pending  Outcome = "pending"
	Done     Outcome = "done"     // written and read back as asked
	Declined Outcome = "declined" // shown, and the person said no
	Failed   Outcome = "failed"   // Microsoft refused, or the read-back shows it did not take
	Unknown  Outcome = "unknown"  // no answer, or no read-back: it may have landed
	Reread   Outcome = "reread"
)

// OutcomeOf is the outcome of a write that ended with err: done; unknown
// when no answer came (ctrl+c, time-out, network), as the write may still
// have landed; failed when Microsoft answered with a refusal.
func OutcomeOf(err error) Outcome {
	switch {
	case err == nil:
		return Done
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded), errors.Is(err, graphclient.ErrUnreachable):
		return Unknown
	}
	return Failed
}

// Change is one write to the tenant, as the journal and the reports show it.
type Change struct {
	ID        string    `json:"id"`
	Time      time.Time `json:"time"`
	Account   string    `json:"account"`
	AccountID string    `json:"accountId"`
	Kind      Kind      `json:"what"`
	Before    string    `json:"before"`
	After     string    `json:"after"`
	Outcome   Outcome   `json:"status"`
	RequestID string    `json:"requestId,omitempty"`
	Error     string    `json:"error,omitempty"`
	// Note says what a person should know about the outcome, such as
	// "Entra ID keeps an account that registered a method at enforced".
	Note string `json:"note,omitempty"`
}
