package steps

import (
	"context"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/flow"
	"github.com/apppass/apppass/journal"
	"github.com/apppass/apppass/termsafe"
)

// IDEnableSMTPAuth is the "turn SMTP AUTH on for the mailbox" screen.
const IDEnableSMTPAuth = flow.IDSMTPAuth

// SMTPAuthChanged is what the screen changed (nothing when declined or already on).
type SMTPAuthChanged struct {
	Changes []journal.Change
}

// Record implements Result. The changes are in the session's Log already
// (every write goes through it); Changes is what this screen's write did.
func (r SMTPAuthChanged) Record(*Session) {}

// EnableSMTPAuth turns SMTP AUTH on for the target's mailbox only
// (Set-CASMailbox -SmtpClientAuthenticationDisabled $false, Microsoft's
// preferred narrow fix), through the one confirm → write → read back →
// journal component; once verified, u hands the mailbox back to what it was.
type EnableSMTPAuth struct {
	base
	ws   *writeScreen[flow.SMTPSwitch]
	undo *confirmWrite
}

// NewEnableSMTPAuth builds the screen.
func NewEnableSMTPAuth(c *Common) Step {
	s := &EnableSMTPAuth{base: newBase(c, IDEnableSMTPAuth)}
	x := mailboxSwitchOf(c.Graph)
	upn := c.Session.Target.UPN
	read := func(ctx context.Context) (flow.SMTPSwitch, error) { return flow.ReadSMTPSwitch(ctx, x, upn) }
	s.ws = newWriteScreen(&s.base, read, func(r flow.SMTPSwitch) (*confirmWrite, diagnose.Outcome, string) {
		d := flow.DecideSMTPAuth(r)
		if d.Settled {
			return nil, diagnose.OutcomeDone, d.Detail
		}
		on := false
		return newConfirmWrite(&s.base, "Turn SMTP AUTH on for this mailbox?", d.Warnings, flow.MailboxSMTPAuthWrite(x, c.Session.Target, r.Mailbox, &on)), "", ""
	})
	return s
}

// mailboxSwitchOf is g's Exchange admin endpoint, or nil when g has none
// (the stage then says what to do by hand).
func mailboxSwitchOf(g Graph) flow.MailboxSwitch {
	if x, ok := g.(flow.MailboxSwitch); ok {
		return x
	}
	return nil
}

// Init implements Step.
func (s *EnableSMTPAuth) Init() tea.Cmd {
	return s.ws.init(s.c.missingRole(diagnose.StepEnableSMTPAuth))
}

// Busy implements Step.
func (s *EnableSMTPAuth) Busy() bool { return s.ws.busy() || (s.undo != nil && s.undo.busy()) }

// Modal implements Modal: esc closes the note for an admin.
func (s *EnableSMTPAuth) Modal() bool { return s.ws.modal() }

// undoable: the change was made and verified, and not yet undone.
func (s *EnableSMTPAuth) undoable() bool {
	w := s.ws.write
	if s.undo != nil || s.ws.phase != wsConfirm || !w.finished() {
		return false
	}
	outcome, _ := w.outcome()
	return outcome == diagnose.OutcomeDone
}

// Update implements Step.
func (s *EnableSMTPAuth) Update(msg tea.Msg) (Step, tea.Cmd) {
	if s.undo != nil && !s.undo.finished() {
		return s, s.undo.update(msg)
	}
	if k, ok := msg.(tea.KeyPressMsg); ok && key.Matches(k, keys.Undo) && s.undoable() {
		on := false
		s.undo = newConfirmWrite(&s.base, "Hand the mailbox back to what it was?", nil, flow.MailboxSMTPAuthWrite(mailboxSwitchOf(s.c.Graph), s.c.Session.Target, &on, s.ws.value.Mailbox))
		return s, nil
	}
	cmd, end := s.ws.update(msg)
	if end != nil {
		changes, detail := end.changes, end.detail
		if s.undo != nil {
			changes = append(changes, s.undo.done.changes...)
			if outcome, why := s.undo.outcome(); outcome == diagnose.OutcomeDone {
				detail = "turned on, then undone: the mailbox reads " + flow.MailboxWords(s.ws.value.Mailbox) + " again"
			} else {
				detail = "turned on; the undo was " + string(outcome) + prefixed(": ", why)
			}
		}
		return s, s.finish(end.outcome, detail, SMTPAuthChanged{Changes: changes})
	}
	return s, cmd
}

// View implements Step.
func (s *EnableSMTPAuth) View() string {
	st := s.c.Styles
	out := st.Title.Render("Turn SMTP AUTH on for the mailbox") + st.Subtle.Render("  "+termsafe.Clean(s.c.Session.Target.UPN)) + "\n\n"
	if shared, ok := s.ws.view("Reading the mailbox's SMTP AUTH switch from Exchange Online…", "Press r to read again, or enter to go on without this step. By hand: "+diagnose.EnableSMTPAuthHow); ok {
		return out + shared
	}
	r := s.ws.value
	out += s.c.wrap("Before this step, Exchange Online's admin endpoint (undocumented as a public API) read: "+r.Reading()+".") + "\n\n"
	if s.ws.phase != wsSettled {
		on := false
		out += s.c.wrap("The change, as PowerShell would make it: "+flow.SMTPAuthCommand(termsafe.Clean(s.c.Session.Target.UPN), &on)) + "\n\n"
	}
	if s.ws.phase == wsSettled {
		return out + st.Pass.Render("✓ SMTP AUTH is already on for this mailbox.") + " No change made.\n\nPress enter to continue."
	}
	out += s.ws.write.view()
	if s.undo != nil {
		out += "\n" + s.undo.view()
	}
	if s.ws.write.finished() && (s.undo == nil || s.undo.finished()) {
		out += "\n\nPress enter to continue."
	}
	return out
}

// FocusLine implements Focus.
func (s *EnableSMTPAuth) FocusLine() int { return s.ws.focusLine() }

// KeyMap implements Step.
func (s *EnableSMTPAuth) KeyMap() help.KeyMap {
	if s.undo != nil && !s.undo.finished() {
		return s.undo.keyMap()
	}
	k := s.ws.keyMap("continue")
	if s.undoable() {
		k = append(k, withHelp(keys.Undo, "hand the mailbox back"))
	}
	return k
}
