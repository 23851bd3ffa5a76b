package graphclient_test

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/apppass/apppass/demo"
	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/internal/testkit"
	"github.com/apppass/apppass/simcloud"
)

// env is a started simulated cloud and a client configured for it.
type env struct {
	cloud  *demo.Cloud
	srv    *simcloud.Server
	clock  *simcloud.ManualClock
	client *graphclient.Client
	cfg    graphclient.Config
}

// newEnv starts simcloud with a shipped scenario. Retries are fast: the
// simulator's Retry-After is 0.
func newEnv(t *testing.T, scenario string, tweak ...func(*graphclient.Config)) *env {
	t.Helper()
	sc, err := simcloud.LoadScenario(scenario)
	if err != nil {
		t.Fatal(err)
	}
	return newEnvFor(t, sc, demo.Options{}, tweak...)
}

// newEnvFor starts simcloud with a scenario a test has adjusted, on a
// simulated clock that moves only when the test advances it.
func newEnvFor(t *testing.T, sc *simcloud.Scenario, opts demo.Options, tweak ...func(*graphclient.Config)) *env {
	t.Helper()
	clock := simcloud.NewManualClock(sc.AsOfTime())
	opts.Clock, opts.Wait = clock.Now, clock.WaitUntil
	cloud, err := demo.Start(sc, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cloud.Close() })
	cfg := cloud.Config
	cfg.Retry = graphclient.RetryPolicy{MaxRetries: 3, MaxWait: time.Second}
	testkit.EndHangsOnSignal(&cfg, cloud.Server)
	for _, f := range tweak {
		f(&cfg)
	}
	c, err := graphclient.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return &env{cloud: cloud, srv: cloud.Server, clock: clock, client: c, cfg: cfg}
}

// signIn runs a device-code sign-in that the simulator approves at once.
func (e *env) signIn(t *testing.T) graphclient.Account {
	t.Helper()
	acct, err := e.cloud.SignIn(testkit.Context(t), e.client)
	if err != nil {
		t.Fatal(err)
	}
	return acct
}

func ctxT(t *testing.T) context.Context { return testkit.Context(t) }

// waitFor waits until cond holds, checking as often as the scheduler lets
// it; it fails the test if the condition never comes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(testkit.Patience(t))
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("never happened: %s", what)
		}
		runtime.Gosched()
	}
}
