package steps

import (
	"context"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/journal"
	"github.com/apppass/apppass/termsafe"
)

// IDReEnable is the KB's remedy for a missing App password option.
const IDReEnable ID = "re-enable-mfa"

// ReEnabled is what the remedy changed.
type ReEnabled struct {
	Changes []journal.Change
}

func (r ReEnabled) record(s *Session) {
	s.Changes = append(s.Changes, r.Changes...)
	s.OptionMissing = false
}

type reEnablePhase int

const (
	reEnableReading reEnablePhase = iota
	reEnableRole
	reEnableReadFailed
	reEnableNotEnabled
	reEnableConfirm
)

// ReEnable is the KB's remedy when per-user MFA reads Enabled but the owner
// sees no App password option: disable per-user MFA, read back, enable it
// again, read back — one confirmation, both journaled — then the sign-out
// and propagation advice, and back to the create screen.
type ReEnable struct {
	base
	spin  spinner.Model
	phase reEnablePhase
	state mfaReading
	write *confirmWrite
	err   error
	gate  roleGate
}

// NewReEnable builds the screen.
func NewReEnable(c *Common) Step {
	return &ReEnable{base: newBase(c, IDReEnable), spin: c.newSpinner()}
}

// Init implements Step.
func (s *ReEnable) Init() tea.Cmd {
	if role := s.c.missingRole(diagnose.StepEnableMFA); role != "" {
		s.phase, s.gate.role = reEnableRole, role
		return nil
	}
	return tea.Batch(s.spin.Tick, s.read())
}

func (s *ReEnable) read() tea.Cmd {
	s.phase, s.err = reEnableReading, nil
	g, id := s.c.Graph, s.c.Session.Target.User.ID
	return do(&s.base, func(ctx context.Context) (mfaReading, error) { return readMFAState(ctx, g, id) })
}

// Busy implements Step.
func (s *ReEnable) Busy() bool { return s.write != nil && s.write.busy() }

// Modal implements Modal: esc closes the note for an admin.
func (s *ReEnable) Modal() bool { return s.phase == reEnableRole && s.gate.note.open }

// Update implements Step.
func (s *ReEnable) Update(msg tea.Msg) (Step, tea.Cmd) {
	if r, ok := mine[mfaReading](&s.base, msg); ok {
		switch {
		case r.err != nil:
			s.phase, s.err = reEnableReadFailed, r.err
		case r.value.state == graphclient.MFADisabled && s.write != nil:
			// a retry after the disable landed and the re-enable did not
			s.phase, s.state = reEnableConfirm, r.value
			s.write = newConfirmWrite(&s.base, "Enable per-user MFA again?", nil, s.c.PerUserMFAWrite(graphclient.MFADisabled, graphclient.MFAEnabled, true))
		case r.value.state != graphclient.MFAEnabled:
			s.phase, s.state = reEnableNotEnabled, r.value
		default:
			s.phase, s.state = reEnableConfirm, r.value
			s.write = newConfirmWrite(&s.base, "Disable, then re-enable per-user MFA?",
				[]string{"For the moment between the two changes the account has no per-user MFA. If the second change fails, apppass says so and the account stays disabled until you enable it again (Enable MFA screen or the Entra admin center)."},
				s.c.PerUserMFAWrite(graphclient.MFAEnabled, graphclient.MFADisabled, false),
				s.c.PerUserMFAWrite(graphclient.MFADisabled, graphclient.MFAEnabled, true))
		}
		return s, nil
	}
	if s.phase == reEnableConfirm {
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
	case reEnableConfirm:
		if key.Matches(k, keys.Retry) && s.write.retryable() {
			return s, tea.Batch(s.spin.Tick, s.read())
		}
		if key.Matches(k, keys.Enter) {
			outcome, detail := s.write.outcome()
			return s, s.finishTo(IDCreate, outcome, detail, ReEnabled{Changes: s.write.done.changes})
		}
	case reEnableNotEnabled:
		if key.Matches(k, keys.Enter) {
			return s, s.finishTo(IDCreate, diagnose.OutcomeSkipped, "per-user MFA read "+string(s.state.state)+", not Enabled", ReEnabled{})
		}
	case reEnableReadFailed:
		switch {
		case key.Matches(k, keys.Retry):
			return s, tea.Batch(s.spin.Tick, s.read())
		case key.Matches(k, keys.Enter):
			return s, s.finishTo(IDCreate, diagnose.OutcomeFailed, "the live state could not be read: "+firstLine(s.err), ReEnabled{})
		}
	case reEnableRole:
		if s.gate.update(k) {
			return s, s.finishTo(IDCreate, diagnose.OutcomeSkipped, "needs "+s.gate.role, ReEnabled{})
		}
	}
	return s, nil
}

// View implements Step.
func (s *ReEnable) View() string {
	st := s.c.Styles
	out := st.Title.Render("Disable and re-enable per-user MFA") + st.Subtle.Render("  "+termsafe.Clean(s.c.Session.Target.UPN)) + "\n\n"
	switch s.phase {
	case reEnableRole:
		return out + s.gate.view(s.c)
	case reEnableReading:
		return out + s.spin.View() + " Reading the live per-user MFA state…"
	case reEnableReadFailed:
		return out + s.c.errorView(s.err) + "\n" + st.Subtle.Render("Press r to read again, or enter to go back to the create screen.")
	case reEnableNotEnabled:
		return out + s.c.wrap("Per-user MFA now reads "+string(s.state.state)+", not Enabled, so this remedy does not apply. Press enter to go back to the create screen.")
	}
	out += s.c.wrap("The owner sees no App password option although per-user MFA reads Enabled. Microsoft's remedy is to disable per-user MFA and enable it again.") + "\n\n" + s.write.view()
	if s.write.finished() {
		out += "\n\n" + s.c.wrap("Now the owner signs out of every Microsoft 365 page and signs in again, waits a few minutes (changes take time to propagate), and looks for App password on Security info.") +
			"\n\nPress enter to go back to the create screen."
	}
	return out
}

// FocusLine implements Focus: the question, then the result; the role
// gate and its note from the top.
func (s *ReEnable) FocusLine() int {
	if s.phase == reEnableRole {
		return 0
	}
	return -1
}

// KeyMap implements Step.
func (s *ReEnable) KeyMap() help.KeyMap {
	switch s.phase {
	case reEnableConfirm:
		if s.write.finished() {
			return keyMap{withHelp(keys.Enter, "back to the create screen")}
		}
		return s.write.keyMap()
	case reEnableNotEnabled:
		return keyMap{withHelp(keys.Enter, "back to the create screen")}
	case reEnableReadFailed:
		return keyMap{keys.Retry, withHelp(keys.Enter, "back to the create screen")}
	case reEnableRole:
		return s.gate.keyMap()
	}
	return nil
}
