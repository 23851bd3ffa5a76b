package graphclient

import (
	"context"
	"testing"
	"time"

	"github.com/apppass/apppass/simcloud"
)

// env is a started simulated cloud and a client configured for it.
type env struct {
	srv    *simcloud.Server
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

// newEnvFor starts simcloud with a scenario a test has adjusted.
func newEnvFor(t *testing.T, sc *simcloud.Scenario, opts simcloud.Options, tweak ...func(*Config)) *env {
	t.Helper()
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
	return &env{srv: srv, client: c, cfg: cfg}
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
