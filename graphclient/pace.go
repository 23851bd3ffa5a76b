package graphclient

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"
)

// limitFamily is one of Graph's documented service limits that apppass
// reads against (Microsoft Graph throttling limits; docs/scenarios.md).
type limitFamily int

const (
	// reportsFamily: identity and access reports (signIn, auditLogRoot,
	// authenticationMethod), 5 requests per 10 seconds per app per tenant.
	reportsFamily limitFamily = iota
	// caFamily: Conditional Access policies and named locations, 1 request
	// per second per tenant, answered 429 without Retry-After.
	caFamily
	familyCount
)

// familyLimit is a family's budget: burst at once, one more each interval.
type familyLimit struct {
	burst    int
	interval time.Duration
}

var familyLimits = [familyCount]familyLimit{
	reportsFamily: {burst: 5, interval: ReportsInterval},
	caFamily:      {burst: 1, interval: time.Second},
}

// familyOfPath is the limit a request path (below the version) counts
// against; ok is false for paths Microsoft documents no tighter limit for.
func familyOfPath(path string) (limitFamily, bool) {
	p := strings.ToLower(path)
	switch {
	case strings.Contains(p, "/auditlogs/"):
		return reportsFamily, true
	case strings.HasSuffix(p, "/authentication/methods"):
		return reportsFamily, true
	case strings.Contains(p, "/identity/conditionalaccess/"):
		return caFamily, true
	}
	return 0, false
}

// cost is how many requests of each family one HTTP request makes: one,
// or one per $batch item ("each request inside a $batch counts").
type cost [familyCount]int

// costOfPath is the cost of one request to path.
func costOfPath(path string) cost {
	var c cost
	if f, ok := familyOfPath(path); ok {
		c[f] = 1
	}
	return c
}

// pacer keeps a client within Graph's documented limits before Graph has
// to say so: a token bucket per family on the client's clock, one request
// of a family in flight at a time, charged when its answer is in (so the
// bucket never holds more than the server's, whatever the latency), and
// blocked for the Retry-After of a 429 Graph sends anyway (the budget is
// shared with every other use of the same app in the tenant).
type pacer struct {
	clock func() time.Time
	wait  func(ctx context.Context, until time.Time) error
	// slots hold one request per family in flight.
	slots [familyCount]chan struct{}

	mu      sync.Mutex
	buckets [familyCount]paceBucket
	// waited is the total time spent waiting for the limits.
	waited time.Duration
}

// paceBucket is a family's tokens at a time (negative: owed).
type paceBucket struct {
	tokens float64
	at     time.Time
	used   bool
}

func newPacer(clock func() time.Time, wait func(context.Context, time.Time) error) *pacer {
	p := &pacer{clock: clock, wait: wait}
	for i := range p.slots {
		p.slots[i] = make(chan struct{}, 1)
	}
	return p
}

// tokensAt is family f's tokens at now. Caller holds mu.
func (p *pacer) tokensAt(f limitFamily, now time.Time) float64 {
	b, lim := &p.buckets[f], familyLimits[f]
	if !b.used {
		return float64(lim.burst)
	}
	t := b.tokens
	if now.After(b.at) {
		t += float64(now.Sub(b.at)) / float64(lim.interval)
	}
	return min(t, float64(lim.burst))
}

// acquire waits until the request's cost fits every family's budget and
// holds those families' slots; release (the returned func) charges the
// cost at the moment the answer is in and frees the slots.
func (p *pacer) acquire(ctx context.Context, c cost) (release func(), err error) {
	var held []limitFamily
	freeSlots := func() {
		for _, f := range held {
			<-p.slots[f]
		}
	}
	for f := range familyCount { // in order: no two requests wait on each other
		if c[f] == 0 {
			continue
		}
		select {
		case p.slots[f] <- struct{}{}:
			held = append(held, f)
		case <-ctx.Done():
			freeSlots()
			return nil, ctx.Err()
		}
	}
	for _, f := range held {
		for {
			p.mu.Lock()
			now := p.clock()
			short := float64(min(c[f], familyLimits[f].burst)) - p.tokensAt(f, now)
			p.mu.Unlock()
			if short <= 0 {
				break
			}
			until := now.Add(time.Duration(short * float64(familyLimits[f].interval)))
			if err := p.wait(ctx, until); err != nil {
				freeSlots()
				return nil, err
			}
			if p.clock().Before(until) {
				// A Clock that Wait does not move (a test's manual clock
				// without its WaitUntil) would make this loop for ever.
				freeSlots()
				return nil, errClockStuck
			}
			p.mu.Lock()
			p.waited += max(p.clock().Sub(now), 0)
			p.mu.Unlock()
		}
	}
	return func() {
		p.mu.Lock()
		now := p.clock()
		for _, f := range held {
			p.buckets[f] = paceBucket{tokens: p.tokensAt(f, now) - float64(c[f]), at: now, used: true}
		}
		p.mu.Unlock()
		freeSlots()
	}, nil
}

// block empties family f's budget until after, as a 429 asks.
func (p *pacer) block(f limitFamily, after time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.clock()
	owed := -float64(after) / float64(familyLimits[f].interval)
	if p.tokensAt(f, now) > owed {
		p.buckets[f] = paceBucket{tokens: owed, at: now, used: true}
	}
}

// Waited is how long this client has waited, in total, to stay within
// Graph's documented limits (on its clock: simulated time in the demo).
func (c *Client) Waited() time.Duration {
	c.pace.mu.Lock()
	defer c.pace.mu.Unlock()
	return c.pace.waited
}

// Requests is how many HTTP requests this client has sent to Graph,
// retries included (a $batch counts once).
func (c *Client) Requests() int { return int(c.requests.Load()) }

// errClockStuck is a Config whose Wait returned before its Clock reached
// the time waited for: a configuration error, said rather than spun on.
var errClockStuck = errors.New("waiting for Graph's limits: Config.Wait returned before Config.Clock moved (give Wait the clock's own wait)")

// realWait waits on the real clock.
func realWait(ctx context.Context, until time.Time) error {
	d := time.Until(until)
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
