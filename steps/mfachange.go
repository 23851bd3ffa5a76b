package steps

import (
	"context"
	"fmt"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/flow"
	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/journal"
	"github.com/apppass/apppass/termsafe"
)

// The per-user MFA screens.
const (
	IDEnable  = flow.IDEnable
	IDEnforce = flow.IDEnforce
)

// MFAChanged is what an MFA screen changed (nothing when declined or already so).
type MFAChanged struct {
	Changes []journal.Change
}

// Record implements Result. The changes are in the session's Log already
// (every write goes through it); Changes is what this screen's write did.
func (r MFAChanged) Record(*Session) {}

// MFAChange moves the account's per-user MFA state to one target: it reads
// the live state, then hands the exact change to the write component.
type MFAChange struct {
	base
	target graphclient.MFAState
	plan   diagnose.StepID
	ws     *writeScreen[mfaReading]
}

// NewEnableMFA builds the "enable per-user MFA" screen.
func NewEnableMFA(c *Common) Step {
	return newMFAChange(c, IDEnable, diagnose.StepEnableMFA, graphclient.MFAEnabled)
}

// NewEnforceMFA builds the "enforce per-user MFA" screen.
func NewEnforceMFA(c *Common) Step {
	return newMFAChange(c, IDEnforce, diagnose.StepEnforceMFA, graphclient.MFAEnforced)
}

func newMFAChange(c *Common, id ID, plan diagnose.StepID, target graphclient.MFAState) *MFAChange {
	s := &MFAChange{base: newBase(c, id), target: target, plan: plan}
	g, userID := c.Graph, c.Session.Target.User.ID
	s.ws = newWriteScreen(&s.base, func(ctx context.Context) (mfaReading, error) { return readMFAState(ctx, g, userID) }, s.decide)
	return s
}

// decide is flow's decision, drawn: nothing to do when the state is
// already there, else the change with its warnings.
func (s *MFAChange) decide(r mfaReading) (*confirmWrite, diagnose.Outcome, string) {
	d := flow.DecideMFA(r.state, r.registered, s.target)
	if d.Settled {
		return nil, d.Outcome, d.Detail
	}
	return newConfirmWrite(&s.base, "Make this change?", d.Warnings, s.c.PerUserMFAWrite(r.state, s.target, true)), "", ""
}

// Init implements Step.
func (s *MFAChange) Init() tea.Cmd { return s.ws.init(s.c.missingRole(s.plan)) }

// Busy implements Step: never leave in the middle of a write.
func (s *MFAChange) Busy() bool { return s.ws.busy() }

// Modal implements Modal: esc closes the note for an admin.
func (s *MFAChange) Modal() bool { return s.ws.modal() }

// Update implements Step.
func (s *MFAChange) Update(msg tea.Msg) (Step, tea.Cmd) {
	cmd, end := s.ws.update(msg)
	if end != nil {
		return s, s.finish(end.outcome, end.detail, MFAChanged{Changes: end.changes})
	}
	return s, cmd
}

// View implements Step.
func (s *MFAChange) View() string {
	st := s.c.Styles
	title := map[graphclient.MFAState]string{graphclient.MFAEnabled: "Enable per-user MFA", graphclient.MFAEnforced: "Enforce per-user MFA"}[s.target]
	out := st.Title.Render(title) + st.Subtle.Render("  "+termsafe.Clean(s.c.Session.Target.UPN)) + "\n\n"
	if shared, ok := s.ws.view("Reading the live per-user MFA state…", "Press r to read again, or enter to go on without this step."); ok {
		return out + shared
	}
	if s.ws.phase == wsSettled {
		return out + st.Pass.Render(fmt.Sprintf("✓ Per-user MFA is already %s.", s.ws.value.state)) + " No change made.\n\nPress enter to continue."
	}
	out += s.explainChange() + "\n\n" + s.ws.write.view()
	if s.ws.write.finished() {
		if ch := s.ws.write.done.changes; len(ch) == 1 && ch[0].Outcome == journal.Done && ch[0].After != string(s.target) {
			out += "\n" + s.c.wrap(fmt.Sprintf("Entra ID moved the account straight to %s because it has already registered a method.", ch[0].After))
		}
		out += "\n\nPress enter to continue."
	}
	return out
}

func (s *MFAChange) explainChange() string {
	if s.target == graphclient.MFAEnabled {
		return s.c.wrap("With per-user MFA enabled, the account owner can create app passwords. Legacy apps keep working with the password until the owner registers an MFA method; Entra ID then enforces MFA by itself.")
	}
	return s.c.wrap("With per-user MFA enforced, every password app must use an app password; the regular password only works with MFA.")
}

// FocusLine implements Focus.
func (s *MFAChange) FocusLine() int { return s.ws.focusLine() }

// KeyMap implements Step.
func (s *MFAChange) KeyMap() help.KeyMap { return s.ws.keyMap("continue") }
