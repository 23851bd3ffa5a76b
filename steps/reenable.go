package steps

import (
	"context"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/flow"
	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/termsafe"
)

// IDReEnable is the KB's remedy for a missing App password option.
const IDReEnable = flow.IDReEnable

// ReEnabled says the remedy ran; its changes are in the session's Log.
type ReEnabled = flow.ReEnabled

// ReEnable is the KB's remedy when per-user MFA reads Enabled but the owner
// sees no App password option: disable per-user MFA, read back, enable it
// again, read back — one confirmation, both journaled — then the sign-out
// and propagation advice, and back to the create screen.
type ReEnable struct {
	base
	ws *writeScreen[mfaReading]
}

// NewReEnable builds the screen.
func NewReEnable(c *Common) Step {
	s := &ReEnable{base: newBase(c, IDReEnable)}
	g, id := c.Graph, c.Session.Target.User.ID
	s.ws = newWriteScreen(&s.base, func(ctx context.Context) (mfaReading, error) { return readMFAState(ctx, g, id) }, s.decide)
	return s
}

// decide: the remedy for Enabled; after a retry whose disable landed and
// whose re-enable did not, only the re-enable; otherwise it does not apply.
func (s *ReEnable) decide(r mfaReading) (*confirmWrite, diagnose.Outcome, string) {
	switch {
	case r.state == graphclient.MFAEnabled:
		return newConfirmWrite(&s.base, "Disable, then re-enable per-user MFA?",
			[]string{"For the moment between the two changes the account has no per-user MFA. If the second change fails, apppass says so and the account stays disabled until you enable it again (Enable MFA screen or the Entra admin center)."},
			s.c.PerUserMFAWrite(graphclient.MFAEnabled, graphclient.MFADisabled, false),
			s.c.PerUserMFAWrite(graphclient.MFADisabled, graphclient.MFAEnabled, true)), "", ""
	case r.state == graphclient.MFADisabled && s.ws.write != nil:
		return newConfirmWrite(&s.base, "Enable per-user MFA again?", nil, s.c.PerUserMFAWrite(graphclient.MFADisabled, graphclient.MFAEnabled, true)), "", ""
	}
	return nil, diagnose.OutcomeSkipped, "per-user MFA read " + string(r.state) + ", not Enabled"
}

// Init implements Step.
func (s *ReEnable) Init() tea.Cmd { return s.ws.init(s.c.missingRole(diagnose.StepEnableMFA)) }

// Busy implements Step.
func (s *ReEnable) Busy() bool { return s.ws.busy() }

// Modal implements Modal: esc closes the note for an admin.
func (s *ReEnable) Modal() bool { return s.ws.modal() }

// Update implements Step: every way out leads back to the create screen.
func (s *ReEnable) Update(msg tea.Msg) (Step, tea.Cmd) {
	cmd, end := s.ws.update(msg)
	if end != nil {
		return s, s.finishTo(IDCreate, end.outcome, end.detail, ReEnabled{})
	}
	return s, cmd
}

// View implements Step.
func (s *ReEnable) View() string {
	st := s.c.Styles
	out := st.Title.Render("Disable and re-enable per-user MFA") + st.Subtle.Render("  "+termsafe.Clean(s.c.Session.Target.UPN)) + "\n\n"
	if shared, ok := s.ws.view("Reading the live per-user MFA state…", "Press r to read again, or enter to go back to the create screen."); ok {
		return out + shared
	}
	if s.ws.phase == wsSettled {
		return out + s.c.wrap("Per-user MFA now reads "+string(s.ws.value.state)+", not Enabled, so this remedy does not apply. Press enter to go back to the create screen.")
	}
	out += s.c.wrap("The owner sees no App password option although per-user MFA reads Enabled. Microsoft's remedy is to disable per-user MFA and enable it again.") + "\n\n" + s.ws.write.view()
	if s.ws.write.finished() {
		out += "\n\n" + s.c.wrap("Now the owner signs out of every Microsoft 365 page and signs in again, waits a few minutes (changes take time to propagate), and looks for App password on Security info.") +
			"\n\nPress enter to go back to the create screen."
	}
	return out
}

// FocusLine implements Focus.
func (s *ReEnable) FocusLine() int { return s.ws.focusLine() }

// KeyMap implements Step.
func (s *ReEnable) KeyMap() help.KeyMap { return s.ws.keyMap("back to the create screen") }
