package graphclient

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/apppass/apppass/simcloud"
)

// env is a started simulated cloud and a client configured for it.
type env struct {
	srv    *simcloud.Server
	clock  *simcloud.ManualClock
	client *Client
	cfg    Config
}

// newEnv starts simcloud with a shipped scenario. Retries are fast: the
// simulator's Retry-After is 0.
func newEnv(t *testing.T, scenario string, tweak ...func(*Config)) *env {
	t.Helper()
	sc, err := simcloud.LoadScenario(scenario)
	if err != nil {
		t.Fatal(err)
	}
	return newEnvFor(t, sc, simcloud.Options{}, tweak...)
}

// newEnvFor starts simcloud with a scenario a test has adjusted, on a
// simulated clock that moves only when the test advances it.
func newEnvFor(t *testing.T, sc *simcloud.Scenario, opts simcloud.Options, tweak ...func(*Config)) *env {
	t.Helper()
	clock := simcloud.NewManualClock(sc.AsOfTime())
	opts.Clock = clock.Now
	srv := simcloud.New(sc, opts)
	ep, err := srv.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	cfg := Config{
		Cloud:          Cloud{Name: "demo", AuthorityHost: ep.Authority, GraphRoot: ep.GraphRoot, SMTPHost: ep.SMTPAddr},
		RootCAs:        ep.RootCAs,
		Retry:          RetryPolicy{MaxRetries: 3, MaxWait: time.Second},
		RequestTimeout: 5 * time.Second,
	}
	for _, f := range tweak {
		f(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return &env{srv: srv, clock: clock, client: c, cfg: cfg}
}

// signIn runs a device-code sign-in that the simulator approves at once.
func (e *env) signIn(t *testing.T) Account {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	dc, err := e.client.StartDeviceCode(ctx)
	if err != nil {
		t.Fatalf("StartDeviceCode: %v", err)
	}
	e.srv.ApproveDeviceCodes()
	acct, err := e.client.FinishDeviceCode(ctx, dc)
	if err != nil {
		t.Fatalf("FinishDeviceCode: %v", err)
	}
	return acct
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// waitFor waits until cond holds, checking as often as the scheduler lets
// it; it fails the test if the condition never comes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("never happened: %s", what)
		}
		runtime.Gosched()
	}
}
