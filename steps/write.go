package steps

import (
	"context"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/flow"
	"github.com/apppass/apppass/journal"
	"github.com/apppass/apppass/termsafe"
)

// Write is one change to the tenant, exactly as the person confirms it (flow's).
type Write = flow.Write

type writePhase int

const (
	writeAsking writePhase = iota
	writeRunning
	writeFinished
	writeDeclined
)

// writeDone is the answer of a confirmed sequence of writes.
type writeDone struct {
	changes []journal.Change
	err     error // the first refusal, explained on screen
}

// confirmWrite is the one confirm → write → read back → journal component
// every write screen uses. It shows the exact changes and asks (default
// No); then it makes them in order, each journaled before and after, reads
// each back, and stops at the first that did not land.
type confirmWrite struct {
	b        *base
	writes   []Write
	warnings []string
	question string
	phase    writePhase
	done     writeDone
	stopWait context.CancelFunc
	spin     spinner.Model
}

func newConfirmWrite(b *base, question string, warnings []string, writes ...Write) *confirmWrite {
	return &confirmWrite{b: b, writes: writes, warnings: warnings, question: question, spin: b.c.newSpinner()}
}

// finished reports whether the person has answered and any write has ended.
func (w *confirmWrite) finished() bool { return w.phase == writeFinished || w.phase == writeDeclined }

// busy is true while a write runs.
func (w *confirmWrite) busy() bool { return w.phase == writeRunning }

// update handles the component's keys and replies.
func (w *confirmWrite) update(msg tea.Msg) tea.Cmd {
	if r, ok := mine[writeDone](w.b, msg); ok {
		w.done, w.phase = r.value, writeFinished
		return nil
	}
	if cmd, ok := tick(&w.spin, msg); ok && w.phase == writeRunning {
		return cmd
	}
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	switch {
	case w.phase == writeAsking && key.Matches(k, keys.Yes):
		return tea.Batch(w.spin.Tick, w.run())
	case w.phase == writeAsking && key.Matches(k, keys.No, keys.Enter):
		w.phase = writeDeclined
		for _, wr := range w.writes {
			ch := wr.Change
			ch.Time = w.b.c.Now()
			w.b.c.Journal.Decline(ch) // a record only: nothing was written
		}
	case w.phase == writeRunning && key.Matches(k, keys.Enter) && w.stopWait != nil:
		w.stopWait() // the writes are made; only the wait for their read-back ends
	}
	return nil
}

func (w *confirmWrite) run() tea.Cmd {
	w.phase = writeRunning
	j, now, writes := w.b.c.Journal, w.b.c.Now, w.writes
	waitCtx, stop := context.WithCancel(w.b.ctx)
	w.stopWait = stop
	return do(w.b, func(ctx context.Context) (writeDone, error) {
		defer stop()
		var out writeDone
		for _, wr := range writes {
			ch, err := flow.Apply(ctx, waitCtx, j, wr, now(), firstLine)
			out.changes = append(out.changes, ch)
			if ch.Outcome != journal.Done {
				out.err = err
				break
			}
		}
		return out, nil
	})
}

// Apply makes one confirmed write outside the full-screen wizard (plain
// mode): journaled before and after, applied, read back (flow.Apply).
func Apply(ctx context.Context, j Journal, w Write, now time.Time) (journal.Change, error) {
	return flow.Apply(ctx, ctx, j, w, now, firstLine)
}

// outcome is the sequence's outcome for the step bar.
func (w *confirmWrite) outcome() (diagnose.Outcome, string) {
	if w.phase == writeDeclined {
		return diagnose.OutcomeDeclined, "you said no; nothing was changed"
	}
	for _, ch := range w.done.changes {
		switch ch.Outcome {
		case journal.Failed:
			return diagnose.OutcomeFailed, orText(ch.Note, firstLineText(ch.Error))
		case journal.Unknown:
			return diagnose.OutcomeUnknown, orText(ch.Note, "no answer from Microsoft; apppass re-reads it at the next start")
		}
	}
	return diagnose.OutcomeDone, ""
}

// retryable: a write that did not land may be tried again, after the
// screen reads the live state afresh (a write is never repeated blind).
func (w *confirmWrite) retryable() bool {
	if w.phase != writeFinished {
		return false
	}
	outcome, _ := w.outcome()
	return outcome == diagnose.OutcomeFailed || outcome == diagnose.OutcomeUnknown
}

// keyMap is the component's keys while it asks and while it writes; once
// it has finished, the screen says what enter does.
func (w *confirmWrite) keyMap() keyMap {
	switch w.phase {
	case writeAsking:
		return keyMap{keys.Yes, keys.No}
	case writeRunning:
		return keyMap{withHelp(keys.Enter, "stop waiting for the read-back")}
	}
	return nil
}

// view shows the changes, the question, progress or what was read back.
func (w *confirmWrite) view() string {
	c := w.b.c
	st := c.Styles
	var b strings.Builder
	switch w.phase {
	case writeAsking:
		for _, wr := range w.writes {
			b.WriteString(st.Change.Render(changeLine(wr.Change)) + "\n")
		}
		for _, warn := range w.warnings {
			b.WriteString("\n" + st.Warning.Render(c.wrap(warn)) + "\n")
		}
		b.WriteString("\n" + w.question + " [y/N]")
	case writeRunning:
		b.WriteString(w.spin.View() + " Changing, then reading back…")
	case writeDeclined:
		b.WriteString(st.Subtle.Render("– No change made: you said no."))
	case writeFinished:
		for _, ch := range w.done.changes {
			b.WriteString(w.resultLine(ch) + "\n")
		}
		if w.done.err != nil {
			b.WriteString(c.errorView(w.done.err) + "\n")
		}
		if n := len(w.done.changes); n < len(w.writes) {
			b.WriteString(st.Subtle.Render(fmt.Sprintf("%d later change(s) not attempted.", len(w.writes)-n)) + "\n")
		}
	}
	return b.String()
}

func (w *confirmWrite) resultLine(ch journal.Change) string {
	c := w.b.c
	st := c.Styles
	what := termsafe.Clean(ch.Account) + " · " + ch.Kind.Label()
	journalID := ""
	if ch.ID != "" {
		journalID = st.Subtle.Render(" (journal " + ch.ID + ")")
	}
	switch ch.Outcome {
	case journal.Done:
		return st.Pass.Render("✓ Verified: ") + what + ": " + ch.After + journalID
	case journal.Unknown:
		note := strings.TrimSuffix(orText(ch.Note, "no answer came"), ".")
		return st.Warning.Render("? Unknown: ") + c.wrap(what+": "+note+". It may have landed: press r to read it again (apppass also re-reads it at its next start).") + journalID
	}
	if ch.Note != "" {
		return st.Problem.Render("✗ Not changed: ") + c.wrap(what+": "+ch.After+". "+ch.Note) + journalID
	}
	return st.Problem.Render("✗ Refused: ") + what + ": " + ch.After + journalID
}

// changeLine is one change as the person confirms it.
func changeLine(ch journal.Change) string {
	return fmt.Sprintf("%s · %s: %s → %s", termsafe.Clean(ch.Account), ch.Kind.Label(), ch.Before, ch.After)
}

func orText(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

func firstLineText(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return termsafe.Clean(line)
}
