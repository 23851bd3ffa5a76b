package steps

import (
	"context"
	"errors"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/flow"
	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/journal"
	"github.com/apppass/apppass/termsafe"
)

// IDEnableSMTPAuth is the "turn SMTP AUTH on for the mailbox" screen.
const IDEnableSMTPAuth = flow.IDSMTPAuth

// mailboxSwitch reads and sets a mailbox's SMTP AUTH switch through
// Exchange Online's admin endpoint; *graphclient.Client has it. A Graph
// without it cannot make this change, and the screen says so.
type mailboxSwitch interface {
	CASMailbox(ctx context.Context, upn string) (graphclient.CASMailbox, error)
	TransportConfig(ctx context.Context) (graphclient.TransportConfig, error)
	SetCASMailboxSMTPAuth(ctx context.Context, upn string, disabled *bool) error
}

// errNoExchange: the client cannot reach Exchange's admin endpoint.
var errNoExchange = errors.New("this connection cannot reach Exchange Online's admin endpoint; make the change by hand (below)")

// SMTPAuthChanged is what the screen changed (nothing when declined or already on).
type SMTPAuthChanged struct {
	Changes []journal.Change
}

// Record implements Result. The changes are in the session's Log already
// (every write goes through it); Changes is what this screen's write did.
func (r SMTPAuthChanged) Record(*Session) {}

// smtpSwitchReading is the mailbox's switch and the organisation's.
type smtpSwitchReading struct {
	mailbox   *bool // SmtpClientAuthenticationDisabled: nil inherits
	tenantOff bool
}

// on is the effective state: the mailbox's own value, else the organisation's.
func (r smtpSwitchReading) on() bool {
	if r.mailbox != nil {
		return !*r.mailbox
	}
	return !r.tenantOff
}

// mailboxWords is the mailbox's switch as the journal and screen say it.
func mailboxWords(disabled *bool) string {
	switch {
	case disabled == nil:
		return "$null (inherits the organisation's)"
	case *disabled:
		return "$true (off)"
	}
	return "$false (on)"
}

// EnableSMTPAuth turns SMTP AUTH on for the target's mailbox only
// (Set-CASMailbox -SmtpClientAuthenticationDisabled $false, Microsoft's
// preferred narrow fix), through the one confirm → write → read back →
// journal component; once verified, u hands the mailbox back to what it was.
type EnableSMTPAuth struct {
	base
	ws   *writeScreen[smtpSwitchReading]
	undo *confirmWrite
}

// NewEnableSMTPAuth builds the screen.
func NewEnableSMTPAuth(c *Common) Step {
	s := &EnableSMTPAuth{base: newBase(c, IDEnableSMTPAuth)}
	x, ok := c.Graph.(mailboxSwitch)
	upn := c.Session.Target.UPN
	read := func(ctx context.Context) (smtpSwitchReading, error) {
		if !ok {
			return smtpSwitchReading{}, errNoExchange
		}
		mb, err := x.CASMailbox(ctx, upn)
		if err != nil {
			return smtpSwitchReading{}, err
		}
		tc, err := x.TransportConfig(ctx)
		return smtpSwitchReading{mailbox: mb.SMTPClientAuthenticationDisabled, tenantOff: tc.SMTPClientAuthenticationDisabled}, err
	}
	s.ws = newWriteScreen(&s.base, read, func(r smtpSwitchReading) (*confirmWrite, diagnose.Outcome, string) {
		if r.on() {
			return nil, diagnose.OutcomeDone, "SMTP AUTH is already on for the mailbox; no change made"
		}
		on := false
		return newConfirmWrite(&s.base, "Turn SMTP AUTH on for this mailbox?", smtpAuthWarnings, s.mailboxWrite(x, r.mailbox, &on)), "", ""
	})
	return s
}

// smtpAuthWarnings are said before the change.
var smtpAuthWarnings = []string{
	"This changes this mailbox only: its own setting overrides the organisation's. SMTP AUTH sends the account's secret over a protocol without modern authentication; Microsoft recommends OAuth (SMTP AUTH with XOAUTH2) or Graph's sendMail where the app supports them.",
	"The organisation-wide switch (Set-TransportConfig -SmtpClientAuthenticationDisabled) and authentication policies (Set-AuthenticationPolicy -AllowBasicAuthSmtp) are not changed here: they open SMTP AUTH for every mailbox, and are an Exchange admin's explicit choice.",
}

// mailboxWrite sets the mailbox's switch from before to to, read back
// through Get-CASMailbox.
func (s *EnableSMTPAuth) mailboxWrite(x mailboxSwitch, before, to *bool) Write {
	t := s.c.Session.Target
	want := mailboxWords(to)
	return Write{
		Change: journal.Change{Account: t.UPN, AccountID: t.User.ID, Kind: journal.MailboxSMTPAuth, Before: mailboxWords(before), After: want},
		Apply:  func(ctx context.Context) error { return x.SetCASMailboxSMTPAuth(ctx, t.UPN, to) },
		ReadBack: func(ctx context.Context) (string, error) {
			mb, err := x.CASMailbox(ctx, t.UPN)
			return mailboxWords(mb.SMTPClientAuthenticationDisabled), err
		},
		Landed:    func(seen string) bool { return seen == want },
		NotLanded: "Exchange accepted the change, but Get-CASMailbox does not show it yet.",
	}
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
		x, _ := s.c.Graph.(mailboxSwitch)
		on := false
		s.undo = newConfirmWrite(&s.base, "Hand the mailbox back to what it was?", nil, s.mailboxWrite(x, &on, s.ws.value.mailbox))
		return s, nil
	}
	cmd, end := s.ws.update(msg)
	if end != nil {
		changes, detail := end.changes, end.detail
		if s.undo != nil {
			changes = append(changes, s.undo.done.changes...)
			if outcome, why := s.undo.outcome(); outcome == diagnose.OutcomeDone {
				detail = "turned on, then undone: the mailbox reads " + mailboxWords(s.ws.value.mailbox) + " again"
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
	out += s.c.wrap("Exchange Online (admin endpoint, undocumented as a public API) reads: the mailbox "+mailboxWords(r.mailbox)+", the organisation "+map[bool]string{true: "off", false: "on"}[r.tenantOff]+".") + "\n\n"
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
