package flow

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/journal"
)

// Write is one change to the tenant, exactly as the person confirms it.
type Write struct {
	// Change names the account, the kind, the state before and the state
	// asked for (After).
	Change journal.Change
	Apply  func(ctx context.Context) error
	// ReadBack reads what is true now, in the words the journal records.
	ReadBack func(ctx context.Context) (string, error)
	// Landed says whether what was read back is the change asked for.
	Landed func(seen string) bool
	// NotLanded explains a read-back that shows the change did not take.
	NotLanded string
	// Poll reads back again, every pollEvery for up to pollFor, until the
	// change shows: Microsoft documents some changes as taking minutes.
	Poll bool
}

// pollEvery and pollFor bound the wait for a change that takes time to show
// (signInSessionsValidFromDateTime may take minutes to move).
var (
	pollEvery = 2 * time.Second
	pollFor   = 3 * time.Minute
)

// readBack reads once, or, for a write that polls, until the change shows
// or the wait ends; ctx ending stops the wait.
func (wr Write) readBack(ctx context.Context) (string, error) {
	deadline := time.Now().Add(pollFor)
	for {
		seen, err := wr.ReadBack(ctx)
		if err != nil || !wr.Poll || wr.Landed(seen) || time.Now().After(deadline) {
			return seen, err
		}
		select {
		case <-time.After(pollEvery):
		case <-ctx.Done():
			return "", fmt.Errorf("you went on before the change showed: %w", ctx.Err())
		}
	}
}

// Apply is the one apply of a confirmed write, for both front ends: it
// journals the change, makes it, reads it back (waiting under waitCtx for
// a write that polls) and journals the outcome. err is Microsoft's
// refusal, if any; explain puts a read-back's error in one line.
func Apply(ctx, waitCtx context.Context, j Journal, wr Write, now time.Time, explain func(error) string) (journal.Change, error) {
	ch := wr.Change
	ch.Time = now
	id, err := j.Begin(ch)
	if err != nil {
		ch.Outcome, ch.After = journal.Failed, ch.Before
		ch.Error = "the journal could not be written, so nothing was changed: " + err.Error()
		return ch, fmt.Errorf("the journal could not be written, so nothing was changed: %w", err)
	}
	ch.ID = id
	werr := wr.Apply(ctx)
	ch.Outcome, ch.RequestID = journal.OutcomeOf(werr), graphclient.RequestID(werr)
	var seen string
	var rerr error
	if werr != nil {
		ch.Error = werr.Error()
		seen, rerr = wr.ReadBack(ctx) // record what is true now, not what was hoped for
	} else {
		seen, rerr = wr.readBack(waitCtx)
	}
	switch {
	case rerr != nil:
		ch.After = "unknown"
		if werr == nil {
			ch.Outcome = journal.Unknown
			ch.Note = "sent, but not read back: " + explain(rerr)
		}
	case werr == nil && !wr.Landed(seen):
		ch.After, ch.Outcome, ch.Note = seen, journal.Failed, wr.NotLanded
	default:
		ch.After = seen
	}
	if ferr := j.Finish(ch); ferr != nil {
		ch.Note = strings.TrimPrefix(ch.Note+"; the journal could not record the outcome", "; ")
	}
	return ch, werr
}
