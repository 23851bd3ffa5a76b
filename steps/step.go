package steps

import (
	"context"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
)

// ID names a screen.
type ID string

// The screens, in flow order.
const (
	IDPicker     ID = "picker"
	IDWelcome    ID = "welcome"
	IDSignIn     ID = "sign-in"
	IDConnection ID = "connection"
	IDDiagnosis  ID = "diagnosis"
	IDAllow      ID = "allow-app-passwords"
	IDEnable     ID = "enable-mfa"
	IDEnforce    ID = "enforce-mfa"
	IDSignOut    ID = "sign-out"
	IDCreate     ID = "create-app-password"
	IDTest       ID = "test-app-password"
	IDSummary    ID = "summary"
)

// Step is one screen.
type Step interface {
	ID() ID
	Init() tea.Cmd
	Update(tea.Msg) (Step, tea.Cmd)
	View() string
	// Keys are the step's bindings, for the footer and the help.
	Keys() []key.Binding
	// Busy is true while a write runs: leaving then is not safe.
	Busy() bool
	// Leave cancels the step's work in flight.
	Leave()
}

// DoneMsg says a step is finished; Result carries what it learned.
type DoneMsg struct {
	From   ID
	Result any
}

// base is what every step embeds: its id, instance number and a context
// cancelled when the person leaves.
type base struct {
	c      *Common
	id     ID
	seq    int
	ctx    context.Context
	cancel context.CancelFunc
	done   bool
}

func newBase(c *Common, id ID) base {
	ctx, cancel := context.WithCancel(context.Background())
	return base{c: c, id: id, seq: c.nextSeq(), ctx: ctx, cancel: cancel}
}

func (b *base) ID() ID     { return b.id }
func (b *base) Leave()     { b.cancel() }
func (b *base) Busy() bool { return false }

// finish emits DoneMsg once.
func (b *base) finish(result any) tea.Cmd {
	if b.done {
		return nil
	}
	b.done = true
	id := b.id
	return func() tea.Msg { return DoneMsg{From: id, Result: result} }
}

// result tags an async outcome with the step instance.
type result struct {
	seq   int
	kind  string
	value any
	err   error
}

// run performs I/O in a tea.Cmd and tags the outcome.
func (b *base) run(kind string, f func(ctx context.Context) (any, error)) tea.Cmd {
	seq, ctx := b.seq, b.ctx
	return func() tea.Msg {
		v, err := f(ctx)
		return result{seq: seq, kind: kind, value: v, err: err}
	}
}

// mine reports whether an async outcome belongs to this step instance.
func (b *base) mine(msg tea.Msg) (result, bool) {
	r, ok := msg.(result)
	return r, ok && r.seq == b.seq
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
