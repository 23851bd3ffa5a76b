package steps

import (
	"context"
	"time"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/flow"
	"github.com/apppass/apppass/journal"
	"github.com/apppass/apppass/termsafe"
)

// IDSignOut is the force sign-out screen.
const IDSignOut = flow.IDSignOut

// SignedOut is what the sign-out screen changed.
type SignedOut struct {
	Changes []journal.Change
}

// Record implements Result. The changes are in the session's Log already.
func (r SignedOut) Record(*Session) {}

// sessionsFrom is the read sessions-valid-from time.
type sessionsFrom struct{ time.Time }

// sessionsLayout is how the journal and the screens write a session time.
const sessionsLayout = "2006-01-02 15:04:05 UTC"

// SignOut revokes the account's sessions and waits until Graph shows it.
type SignOut struct {
	base
	ws *writeScreen[sessionsFrom]
}

// NewSignOut builds the screen.
func NewSignOut(c *Common) Step {
	s := &SignOut{base: newBase(c, IDSignOut)}
	g, id := c.Graph, c.Session.Target.User.ID
	read := func(ctx context.Context) (sessionsFrom, error) {
		u, err := g.User(ctx, id)
		return sessionsFrom{u.SignInSessionsValidFrom}, err
	}
	s.ws = newWriteScreen(&s.base, read, func(before sessionsFrom) (*confirmWrite, diagnose.Outcome, string) {
		return newConfirmWrite(&s.base, "Sign the account out everywhere?", []string{"This cannot be undone."}, c.Revocation(before.Time)), "", ""
	})
	return s
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

// Init implements Step.
func (s *SignOut) Init() tea.Cmd { return s.ws.init(s.c.missingRole(diagnose.StepSignOut)) }

// Busy implements Step.
func (s *SignOut) Busy() bool { return s.ws.busy() }

// Modal implements Modal: esc closes the note for an admin.
func (s *SignOut) Modal() bool { return s.ws.modal() }

// Update implements Step.
func (s *SignOut) Update(msg tea.Msg) (Step, tea.Cmd) {
	cmd, end := s.ws.update(msg)
	if end != nil {
		return s, s.finish(end.outcome, end.detail, SignedOut{Changes: end.changes})
	}
	return s, cmd
}

// View implements Step.
func (s *SignOut) View() string {
	st := s.c.Styles
	out := st.Title.Render("Force sign-out") + st.Subtle.Render("  "+termsafe.Clean(s.c.Session.Target.UPN)) + "\n\n"
	if shared, ok := s.ws.view("Reading the account's sessions…", "Press r to read again, or enter to go on without this step."); ok {
		return out + shared
	}
	out += s.c.wrap("Every session and refresh token of the account is revoked, so the new MFA requirement applies at once. The owner and every app must sign in again; it can take a few minutes to take effect. App passwords are not revoked by this, Basic-auth SMTP has no session to revoke, and external (guest) users are not affected.") + "\n\n"
	out += s.ws.write.view()
	if s.ws.write.finished() {
		out += "\n\nPress enter to continue."
	}
	return out
}

// FocusLine implements Focus.
func (s *SignOut) FocusLine() int { return s.ws.focusLine() }

// KeyMap implements Step.
func (s *SignOut) KeyMap() help.KeyMap { return s.ws.keyMap("continue") }
