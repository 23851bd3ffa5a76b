package steps

import (
	"context"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/journal"
)

type writeScreenPhase int

const (
	wsReading writeScreenPhase = iota
	wsRole
	wsReadFailed
	wsSettled
	wsConfirm
)

// writeScreen is what every write screen shares around the one write
// component: the role gate, the live read before the change (retried on
// r, or passed over on enter), the decision the read leads to, and a retry
// after a write that did not land, which reads afresh first (a write is
// never repeated blind). A screen supplies what to read, what the reading
// means, and its own words.
type writeScreen[T any] struct {
	b     *base
	spin  spinner.Model
	phase writeScreenPhase
	gate  roleGate
	read  func(ctx context.Context) (T, error)
	// decide turns a reading into the writes to confirm, or into a settled
	// outcome when no write is needed (already so, or not applicable).
	decide func(T) (w *confirmWrite, settled diagnose.Outcome, detail string)
	value  T
	write  *confirmWrite
	err    error
	// settled is the outcome when no write was needed.
	settled diagnose.Outcome
	detail  string
}

// ended is how a write screen finished.
type ended struct {
	outcome diagnose.Outcome
	detail  string
	changes []journal.Change
}

func newWriteScreen[T any](b *base, read func(context.Context) (T, error), decide func(T) (*confirmWrite, diagnose.Outcome, string)) *writeScreen[T] {
	return &writeScreen[T]{b: b, spin: b.c.newSpinner(), read: read, decide: decide}
}

// init reads the live state, or shows the role gate when role is missing.
func (w *writeScreen[T]) init(missingRole string) tea.Cmd {
	if missingRole != "" {
		w.phase, w.gate.role = wsRole, missingRole
		return nil
	}
	return w.reread()
}

func (w *writeScreen[T]) reread() tea.Cmd {
	w.phase, w.err = wsReading, nil
	return tea.Batch(w.spin.Tick, do(w.b, w.read))
}

func (w *writeScreen[T]) busy() bool  { return w.write != nil && w.write.busy() }
func (w *writeScreen[T]) modal() bool { return w.phase == wsRole && w.gate.note.open }

// update handles the shared phases; end is set when the screen is done.
func (w *writeScreen[T]) update(msg tea.Msg) (cmd tea.Cmd, end *ended) {
	if r, ok := mine[T](w.b, msg); ok {
		if r.err != nil {
			w.phase, w.err = wsReadFailed, r.err
			return nil, nil
		}
		w.value = r.value
		if write, outcome, detail := w.decide(r.value); write != nil {
			w.phase, w.write = wsConfirm, write
		} else {
			w.phase, w.settled, w.detail = wsSettled, outcome, detail
		}
		return nil, nil
	}
	if w.phase == wsConfirm {
		if cmd := w.write.update(msg); cmd != nil || !w.write.finished() {
			return cmd, nil
		}
	}
	if cmd, ok := tick(&w.spin, msg); ok {
		return cmd, nil
	}
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil, nil
	}
	switch w.phase {
	case wsConfirm:
		switch {
		case key.Matches(k, keys.Retry) && w.write.retryable():
			return w.reread(), nil
		case key.Matches(k, keys.Enter):
			outcome, detail := w.write.outcome()
			return nil, &ended{outcome: outcome, detail: detail, changes: w.write.done.changes}
		}
	case wsSettled:
		if key.Matches(k, keys.Enter) {
			return nil, &ended{outcome: w.settled, detail: w.detail}
		}
	case wsReadFailed:
		switch {
		case key.Matches(k, keys.Retry):
			return w.reread(), nil
		case key.Matches(k, keys.Enter):
			return nil, &ended{outcome: diagnose.OutcomeFailed, detail: "the live state could not be read: " + firstLine(w.err)}
		}
	case wsRole:
		if w.gate.update(w.b.c, k) {
			return nil, &ended{outcome: diagnose.OutcomeSkipped, detail: "needs " + w.gate.role}
		}
	}
	return nil, nil
}

// view is the shared phases' view; ok is false when the screen draws its
// own (settled, confirm).
func (w *writeScreen[T]) view(reading, readFailedNext string) (string, bool) {
	switch w.phase {
	case wsRole:
		return w.gate.view(w.b.c), true
	case wsReading:
		return w.spin.View() + " " + reading, true
	case wsReadFailed:
		return w.b.c.errorView(w.err) + "\n" + w.b.c.Styles.Subtle.Render(readFailedNext), true
	}
	return "", false
}

// focusLine keeps the question, then the result, in view; the role gate
// and its note from the top.
func (w *writeScreen[T]) focusLine() int {
	if w.phase == wsRole {
		return 0
	}
	return -1
}

// keyMap is the shared phases' keys; enter is named by the screen.
func (w *writeScreen[T]) keyMap(enter string) keyMap {
	switch w.phase {
	case wsConfirm:
		if w.write.finished() {
			k := keyMap{withHelp(keys.Enter, enter)}
			if w.write.retryable() {
				k = append(k, withHelp(keys.Retry, "read again and retry"))
			}
			return k
		}
		return w.write.keyMap()
	case wsSettled:
		return keyMap{withHelp(keys.Enter, enter)}
	case wsReadFailed:
		return keyMap{keys.Retry, withHelp(keys.Enter, "go on without it")}
	case wsRole:
		return w.gate.keyMap()
	}
	return nil
}
