package steps

import (
	"context"
	"fmt"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/evidence"
	"github.com/apppass/apppass/flow"
	"github.com/apppass/apppass/journal"
	"github.com/apppass/apppass/termsafe"
)

// IDWaitApp is the "waiting for the app" screen.
const IDWaitApp = flow.IDWaitApp

// WatchLimit is how long the screen watches before it says "not seen";
// the person may finish or skip at any time before.
const WatchLimit = 15 * time.Minute

// LogDelayNote says what the sign-in log's delay is, as far as apppass's
// Microsoft facts go.
const LogDelayNote = "Entra's sign-in log shows a sign-in only after a delay, and Microsoft publishes no figure for it: a sign-in not shown yet may still arrive."

// AppWatched is what the waiting screen saw; nil Watch when skipped.
type AppWatched = flow.AppWatched

// appRead is one read of the log, as the watch stands after it.
type appRead diagnose.AppWatch

// appObserved says the journal has the watch's outcome.
type appObserved struct{}

type waitPhase int

const (
	waitWatching waitPhase = iota
	waitEnded              // settled, or the limit reached: the answer stands
	waitRecording
)

// WaitForApp watches the sign-in log for the app's own next sign-in after
// the change and explains what arrives; `s` skips and `enter` finishes at
// any time.
type WaitForApp struct {
	base
	spin  spinner.Model
	watch *evidence.Watch
	now   diagnose.AppWatch
	phase waitPhase
	until time.Time
	reads int
	typed string // the demo: what was typed into the app, said once
}

// NewWaitForApp builds the screen; it watches from the change on.
func NewWaitForApp(c *Common) Step {
	s := &WaitForApp{base: newBase(c, IDWaitApp), spin: c.newSpinner()}
	since := c.Session.ChangedAt
	if since.IsZero() {
		since = c.Now()
	}
	s.watch = evidence.NewWatch(c.Graph, c.Session.Target.UPN, c.Session.Target.Service, since, c.Now)
	s.until = c.Now().Add(WatchLimit)
	s.now = s.watch.Result()
	return s
}

// Init implements Step: the first read at once.
func (s *WaitForApp) Init() tea.Cmd { return tea.Batch(s.spin.Tick, s.read(0)) }

// read waits pause (the pace), then reads the log once.
func (s *WaitForApp) read(pause time.Duration) tea.Cmd {
	w, wait := s.watch, s.c.Wait
	if wait == nil {
		wait = evidence.RealWait
	}
	return do(&s.base, func(ctx context.Context) (appRead, error) {
		if pause > 0 {
			if err := wait(ctx, pause); err != nil {
				return appRead{}, err
			}
		}
		return appRead(w.Read(ctx)), nil
	})
}

// Update implements Step.
func (s *WaitForApp) Update(msg tea.Msg) (Step, tea.Cmd) {
	if r, ok := mine[appRead](&s.base, msg); ok {
		if r.err != nil || s.phase != waitWatching {
			return s, nil // left, or already ended
		}
		s.reads++
		s.now = diagnose.AppWatch(r.value)
		switch {
		case s.watch.Settled() || !s.c.Now().Before(s.until):
			s.phase = waitEnded
			return s, nil
		}
		pause := min(s.watch.Pause(), max(s.until.Sub(s.c.Now()), 0))
		return s, s.read(pause)
	}
	if _, ok := mine[appObserved](&s.base, msg); ok {
		w := s.now
		return s, s.finish(w.Outcome(), w.Headline(), AppWatched{Watch: &w})
	}
	if cmd, ok := tick(&s.spin, msg); ok {
		return s, cmd
	}
	k, isKey := msg.(tea.KeyPressMsg)
	if !isKey || s.phase == waitRecording {
		return s, nil
	}
	switch {
	case key.Matches(k, keys.Skip):
		s.Leave()
		return s, s.finish(diagnose.OutcomeSkipped, "not watched", AppWatched{})
	case key.Matches(k, keys.Finish):
		return s, s.record()
	case key.Matches(k, keys.UseDemo) && s.canType():
		secret := s.c.Session.DemoAppPassword
		if err := s.c.StandIns.TypeIntoApp(secret); err != nil {
			s.typed = "Demo: " + err.Error()
		} else {
			s.typed = "Demo: the simulated owner typed the new app password into the app; its next run uses it."
		}
	}
	return s, nil
}

// canType reports the demo's stand-in can type the app password into the app.
func (s *WaitForApp) canType() bool {
	return s.c.StandIns.TypeIntoApp != nil && s.c.Session.DemoAppPassword != "" && s.phase == waitWatching
}

