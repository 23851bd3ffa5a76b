package testkit

import (
	"context"
	"sync"

	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/simcloud"
)

// Hangs ends the Graph calls a simulator holds with a hang fault, for
// every client bound to it.
type Hangs struct {
	mu       sync.Mutex
	inFlight map[string]context.CancelFunc
}

// EndHangs listens for the simulator's hangs. Bind each client's config.
func EndHangs(srv *simcloud.Server) *Hangs {
	h := &Hangs{inFlight: map[string]context.CancelFunc{}}
	srv.NotifyHangs(func(id string) {
		h.mu.Lock()
		cancel := h.inFlight[id]
		h.mu.Unlock()
		if cancel != nil {
			cancel()
		}
	})
	return h
}

// Bound makes a client's Graph call come back unanswered the moment the
// simulator reports holding it, and takes every other time-out off its
// calls: a slow answer on a loaded machine is waited for, a hang ends
// without a clock.
func (h *Hangs) Bound(cfg *graphclient.Config) {
	cfg.Deadline = func(ctx context.Context, id string) (context.Context, context.CancelFunc) {
		ctx, cancel := context.WithCancel(ctx)
		h.mu.Lock()
		h.inFlight[id] = cancel
		h.mu.Unlock()
		return ctx, func() {
			h.mu.Lock()
			delete(h.inFlight, id)
			h.mu.Unlock()
			cancel()
		}
	}
}

// EndHangsOnSignal is EndHangs(srv).Bound(cfg), for a test with one client.
func EndHangsOnSignal(cfg *graphclient.Config, srv *simcloud.Server) {
	EndHangs(srv).Bound(cfg)
}
