package flow

import (
	"context"
	"errors"
	"testing"

	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/journal"
)

// rereadGraph answers the re-reads, or fails them all.
type rereadGraph struct {
	fail    bool
	mailbox *bool
}

var errRead = errors.New("read failed")

func (g rereadGraph) PerUserMFAState(context.Context, string) (graphclient.MFAState, error) {
	if g.fail {
		return "", errRead
	}
	return graphclient.MFAEnforced, nil
}

func (g rereadGraph) User(context.Context, string) (graphclient.User, error) {
	if g.fail {
		return graphclient.User{}, errRead
	}
	return graphclient.User{}, nil
}

func (g rereadGraph) CASMailbox(context.Context, string) (graphclient.CASMailbox, error) {
	if g.fail {
		return graphclient.CASMailbox{}, errRead
	}
	return graphclient.CASMailbox{SMTPClientAuthenticationDisabled: g.mailbox}, nil
}

func (g rereadGraph) TransportConfig(context.Context) (graphclient.TransportConfig, error) {
	return graphclient.TransportConfig{}, nil
}

func (g rereadGraph) SetCASMailboxSMTPAuth(context.Context, string, *bool) error { return nil }

// An unfinished change is re-read in its own kind's words, the mailbox's
// SMTP AUTH switch included; a failed read is said, never guessed.
func TestRereadEachKind(t *testing.T) {
	off := false
	smtp := journal.Change{Account: "backup@contoso.onmicrosoft.com", Kind: journal.MailboxSMTPAuth}
	if got := Reread(context.Background(), rereadGraph{mailbox: &off}, smtp); got != "SMTP AUTH (mailbox) on (SmtpClientAuthenticationDisabled $false)" {
		t.Fatalf("the mailbox's switch re-read as %q", got)
	}
	if got := Reread(context.Background(), rereadGraph{}, journal.Change{Kind: journal.PerUserMFA}); got != "per-user MFA enforced" {
		t.Fatalf("per-user MFA re-read as %q", got)
	}
	for _, kind := range []journal.Kind{journal.PerUserMFA, journal.SignInSessions, journal.MailboxSMTPAuth} {
		if got := Reread(context.Background(), rereadGraph{fail: true}, journal.Change{Kind: kind}); got != "unknown (could not read)" {
			t.Fatalf("%s: a failed read said %q", kind, got)
		}
	}
}
