package wizard

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// mailbox-smtp-off, admin: the plan's first stage turns SMTP AUTH on for
// the mailbox through Exchange's admin endpoint; the change is confirmed,
// read back, journaled, and the owner's test then signs in (235), which it
// could not with the switch off.
func TestSMTPAuthStageFullScreen(t *testing.T) {
	l := &testLauncher{t: t, dir: t.TempDir()}
	h := newHarnessWith(t, l, "mailbox-smtp-off")
	h.toDiagnosis()
	h.press("enter")
	h.waitFor("Turn SMTP AUTH on for this mailbox? [y/N]")
	if f := strings.Join(strings.Fields(h.wholeBody()), " "); !strings.Contains(f, "off (SmtpClientAuthenticationDisabled $true) → on (SmtpClientAuthenticationDisabled $false)") {
		t.Fatalf("the confirm does not show the exact change:\n%s", f)
	}
	h.press("y")
	h.waitFor("Verified")
	if u, _ := l.srv.User(backup); u.SMTPClientAuthenticationDisabled == nil || *u.SMTPClientAuthenticationDisabled {
		t.Fatalf("the mailbox's switch was not turned on in the tenant: %+v", u.SMTPClientAuthenticationDisabled)
	}
	journal, _ := os.ReadFile(filepath.Join(l.dir, "journal.jsonl"))
	if !strings.Contains(string(journal), `"what":"mailboxSmtpAuth","before":"off (SmtpClientAuthenticationDisabled $true)","after":"on (SmtpClientAuthenticationDisabled $false)","status":"done"`) {
		entries, _ := os.ReadDir(l.dir)
		t.Fatalf("no journal record of the change in %s (%v):\n%s", l.dir, entries, journal)
	}
	h.press("enter")
	h.waitFor("tenant setting · no API")
}

// The same stage in plain mode: the same decision, write and read-back,
// and the summary lists the change from the same record.
func TestSMTPAuthStagePlain(t *testing.T) {
	l := &testLauncher{t: t, dir: t.TempDir()}
	// admin, sign in, connection defaults, SMTP AUTH y, then no to the rest
	_, out, err := runPlainWith(t, l, "mailbox-smtp-off", "y", "", "", "", "", "y", "n", "n", "n", "n", "n", "n", "n", "n", "n", "n")
	if !strings.Contains(out, "Verified: backup@contoso.onmicrosoft.com · SMTP AUTH (mailbox): on (SmtpClientAuthenticationDisabled $false)") {
		t.Fatalf("plain SMTP AUTH stage (%v):\n%s", err, out)
	}
	if !strings.Contains(out, "Changes made: backup@contoso.onmicrosoft.com · SMTP AUTH (mailbox): off (SmtpClientAuthenticationDisabled $true) → on (SmtpClientAuthenticationDisabled $false)") {
		t.Fatalf("the plain summary lacks the change (%v):\n%s", err, out)
	}
	// The verdict follows the change read back: the switch is no longer
	// named as off in the summary or the note.
	_, ending, _ := strings.Cut(out, "== Summary ==")
	if !strings.Contains(ending, "Already done in this run:\n- Turn SMTP AUTH on for the mailbox") {
		t.Fatalf("the note does not say the switch was turned on:\n%s", ending)
	}
	if strings.Contains(ending, "SMTP AUTH is also turned off") {
		t.Fatalf("the summary still says the switch is off after it was turned on:\n%s", ending)
	}
}
