package simcloud

import (
	"context"
	"sync"
	"time"
)

// ManualClock is a simulated clock that moves only when told, so tests
// advance time instead of sleeping. Pass its Now as Options.Clock.
type ManualClock struct {
	mu  sync.Mutex
	now time.Time
}

// NewManualClock returns a clock stopped at start.
func NewManualClock(start time.Time) *ManualClock { return &ManualClock{now: start.UTC()} }

// Now is the clock's time.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *ManualClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// WaitUntil is a client's wait on this clock: it moves the clock to until
// (never back), at once. Clients that share the clock with the server
// (graphclient.Config.Clock and Wait) then wait out Graph's limits without
// a test sleeping; concurrent waiters end at the latest of their
// deadlines, not at the sum of their waits.
func (c *ManualClock) WaitUntil(ctx context.Context, until time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if until.After(c.now) {
		c.now = until.UTC()
	}
	return ctx.Err()
}

// RunningClock is simulated time that runs with the real clock from a
// start date and jumps forward when a client waits on it: the demo's and
// the tests' default, so that Graph's rate limits are honoured on
// simulated time, and a scan that would wait half an hour on Microsoft's
// limits finishes in moments with its simulated wait still counted.
type RunningClock struct {
	mu      sync.Mutex
	start   time.Time
	began   time.Time
	skipped time.Duration
}

// NewRunningClock returns a clock that reads start now.
func NewRunningClock(start time.Time) *RunningClock {
	return &RunningClock{start: start.UTC(), began: time.Now()}
}

// Now is the start plus the real time since, plus every jump.
func (c *RunningClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now()
}

func (c *RunningClock) now() time.Time { return c.start.Add(time.Since(c.began) + c.skipped) }

// WaitUntil jumps the clock to until (never back), at once.
func (c *RunningClock) WaitUntil(ctx context.Context, until time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if d := until.Sub(c.now()); d > 0 {
		c.skipped += d
	}
	return ctx.Err()
}

// Skipped is the simulated time the clock jumped over: how long clients
// waiting on it would have waited on a real clock.
func (c *RunningClock) Skipped() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.skipped
}
