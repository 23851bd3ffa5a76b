package graphclient_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/internal/testkit"
)

// The client keeps within Graph's documented limits before Graph has to
// say so: Conditional Access reads one per second, sign-in log and method
// reads five per ten seconds, on the clock it shares with the simulator
// (which moves when the client waits, so the test waits for nothing).
func TestClientPacesItselfWithinGraphsLimits(t *testing.T) {
	e := newEnv(t, "classic")
	e.signIn(t)
	start := e.clock.Now()
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for range 3 {
		wg.Add(2)
		go func() { defer wg.Done(); _, err := e.client.ConditionalAccessPolicies(ctxT(t)); errs <- err }()
		go func() { defer wg.Done(); _, err := e.client.NamedLocations(ctxT(t)); errs <- err }()
	}
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := e.client.SignIns(ctxT(t), e.cloud.Account, start.Add(-time.Hour))
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := e.srv.Throttled(); n != 0 {
		t.Fatalf("Graph answered 429 %d times: the client did not pace itself", n)
	}
	// Six CA reads take five seconds; eight log reads, three more than the
	// burst, six. Each family charges a request when its answer is in, so
	// on a clock that jumps for the other family's wait they can add up.
	if got := e.clock.Now().Sub(start); got < 6*time.Second || got > 11*time.Second {
		t.Fatalf("the reads took %v of simulated time, want 6 s to 11 s", got)
	}
	if e.client.Waited() < 5*time.Second {
		t.Fatalf("Waited() = %v", e.client.Waited())
	}
}

// A 429 without Retry-After (Conditional Access sends none: its budget is
// the tenant's, shared by every app) is waited out for the documented
// second and sent again, not failed at the first answer.
func TestConditionalAccess429WithoutRetryAfterIsRetried(t *testing.T) {
	e := newEnv(t, "classic")
	e.signIn(t)
	other, err := graphclient.New(e.cfg) // another use of the budget
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.cloud.SignIn(testkit.Context(t), other); err != nil {
		t.Fatal(err)
	}
	if _, err := other.NamedLocations(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	start := e.clock.Now()
	if _, err := e.client.ConditionalAccessPolicies(ctxT(t)); err != nil {
		t.Fatalf("a CA read after another client's, in the same second: %v", err)
	}
	if e.srv.Throttled() != 1 || e.clock.Now().Sub(start) < time.Second {
		t.Fatalf("want one 429 waited out for a second: %d throttled, %v waited", e.srv.Throttled(), e.clock.Now().Sub(start))
	}
}

// A clock that waiting does not move (a test's manual clock given without
// its WaitUntil) is a configuration error said at once, never a hang.
func TestPacerRefusesAClockThatDoesNotMove(t *testing.T) {
	e := newEnv(t, "classic", func(cfg *graphclient.Config) {
		cfg.Wait = func(context.Context, time.Time) error { return nil }
	})
	e.signIn(t)
	var err error
	for range 6 {
		if _, err = e.client.SignIns(ctxT(t), e.cloud.Account, e.clock.Now().Add(-time.Hour)); err != nil {
			break
		}
	}
	if err == nil || !strings.Contains(err.Error(), "Config.Wait returned before Config.Clock moved") {
		t.Fatalf("six log reads on a stuck clock: %v", err)
	}
}