// record ends the watch with what stands now and journals it, then finishes.
func (s *WaitForApp) record() tea.Cmd {
	s.Leave() // no read after the person's word
	if s.phase == waitWatching {
		// The last finished read stands (a read in flight is dropped, and
		// the watch itself is not touched while it may run); the time
		// watched runs to now.
		s.now.Until = s.c.Now().UTC()
		if s.reads == 0 {
			s.now.Result, s.now.Why = diagnose.WatchUnchecked, "finished before the first read of the log"
		}
	}
	s.phase = waitRecording
	j, ch := s.c.Journal, AppWatchRecord(s.c.Session.Target, s.now)
	// The context of a step being left is cancelled: the journal write uses
	// the program's.
	return func() tea.Msg {
		if j != nil {
			j.Observe(ch)
		}
		return reply[appObserved]{from: s.inst}
	}
}

// AppWatchRecord is the watch as the journal records it (Journal.Observe):
// what was seen, not a change.
func AppWatchRecord(t Target, w diagnose.AppWatch) journal.Change {
	outcome := journal.Unknown
	switch w.Result {
	case diagnose.WatchThrough:
		outcome = journal.Done
	case diagnose.WatchFailed:
		outcome = journal.Failed
	}
	return journal.Change{Account: t.UPN, AccountID: t.User.ID, Kind: journal.AppSignIn, After: w.Headline(),
		Outcome: outcome, Note: w.Advice(), RequestID: w.RequestID}
}

// View implements Step.
func (s *WaitForApp) View() string {
	st := s.c.Styles
	t := s.c.Session.Target
	out := st.Title.Render("Waiting for the app") + st.Subtle.Render("  "+termsafe.Clean(t.UPN)) + "\n\n"
	out += s.c.wrap("The test above proves the secret works. This screen proves the app itself now gets through: it watches the sign-in log for the app's own "+t.Service.Label()+" sign-in.") + "\n\n"
	out += s.c.bullet("•", fmt.Sprintf("Looking for: %s's legacy sign-ins at or after %s, on both the interactive and non-interactive tabs.", termsafe.Clean(t.UPN), s.watch.Since().Format("15:04:05 UTC"))) + "\n"
	out += s.c.bullet("•", fmt.Sprintf("One read every %d s, within Graph's limit for sign-in logs (%d requests per %d s per app per tenant); up to %d minutes.",
		int(evidence.ReadEvery/time.Second), evidence.ReportsLimit, int(evidence.ReportsWindow/time.Second), int(WatchLimit/time.Minute))) + "\n"
	out += s.c.bullet("•", LogDelayNote) + "\n\n"
	out += s.resultView()
	if s.typed != "" {
		out += "\n" + st.Info.Render(s.c.wrap(s.typed)) + "\n"
	} else if s.canType() {
		out += "\n" + st.Subtle.Render("Demo: ctrl+d types the new app password into the app.") + "\n"
	}
	out += "\n" + st.Subtle.Render("enter finishes and records what was seen; s skips. Nothing here holds you up.")
	return out
}

// resultView says what the watch saw so far.
func (s *WaitForApp) resultView() string {
	st := s.c.Styles
	w := s.now
	line := func(mark string, style func(...string) string) string {
		return style(mark+" ") + s.c.wrap(termsafe.Clean(w.Headline())) + "\n" + s.c.wrap(w.Advice()) + "\n"
	}
	switch {
	case w.Result == diagnose.WatchThrough:
		return line("✓", st.Pass.Render)
	case w.Result == diagnose.WatchFailed:
		out := line("✗", st.Problem.Render)
		if s.phase == waitWatching {
			out += st.Subtle.Render("Still watching: the app's next run shows whether a fix took.") + "\n"
		}
		return out
	case w.Result == diagnose.WatchUnchecked && s.reads > 0 && s.phase == waitWatching:
		return st.Warning.Render("? ") + s.c.wrap("The last read failed: "+termsafe.Clean(w.Why)+". apppass reads again, more slowly; nothing is taken for an answer meanwhile.") + "\n"
	case w.Result == diagnose.WatchUnchecked && s.reads > 0:
		return line("?", st.Warning.Render)
	case s.phase == waitEnded:
		return line("–", st.Warning.Render)
	}
	read := "not read yet"
	switch s.reads {
	case 0:
	case 1:
		read = "the log read once"
	default:
		read = fmt.Sprintf("the log read %d times", s.reads)
	}
	return s.spin.View() + " Nothing from the app yet (" + read + ").\n"
}

// KeyMap implements Step.
func (s *WaitForApp) KeyMap() help.KeyMap {
	if s.phase == waitRecording {
		return nil
	}
	k := keyMap{withHelp(keys.Finish, "finish and record"), withHelp(keys.Skip, "skip")}
	if s.canType() {
		k = append(k, withHelp(keys.UseDemo, "type the app password into the app (demo)"))
	}
	return k
}
