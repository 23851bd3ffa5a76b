package steps

import (
	"context"
	"sync/atomic"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/flow"
)

// ID names a screen (flow's stage).
type ID = flow.ID

// Step is one screen. Only the wizard returns a tea.View; a step renders
// its body and tells the wizard what happened with messages.
type Step interface {
	ID() ID
	Init() tea.Cmd
	Update(tea.Msg) (Step, tea.Cmd)
	View() string
	// KeyMap is the step's bindings for the footer and the help; a binding
	// that does nothing in the current phase is disabled.
	KeyMap() help.KeyMap
	// Busy is true while a write runs: leaving then is not safe.
	Busy() bool
	// Leave cancels the step's work in flight.
	Leave()
}

// Result is what a step learned; the wizard records it in the session.
type Result = flow.Result

// Record writes a step's result into the session. Only the wizard calls it.
func Record(r Result, s *Session) { flow.Record(r, s) }

// DoneMsg says a step is finished, how it ended and what it learned.
type DoneMsg struct {
	From    ID
	Outcome diagnose.Outcome
	// Detail says why, in a few words, when the outcome is not plain done.
	Detail string
	Result Result
	// Next names the screen to go to instead of the next in the flow (the
	// re-enable remedy sends the owner back to the create screen).
	Next ID
}

// instances numbers step instances across the whole program, restarts
// included, so a late reply never lands on a later screen.
var instances atomic.Uint64

// base is what every step embeds: its id, a program-unique instance and a
// context derived from the program's, cancelled when the person leaves.
type base struct {
	c      *Common
	id     ID
	inst   uint64
	ctx    context.Context
	cancel context.CancelFunc
	done   bool
}

func newBase(c *Common, id ID) base {
	parent := c.Ctx
	if parent == nil {
		parent = context.Background()
	}
	ctx, cancel := context.WithCancel(parent)
	return base{c: c, id: id, inst: instances.Add(1), ctx: ctx, cancel: cancel}
}

func (b *base) ID() ID     { return b.id }
func (b *base) Leave()     { b.cancel() }
func (b *base) Busy() bool { return false }

// finish emits DoneMsg once.
func (b *base) finish(outcome diagnose.Outcome, detail string, result Result) tea.Cmd {
	return b.finishTo("", outcome, detail, result)
}

// finishTo emits DoneMsg once, naming the next screen.
func (b *base) finishTo(next ID, outcome diagnose.Outcome, detail string, result Result) tea.Cmd {
	if b.done {
		return nil
	}
	b.done = true
	msg := DoneMsg{From: b.id, Outcome: outcome, Detail: detail, Result: result, Next: next}
	return func() tea.Msg { return msg }
}

// reply is the typed answer of one step's I/O, tagged with the instance
// that asked for it.
type reply[T any] struct {
	from  uint64
	value T
	err   error
}

// do performs I/O in a tea.Cmd under the step's context and answers with
// one typed, tagged message.
func do[T any](b *base, f func(ctx context.Context) (T, error)) tea.Cmd {
	from, ctx := b.inst, b.ctx
	return func() tea.Msg {
		v, err := f(ctx)
		return reply[T]{from: from, value: v, err: err}
	}
}

// mine returns msg as this instance's reply of type T.
func mine[T any](b *base, msg tea.Msg) (reply[T], bool) {
	r, ok := msg.(reply[T])
	return r, ok && r.from == b.inst
}

// waiting is the spinner every step shows while it waits: bubbles' Dot at
// four frames a second, not ten. Each frame redraws the whole screen, and a
// person waiting on a sign-in needs to see motion, not an animation.
var waiting = spinner.Spinner{Frames: spinner.Dot.Frames, FPS: time.Second / 4}

// newSpinner is the spinner every step shows while it waits.
func (c *Common) newSpinner() spinner.Model {
	return spinner.New(spinner.WithSpinner(waiting), spinner.WithStyle(c.Styles.Spinner))
}

// tick advances a step's spinner; ok is false for any other message.
func tick(sp *spinner.Model, msg tea.Msg) (tea.Cmd, bool) {
	t, ok := msg.(spinner.TickMsg)
	if !ok {
		return nil, false
	}
	var cmd tea.Cmd
	*sp, cmd = sp.Update(t)
	return cmd, true
}
