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

// SignedOut is the outcome of the force sign-out screen.
type SignedOut struct {
	Change journal.Change
	Done   bool
	// Visible: Graph already showed the new signInSessionsValidFromDateTime.
	Visible bool
}

// SignOut revokes the account's sessions and waits until Graph shows it.
type SignOut struct {
	base
	spin   spinner.Model
	phase  string // role, reading, confirm, writing, polling, verified, failed
	before time.Time
	after  time.Time
	change journal.Change
	err    error
	gate   roleGate
}

// pollEvery and pollFor bound the wait for signInSessionsValidFromDateTime,
// which Microsoft says may take minutes to move.
var (
	pollEvery = 2 * time.Second
	pollFor   = 3 * time.Minute
)

// NewSignOut builds the screen.
func NewSignOut(c *Common) Step {
	return &SignOut{base: newBase(c, IDSignOut), spin: spinner.New(spinner.WithSpinner(spinner.Dot))}
}

// Init implements Step.
func (s *SignOut) Init() tea.Cmd {
	if role := s.c.missingRole(diagnose.StepSignOut); role != "" {
		s.phase, s.gate.role = "role", role
		return nil
	}
	return tea.Batch(s.spin.Tick, s.read())
}

func (s *SignOut) read() tea.Cmd {
	s.phase, s.err = "reading", nil
	g, id := s.c.Graph, s.c.Session.Target.User.ID
	return s.run("read", func(ctx context.Context) (any, error) {
		u, err := g.User(ctx, id)
		return u.SignInSessionsValidFrom, err
	})
}

// Busy implements Step.
func (s *SignOut) Busy() bool { return s.phase == "writing" }

// Update implements Step.
func (s *SignOut) Update(msg tea.Msg) (Step, tea.Cmd) {
	if r, ok := s.mine(msg); ok {
		return s, s.handle(r)
	}
	if cmd, ok := tick(&s.spin, msg); ok {
		return s, cmd
	}
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		switch {
		case s.phase == "confirm" && key.Matches(msg, Keys.Yes):
			return s, s.revoke()
		case s.phase == "confirm" && key.Matches(msg, Keys.No, Keys.Enter):
			return s, s.finish(SignedOut{})
		case (s.phase == "verified" || s.phase == "polling") && key.Matches(msg, Keys.Enter):
			return s, s.finish(SignedOut{Change: s.change, Done: true, Visible: s.phase == "verified"})
		case s.phase == "failed" && key.Matches(msg, Keys.Retry):
			return s, s.read()
		case s.phase == "role" && s.gate.leave(msg):
			return s, s.finish(SignedOut{})
		}
	}
	return s, nil
}

func (s *SignOut) handle(r result) tea.Cmd {
	if r.err != nil {
		s.phase, s.err = "failed", r.err
		return nil
	}
	switch r.kind {
	case "read":
		s.before, s.phase = r.value.(time.Time), "confirm"
	case "revoke":
		s.change, s.phase = r.value.(journal.Change), "polling"
		return s.poll(0)
	case "poll":
		p := r.value.(pollResult)
		if p.validFrom.After(s.before) {
			s.after, s.phase = p.validFrom, "verified"
			return nil
		}
		if time.Duration(p.attempt)*pollEvery >= pollFor {
			return nil // still "polling": the person may go on; the summary says so
		}
		return s.poll(p.attempt + 1)
	}
	return nil
}

type pollResult struct {
	attempt   int
	validFrom time.Time
}

func (s *SignOut) poll(attempt int) tea.Cmd {
	g, id := s.c.Graph, s.c.Session.Target.User.ID
	wait := pollEvery
	if attempt == 0 {
		wait = 0
	}
	return s.run("poll", func(ctx context.Context) (any, error) {
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		u, err := g.User(ctx, id)
		return pollResult{attempt: attempt, validFrom: u.SignInSessionsValidFrom}, err
	})
}

func (s *SignOut) revoke() tea.Cmd {
	s.phase = "writing"
	g, j, t, before, now := s.c.Graph, s.c.Journal, s.c.Session.Target, s.before, s.c.Now()
	return s.run("revoke", func(ctx context.Context) (any, error) {
		ch := journal.Change{Time: now, Account: t.UPN, AccountID: t.User.ID, Kind: journal.SignInSessions, Before: before.Format(time.RFC3339), After: "revoked"}
		id, err := j.Begin(ch)
		if err != nil {
			return nil, fmt.Errorf("the journal could not be written, so nothing was changed: %w", err)
		}
		ch.ID = id
		werr := g.RevokeSignInSessions(ctx, t.User.ID)
		ch.Outcome = journal.OutcomeOf(werr)
		if werr != nil {
			// Record what is true now, not the "revoked" that was hoped for.
			ch.Error, ch.After = werr.Error(), "unknown"
			if u, err := g.User(ctx, t.User.ID); err == nil && ch.Outcome == journal.Failed {
				ch.After = "sessions valid from " + u.SignInSessionsValidFrom.Format(time.RFC3339)
			}
		}
		ch.RequestID = graphclient.RequestID(werr)
		if err := j.Finish(ch); err != nil && werr == nil {
			werr = err
		}
		if werr != nil {
			return nil, werr
		}
		return ch, nil
	})
}

// View implements Step.
func (s *SignOut) View() string {
	st := s.c.Styles
	t := s.c.Session.Target
	out := st.Title.Render("Force sign-out") + st.Subtle.Render("  "+termsafe.Clean(t.UPN)) + "\n\n"
	switch s.phase {
	case "role":
		return out + s.gate.view(s.c)
	case "reading":
		return out + s.spin.View() + " Reading the account's sessions…"
	case "failed":
		return out + s.c.errorView(s.err)
	case "writing":
		return out + s.spin.View() + " Revoking sessions…"
	case "polling":
		return out + s.spin.View() + " Revoked. Waiting for Graph to show it (it can take a few minutes)…\n" +
			st.Subtle.Render("Press enter to go on; the summary will say it was not yet visible.")
	case "verified":
		return out + st.Pass.Render("✓ Verified: sessions are valid only from "+s.after.Local().Format("15:04:05 on 2 Jan")) + "\n" +
			st.Subtle.Render("Journal entry "+s.change.ID+". A sign-out cannot be undone.") + "\n\nPress enter to continue."
	}
	return out + s.c.wrap("Every session and refresh token of the account is revoked, so the new MFA requirement applies at once. The owner and every app must sign in again. App passwords are not revoked by this, and external (guest) users are not affected.") +
		"\n\n" + st.Change.Render(fmt.Sprintf("%s · sign-in sessions valid from %s → now", termsafe.Clean(t.UPN), s.before.Local().Format("2 Jan 15:04"))) +
		"\n\n" + st.Warning.Render("This cannot be undone.") + " Sign the account out everywhere? [y/N]"
}

// Keys implements Step.
func (s *SignOut) Keys() []key.Binding {
	switch s.phase {
	case "confirm":
		return []key.Binding{Keys.Yes, Keys.No}
	case "verified", "polling":
		return []key.Binding{Keys.Enter}
	case "failed":
		return []key.Binding{Keys.Retry}
	case "role":
		return []key.Binding{Keys.Note, Keys.Enter}
	}
	return nil
}
