package flow

import (
	"slices"
	"sync"

	"github.com/apppass/apppass/journal"
)

// Journal records every change to the tenant before and after it is made,
// and the changes the person declined (journal.File satisfies it).
type Journal interface {
	Begin(c journal.Change) (string, error)
	Finish(c journal.Change) error
	Decline(c journal.Change) error
	// Observe records what was seen after a change (the app's own sign-in).
	Observe(c journal.Change) error
}

// Log is the run's journal: it hands every record to the journal and keeps
// the run's own, so what the person reads at the end is what the journal
// holds, whichever screen made the change and however the person moved
// between screens. It is safe for the writes' goroutines and the drawing
// to use at once.
type Log struct {
	j       Journal
	mu      sync.Mutex
	changes []journal.Change // finished and declined, in order
}

// NewLog keeps the run's records of j.
func NewLog(j Journal) *Log { return &Log{j: j} }

// Begin implements Journal.
func (l *Log) Begin(c journal.Change) (string, error) { return l.j.Begin(c) }

// Finish implements Journal: the change is the run's whether or not the
// journal could write its outcome (the write was made either way).
func (l *Log) Finish(c journal.Change) error {
	l.keep(c)
	return l.j.Finish(c)
}

// Decline implements Journal.
func (l *Log) Decline(c journal.Change) error {
	c.Outcome = journal.Declined
	l.keep(c)
	return l.j.Decline(c)
}

// Observe implements Journal. An observation is no change: it is passed on only.
func (l *Log) Observe(c journal.Change) error { return l.j.Observe(c) }

func (l *Log) keep(c journal.Change) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.changes = append(l.changes, c)
}

// Changes is a copy of the run's records.
func (l *Log) Changes() []journal.Change {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.changes)
}
