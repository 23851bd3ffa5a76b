package steps

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/flow"
)

// The mailbox's switch, read off through Exchange's admin endpoint, is
// turned on after a y (default No), read back and journaled; the SMTP
// server then lets the password through; u hands the mailbox back to
// what it was, confirmed, read back and journaled too.
func TestEnableSMTPAuthWritesReadsBackAndUndoes(t *testing.T) {
	r := newRig(t, "mailbox-smtp-off")
	password := ""
	for _, u := range r.srv.Scenario().Users {
		if u.UserPrincipalName == backup {
			password = u.Password
		}
	}
	if got := r.srv.SMTPAuth(backup, password); !strings.Contains(got, "disabled for the Mailbox") {
		t.Fatalf("before: %s", got)
	}
	s := r.start(NewEnableSMTPAuth(r.c))
	r.until(s, "[y/N]")
	if view := strings.Join(strings.Fields(ansi.Strip((*s).View())), " "); !strings.Contains(view, "off (SmtpClientAuthenticationDisabled $true) → on (SmtpClientAuthenticationDisabled $false)") ||
		!strings.Contains(view, "transport config's SmtpClientAuthenticationDisabled") || !strings.Contains(view, "Set-CASMailbox -Identity "+backup+" -SmtpClientAuthenticationDisabled $false") {
		t.Fatalf("the exact change and the organisation's switch left alone are not said:\n%s", view)
	}
	r.feed(s, press("y"))
	r.until(s, "Verified")
	if got := r.srv.SMTPAuth(backup, password); strings.Contains(got, "disabled for the Mailbox") {
		t.Fatalf("after: %s", got)
	}
	r.feed(s, press("u"))
	r.until(s, "Hand the mailbox back")
	if view := strings.Join(strings.Fields(ansi.Strip((*s).View())), " "); !strings.Contains(view, "on (SmtpClientAuthenticationDisabled $false) → off (SmtpClientAuthenticationDisabled $true)") {
		t.Fatalf("the exact undo is not shown:\n%s", view)
	}
	r.feed(s, press("y"))
	r.next(s, func() bool { return strings.Count(ansi.Strip((*s).View()), "Verified") == 2 })
	r.feed(s, press("enter"))
	done := r.done(s)
	changes := done.Result.(SMTPAuthChanged).Changes
	if done.Outcome != diagnose.OutcomeDone || !strings.Contains(done.Detail, "undone") || len(changes) != 2 ||
		changes[0].After != "on (SmtpClientAuthenticationDisabled $false)" || changes[1].After != "off (SmtpClientAuthenticationDisabled $true)" || r.j.begun != 2 || r.j.finished != 2 {
		t.Fatalf("result %+v journal %+v", done, r.j)
	}
	if got := r.srv.SMTPAuth(backup, password); !strings.Contains(got, "disabled for the Mailbox") {
		t.Fatalf("after the undo: %s", got)
	}
}

// No (the default) writes nothing; a mailbox already on is left alone.
func TestEnableSMTPAuthDeclinedAndAlreadyOn(t *testing.T) {
	r := newRig(t, "mailbox-smtp-off")
	s := r.start(NewEnableSMTPAuth(r.c))
	r.until(s, "[y/N]")
	r.feed(s, press("enter"))
	r.feed(s, press("enter"))
	if d := r.done(s); d.Outcome != diagnose.OutcomeDeclined || r.j.begun != 0 {
		t.Fatalf("declined: %+v journal %+v", d, r.j)
	}
	on := false
	if err := r.c.Graph.(flow.MailboxSwitch).SetCASMailboxSMTPAuth(r.c.Ctx, backup, &on); err != nil {
		t.Fatal(err)
	}
	s = r.start(NewEnableSMTPAuth(r.c))
	r.until(s, "already on")
	r.feed(s, press("enter"))
	if d := r.done(s); d.Outcome != diagnose.OutcomeDone || r.j.begun != 0 {
		t.Fatalf("already on: %+v journal %+v", d, r.j)
	}
}
