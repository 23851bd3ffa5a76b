package flow

import (
	"context"

	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/journal"
)

// RereadGraph is what re-reading an unfinished change needs.
type RereadGraph interface {
	PerUserMFAState(ctx context.Context, userID string) (graphclient.MFAState, error)
	User(ctx context.Context, id string) (graphclient.User, error)
}

// Reread reads what is true now of a change a previous run left
// unfinished (sent, no outcome recorded), in the journal's words; a read
// that fails says so rather than guess.
func Reread(ctx context.Context, g RereadGraph, ch journal.Change) string {
	const unread = "unknown (could not read)"
	switch ch.Kind {
	case journal.PerUserMFA:
		if st, err := g.PerUserMFAState(ctx, ch.AccountID); err == nil {
			return "per-user MFA " + string(st)
		}
	case journal.SignInSessions:
		if u, err := g.User(ctx, ch.AccountID); err == nil {
			return "valid from " + u.SignInSessionsValidFrom.UTC().Format("2006-01-02 15:04:05 UTC")
		}
	case journal.MailboxSMTPAuth:
		if x, ok := g.(MailboxSwitch); ok {
			if mb, err := x.CASMailbox(ctx, ch.Account); err == nil {
				return "SMTP AUTH (mailbox) " + MailboxWords(mb.SMTPClientAuthenticationDisabled)
			}
		}
	}
	return unread
}
