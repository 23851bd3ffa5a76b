package steps

import (
	"context"
	"fmt"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/journal"
	"github.com/apppass/apppass/termsafe"
)

// MFAChanged is the outcome of an enable or enforce screen.
type MFAChanged struct {
	Before, After graphclient.MFAState
	// Change is the journal entry of the write; empty ID when none was made.
	Change journal.Change
}

// MFAChange moves the account's per-user MFA state to one target: it reads
// the live state, shows the exact change, asks (default No), writes with a
// journal entry before and after, and reads back to verify.
type MFAChange struct {
	base
	target     graphclient.MFAState
	plan       diagnose.StepID
	spin       spinner.Model
	phase      string // reading, role, already, confirm, writing, verified, failed
	before     graphclient.MFAState
	registered bool
	after      graphclient.MFAState
	change     journal.Change
	err        error
	gate       roleGate
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
	return &MFAChange{base: newBase(c, id), target: target, plan: plan, spin: spinner.New(spinner.WithSpinner(spinner.Dot))}
}

// Init implements Step.
func (s *MFAChange) Init() tea.Cmd {
	if role := s.c.missingRole(s.plan); role != "" {
		s.phase, s.gate.role = "role", role
		return nil
	}
	return tea.Batch(s.spin.Tick, s.read())
}

type mfaReading struct {
	state      graphclient.MFAState
	registered bool
}

func (s *MFAChange) read() tea.Cmd {
	s.phase, s.err = "reading", nil
	g, id := s.c.Graph, s.c.Session.Target.User.ID
	return s.run("read", func(ctx context.Context) (any, error) {
		st, err := g.PerUserMFAState(ctx, id)
		if err != nil {
			return nil, err
		}
		methods, err := g.AuthenticationMethods(ctx, id)
		if err != nil {
			return nil, err
		}
		reg := false
		for _, m := range methods {
			reg = reg || m.CanAnswerMFA()
		}
		return mfaReading{state: st, registered: reg}, nil
	})
}

// rank orders the states: enforcing includes enabling.
func rank(s graphclient.MFAState) int {
	return map[graphclient.MFAState]int{graphclient.MFADisabled: 0, graphclient.MFAEnabled: 1, graphclient.MFAEnforced: 2}[s]
}

// Busy implements Step: never leave in the middle of a write.
func (s *MFAChange) Busy() bool { return s.phase == "writing" }

// Update implements Step.
func (s *MFAChange) Update(msg tea.Msg) (Step, tea.Cmd) {
	if r, ok := s.mine(msg); ok {
		return s, s.handle(r)
	}
	if cmd, ok := tick(&s.spin, msg); ok {
		return s, cmd
	}
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		switch s.phase {
		case "confirm":
			if key.Matches(msg, Keys.Yes) {
				return s, s.write()
			}
			if key.Matches(msg, Keys.No, Keys.Enter) {
				return s, s.finish(MFAChanged{Before: s.before, After: s.before})
			}
		case "already", "verified":
			if key.Matches(msg, Keys.Enter) {
				return s, s.finish(MFAChanged{Before: s.before, After: s.after, Change: s.change})
			}
		case "failed":
			if key.Matches(msg, Keys.Retry) {
				return s, s.read() // re-read first: a write is never repeated blind
			}
		case "role":
			if s.gate.leave(msg) {
				return s, s.finish(MFAChanged{})
			}
		}
	}
	return s, nil
}

func (s *MFAChange) handle(r result) tea.Cmd {
	if r.err != nil {
		s.phase, s.err = "failed", r.err
		return nil
	}
	switch r.kind {
	case "read":
		rd := r.value.(mfaReading)
		s.before, s.after, s.registered = rd.state, rd.state, rd.registered
		if rank(rd.state) >= rank(s.target) {
			s.phase = "already"
		} else {
			s.phase = "confirm"
		}
	case "write":
		s.change = r.value.(writeOutcome).change
		s.after = r.value.(writeOutcome).after
		s.phase = "verified"
	}
	return nil
}

type writeOutcome struct {
	change journal.Change
	after  graphclient.MFAState
}

func (s *MFAChange) write() tea.Cmd {
	s.phase = "writing"
	g, j, t, target, before, now := s.c.Graph, s.c.Journal, s.c.Session.Target, s.target, s.before, s.c.Now()
	return s.run("write", func(ctx context.Context) (any, error) {
		ch, after, err := writeMFAState(ctx, g, j, t, before, target, now)
		return writeOutcome{change: ch, after: after}, err
	})
}

