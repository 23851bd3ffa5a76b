package steps

import (
	"context"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/journal"
	"github.com/apppass/apppass/termsafe"
)

// IDSignOut is the force sign-out screen.
const IDSignOut ID = "sign-out"

// SignedOut is what the sign-out screen changed.
type SignedOut struct {
	Changes []journal.Change
}

func (r SignedOut) record(s *Session) { s.Changes = append(s.Changes, r.Changes...) }

type signOutPhase int

const (
	signOutReading signOutPhase = iota
	signOutRole
	signOutReadFailed
	signOutConfirm
)

// sessionsFrom is the read sessions-valid-from time.
type sessionsFrom struct{ time.Time }

// SignOut revokes the account's sessions and waits until Graph shows it.
type SignOut struct {
	base
	spin   spinner.Model
	phase  signOutPhase
	before time.Time
	write  *confirmWrite
	err    error
	gate   roleGate
}

// sessionsLayout is how the journal and the screens write a session time.
const sessionsLayout = "2006-01-02 15:04:05 UTC"

// NewSignOut builds the screen.
func NewSignOut(c *Common) Step {
	return &SignOut{base: newBase(c, IDSignOut), spin: c.newSpinner()}
}

// Init implements Step.
func (s *SignOut) Init() tea.Cmd {
	if role := s.c.missingRole(diagnose.StepSignOut); role != "" {
		s.phase, s.gate.role = signOutRole, role
		return nil
	}
	return tea.Batch(s.spin.Tick, s.read())
}

func (s *SignOut) read() tea.Cmd {
	s.phase, s.err = signOutReading, nil
	g, id := s.c.Graph, s.c.Session.Target.User.ID
	return do(&s.base, func(ctx context.Context) (sessionsFrom, error) {
		u, err := g.User(ctx, id)
		return sessionsFrom{u.SignInSessionsValidFrom}, err
	})
}

// Revocation is the sign-out write: revoke the target's sessions, then
// poll until the valid-from time moves past before, the one read first.
func (c *Common) Revocation(before time.Time) Write {
	g, t := c.Graph, c.Session.Target
	format := func(at time.Time) string { return "valid from " + at.UTC().Format(sessionsLayout) }
	return Write{
		Change: journal.Change{Account: t.UPN, AccountID: t.User.ID, Kind: journal.SignInSessions, Before: format(before), After: "revoked"},
		Apply:  func(ctx context.Context) error { return g.RevokeSignInSessions(ctx, t.User.ID) },
		ReadBack: func(ctx context.Context) (string, error) {
			u, err := g.User(ctx, t.User.ID)
			return format(u.SignInSessionsValidFrom), err
		},
		Poll:      true,
		Landed:    func(seen string) bool { return seen != format(before) },
		NotLanded: "Graph accepted the revoke, but signInSessionsValidFromDateTime had not moved after three minutes; it can take longer.",
	}
}

// Busy implements Step.
func (s *SignOut) Busy() bool { return s.write != nil && s.write.busy() }

// Modal implements Modal: esc closes the note for an admin.
func (s *SignOut) Modal() bool { return s.phase == signOutRole && s.gate.note.open }

// Update implements Step.
func (s *SignOut) Update(msg tea.Msg) (Step, tea.Cmd) {
	if r, ok := mine[sessionsFrom](&s.base, msg); ok {
		if r.err != nil {
			s.phase, s.err = signOutReadFailed, r.err
			return s, nil
		}
		s.before, s.phase = r.value.Time, signOutConfirm
		s.write = newConfirmWrite(&s.base, "Sign the account out everywhere?",
			[]string{"This cannot be undone."}, s.c.Revocation(s.before))
		return s, nil
	}
	if s.phase == signOutConfirm {
		if cmd := s.write.update(msg); cmd != nil || !s.write.finished() {
			return s, cmd
		}
	}
	if cmd, ok := tick(&s.spin, msg); ok {
		return s, cmd
	}
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return s, nil
	}
	switch s.phase {
	case signOutConfirm:
		if key.Matches(k, keys.Retry) && s.write.retryable() {
			return s, tea.Batch(s.spin.Tick, s.read())
		}
		if key.Matches(k, keys.Enter) {
			outcome, detail := s.write.outcome()
			return s, s.finish(outcome, detail, SignedOut{Changes: s.write.done.changes})
		}
	case signOutReadFailed:
		switch {
		case key.Matches(k, keys.Retry):
			return s, tea.Batch(s.spin.Tick, s.read())
		case key.Matches(k, keys.Enter):
			return s, s.finish(diagnose.OutcomeFailed, "the sessions could not be read: "+firstLine(s.err), nil)
		}
	case signOutRole:
		if s.gate.update(k) {
			return s, s.finish(diagnose.OutcomeSkipped, "needs "+s.gate.role, nil)
		}
	}
	return s, nil
}

// View implements Step.
func (s *SignOut) View() string {
	st := s.c.Styles
	t := s.c.Session.Target
	out := st.Title.Render("Force sign-out") + st.Subtle.Render("  "+termsafe.Clean(t.UPN)) + "\n\n"
	switch s.phase {
	case signOutRole:
		return out + s.gate.view(s.c)
	case signOutReading:
		return out + s.spin.View() + " Reading the account's sessions…"
	case signOutReadFailed:
		return out + s.c.errorView(s.err) + "\n" + st.Subtle.Render("Press r to read again, or enter to go on without this step.")
	}
	out += s.c.wrap("Every session and refresh token of the account is revoked, so the new MFA requirement applies at once. The owner and every app must sign in again; it can take a few minutes to take effect. App passwords are not revoked by this, Basic-auth SMTP has no session to revoke, and external (guest) users are not affected.") + "\n\n"
	out += s.write.view()
	if s.write.finished() {
		out += "\n\nPress enter to continue."
	}
	return out
}

// FocusLine implements Focus: the question, then the result; the role
// gate and its note from the top.
func (s *SignOut) FocusLine() int {
	if s.phase == signOutRole {
		return 0
	}
	return -1
}

// KeyMap implements Step.
func (s *SignOut) KeyMap() help.KeyMap {
	switch s.phase {
	case signOutConfirm:
		return s.write.keyMap()
	case signOutReadFailed:
		return keyMap{keys.Retry, withHelp(keys.Enter, "go on without it")}
	case signOutRole:
		return s.gate.keyMap()
	}
	return nil
}
