package steps

import (
	"context"
	"fmt"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/journal"
	"github.com/apppass/apppass/termsafe"
)

// The per-user MFA screens.
const (
	IDEnable  ID = "enable-mfa"
	IDEnforce ID = "enforce-mfa"
)

// MFAChanged is what an MFA screen changed (nothing when declined or already so).
type MFAChanged struct {
	Changes []journal.Change
}

func (r MFAChanged) record(s *Session) { s.Changes = append(s.Changes, r.Changes...) }

type mfaPhase int

const (
	mfaLoading mfaPhase = iota
	mfaRole
	mfaReadFailed
	mfaAlready
	mfaConfirm
)

// MFAChange moves the account's per-user MFA state to one target: it reads
// the live state, then hands the exact change to the confirm → write →
// read back → journal component.
type MFAChange struct {
	base
	target graphclient.MFAState
	plan   diagnose.StepID
	spin   spinner.Model
	phase  mfaPhase
	before mfaReading
	write  *confirmWrite
	err    error
	gate   roleGate
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
	return &MFAChange{base: newBase(c, id), target: target, plan: plan, spin: c.newSpinner()}
}

// Init implements Step.
func (s *MFAChange) Init() tea.Cmd {
	if role := s.c.missingRole(s.plan); role != "" {
		s.phase, s.gate.role = mfaRole, role
		return nil
	}
	return tea.Batch(s.spin.Tick, s.read())
}

func (s *MFAChange) read() tea.Cmd {
	s.phase, s.err = mfaLoading, nil
	g, id := s.c.Graph, s.c.Session.Target.User.ID
	return do(&s.base, func(ctx context.Context) (mfaReading, error) { return readMFAState(ctx, g, id) })
}

// Busy implements Step: never leave in the middle of a write.
func (s *MFAChange) Busy() bool { return s.write != nil && s.write.busy() }

// Update implements Step.
func (s *MFAChange) Update(msg tea.Msg) (Step, tea.Cmd) {
	if r, ok := mine[mfaReading](&s.base, msg); ok {
		if r.err != nil {
			s.phase, s.err = mfaReadFailed, r.err
			return s, nil
		}
		s.before = r.value
		if rank(r.value.state) >= rank(s.target) {
			s.phase = mfaAlready
			return s, nil
		}
		s.phase = mfaConfirm
		s.write = newConfirmWrite(&s.base, "Make this change?", s.warnings(), s.c.PerUserMFAWrite(r.value.state, s.target, true))
		return s, nil
	}
	if s.phase == mfaConfirm {
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
	case mfaConfirm:
		if key.Matches(k, keys.Retry) && s.write.retryable() {
			return s, tea.Batch(s.spin.Tick, s.read())
		}
		if key.Matches(k, keys.Enter) {
			outcome, detail := s.write.outcome()
			return s, s.finish(outcome, detail, MFAChanged{Changes: s.write.done.changes})
		}
	case mfaAlready:
		if key.Matches(k, keys.Enter) {
			return s, s.finish(diagnose.OutcomeDone, "already "+string(s.before.state)+"; no change made", nil)
		}
	case mfaReadFailed:
		switch {
		case key.Matches(k, keys.Retry):
			return s, tea.Batch(s.spin.Tick, s.read())
		case key.Matches(k, keys.Enter):
			return s, s.finish(diagnose.OutcomeFailed, "the live state could not be read: "+firstLine(s.err), nil)
		}
	case mfaRole:
		if s.gate.update(k) {
			return s, s.finish(diagnose.OutcomeSkipped, "needs "+s.gate.role, nil)
		}
	}
	return s, nil
}

// warnings are what Microsoft says before this change.
func (s *MFAChange) warnings() []string {
	if s.target != graphclient.MFAEnforced {
		return nil
	}
	out := []string{"From the moment per-user MFA is enforced, the app's own password stops working: it fails until the app password is in the app."}
	if !s.before.registered {
		out = append(out, "The account has not registered an MFA method. Microsoft advises not to enforce MFA before registration: the owner must register (at their next sign-in) before the App password option appears.")
	}
	return out
}

// View implements Step.
func (s *MFAChange) View() string {
	st := s.c.Styles
	t := s.c.Session.Target
	title := map[graphclient.MFAState]string{graphclient.MFAEnabled: "Enable per-user MFA", graphclient.MFAEnforced: "Enforce per-user MFA"}[s.target]
	out := st.Title.Render(title) + st.Subtle.Render("  "+termsafe.Clean(t.UPN)) + "\n\n"
	switch s.phase {
	case mfaRole:
		return out + s.gate.view(s.c)
	case mfaLoading:
		return out + s.spin.View() + " Reading the live per-user MFA state…"
	case mfaReadFailed:
		return out + s.c.errorView(s.err) + "\n" + st.Subtle.Render("Press r to read again, or enter to go on without this step.")
	case mfaAlready:
		return out + st.Pass.Render(fmt.Sprintf("✓ Per-user MFA is already %s.", s.before.state)) + " No change made.\n\nPress enter to continue."
	}
	out += s.explainChange() + "\n\n" + s.write.view()
	if s.write.finished() {
		if ch := s.write.done.changes; len(ch) == 1 && ch[0].Outcome == journal.Done && ch[0].After != string(s.target) {
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

// KeyMap implements Step.
func (s *MFAChange) KeyMap() help.KeyMap {
	switch s.phase {
	case mfaConfirm:
		return s.write.keyMap()
	case mfaAlready:
		return keyMap{keys.Enter}
	case mfaReadFailed:
		return keyMap{keys.Retry, withHelp(keys.Enter, "go on without it")}
	case mfaRole:
		return s.gate.keyMap()
	}
	return nil
}

// Modal implements Modal: esc closes the note for an admin.
func (s *MFAChange) Modal() bool { return s.phase == mfaRole && s.gate.note.open }

// FocusLine implements Focus: the question, then the result; the role
// gate and its note from the top.
func (s *MFAChange) FocusLine() int {
	if s.phase == mfaRole {
		return 0
	}
	return -1
}