// writeMFAState is every per-user MFA write: journal first, then the PATCH,
// then a read-back, then the journal again with what was seen.
func writeMFAState(ctx context.Context, g Graph, j Journal, t Target, before, to graphclient.MFAState, now time.Time) (journal.Change, graphclient.MFAState, error) {
	ch := journal.Change{Time: now, Account: t.UPN, AccountID: t.User.ID, Kind: journal.PerUserMFA, Before: string(before), After: string(to)}
	id, err := j.Begin(ch)
	if err != nil {
		return ch, "", fmt.Errorf("the journal could not be written, so nothing was changed: %w", err)
	}
	ch.ID = id
	werr := g.SetPerUserMFAState(ctx, t.User.ID, to)
	after, rerr := g.PerUserMFAState(ctx, t.User.ID)
	if werr == nil && rerr != nil {
		werr = fmt.Errorf("the change was sent but could not be read back: %w", rerr)
	}
	ch.Outcome, ch.After = journal.OutcomeOf(werr), string(after)
	if rerr != nil {
		ch.After = "unknown" // never the state we hoped for
	}
	if werr != nil {
		ch.Error = werr.Error()
	}
	ch.RequestID = graphclient.RequestID(werr)
	if err := j.Finish(ch); err != nil && werr == nil {
		werr = err
	}
	return ch, after, werr
}

// View implements Step.
func (s *MFAChange) View() string {
	st := s.c.Styles
	t := s.c.Session.Target
	title := map[graphclient.MFAState]string{graphclient.MFAEnabled: "Enable per-user MFA", graphclient.MFAEnforced: "Enforce per-user MFA"}[s.target]
	out := st.Title.Render(title) + st.Subtle.Render("  "+termsafe.Clean(t.UPN)) + "\n\n"
	switch s.phase {
	case "role":
		return out + s.gate.view(s.c)
	case "reading":
		return out + s.spin.View() + " Reading the live per-user MFA state…"
	case "failed":
		return out + s.c.errorView(s.err)
	case "already":
		return out + st.Pass.Render(fmt.Sprintf("✓ Per-user MFA is already %s.", s.before)) + " No change made.\n\nPress enter to continue."
	case "writing":
		return out + s.spin.View() + " Changing, then reading back…"
	case "verified":
		out += st.Pass.Render(fmt.Sprintf("✓ Verified: Graph now reports per-user MFA %s.", s.after)) + "\n"
		if s.after != s.target {
			out += s.c.wrap(fmt.Sprintf("Entra ID moved the account straight to %s because it has already registered a method.", s.after)) + "\n"
		}
		return out + st.Subtle.Render("Journal entry "+s.change.ID+". Undo from the summary.") + "\n\nPress enter to continue."
	}
	out += s.explainChange() + "\n\n" +
		st.Change.Render(fmt.Sprintf("%s · per-user MFA: %s → %s", termsafe.Clean(t.UPN), s.before, s.target)) + "\n\n"
	if s.target == graphclient.MFAEnforced && !s.registered {
		out += st.Warning.Render(s.c.wrap("The account has not registered an MFA method. Microsoft advises not to enforce MFA before registration: the app's password sign-ins break at once and the owner cannot create an app password until they register.")) + "\n\n"
	}
	return out + "Make this change? [y/N]"
}

func (s *MFAChange) explainChange() string {
	if s.target == graphclient.MFAEnabled {
		return s.c.wrap("With per-user MFA enabled, the account owner can create app passwords. Legacy apps keep working with the password until the owner registers an MFA method; Entra ID then enforces MFA by itself.")
	}
	return s.c.wrap("With per-user MFA enforced, every password app must use an app password; the regular password only works with MFA. This is what makes the account's own sign-ins safe.")
}

// Keys implements Step.
func (s *MFAChange) Keys() []key.Binding {
	switch s.phase {
	case "confirm":
		return []key.Binding{Keys.Yes, Keys.No}
	case "already", "verified":
		return []key.Binding{Keys.Enter}
	case "failed":
		return []key.Binding{Keys.Retry}
	case "role":
		return []key.Binding{Keys.Note, Keys.Enter}
	}
	return nil
}
