package graphclient_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apppass/apppass/demo"
	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/internal/tempdir"
	"github.com/apppass/apppass/simcloud"
)

func TestDeviceCodePendingThenApproved(t *testing.T) {
	sc, _ := simcloud.LoadScenario("classic")
	e := newEnvFor(t, sc, demo.Options{ApproveAfter: time.Minute})
	dc, err := e.client.StartDeviceCode(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(dc.UserCode) != 9 || !strings.HasSuffix(dc.VerificationURL, "/devicelogin") || !strings.Contains(dc.Message, dc.UserCode) {
		t.Fatalf("device code = %+v", dc)
	}
	if time.Until(dc.ExpiresAt) < 10*time.Minute {
		t.Fatalf("expires at %v", dc.ExpiresAt)
	}
	type outcome struct {
		acct graphclient.Account
		err  error
	}
	done := make(chan outcome, 1)
	go func() {
		acct, err := e.client.FinishDeviceCode(ctxT(t), dc)
		done <- outcome{acct, err}
	}()
	waitFor(t, "a pending poll", func() bool { return e.srv.PendingPolls() > 0 })
	select {
	case o := <-done:
		t.Fatalf("sign-in finished before approval: %+v", o)
	default:
	}
	e.clock.Advance(time.Minute) // the simulated person approves
	o := <-done
	acct, err := o.acct, o.err
	if err != nil {
		t.Fatal(err)
	}
	if acct.UserPrincipalName != adminUPN || acct.DisplayName != "Megan Bowen" || acct.TenantID == "" {
		t.Fatalf("account = %+v", acct)
	}
}

func TestDeviceCodeRefusals(t *testing.T) {
	cases := []struct {
		fault     simcloud.FaultKind
		wantError string
		wantCode  int
	}{
		{simcloud.FaultDeviceCodeDeclined, "authorization_declined", 70000},
		{simcloud.FaultDeviceCodeExpired, "expired_token", 70019},
		{simcloud.FaultCABlocksDeviceCode, "invalid_grant", 53003},
	}
	for _, tc := range cases {
		t.Run(string(tc.fault), func(t *testing.T) {
			e := newEnv(t, "classic")
			e.srv.AddFault(simcloud.Fault{Kind: tc.fault})
			dc, err := e.client.StartDeviceCode(ctxT(t))
			if err != nil {
				t.Fatal(err)
			}
			e.srv.ApproveDeviceCodes()
			_, err = e.client.FinishDeviceCode(ctxT(t), dc)
			var ee *graphclient.EntraError
			if !errors.As(err, &ee) || ee.OAuthError != tc.wantError || !ee.HasCode(tc.wantCode) {
				t.Fatalf("got %v, want %s AADSTS%d", err, tc.wantError, tc.wantCode)
			}
		})
	}
}

func TestConsentMissing(t *testing.T) {
	sc, _ := simcloud.LoadScenario("classic")
	sc.Tenant.ConsentedScopes = []string{"User.Read", "openid", "profile", "offline_access"}
	e := newEnvFor(t, sc, demo.Options{})
	dc, err := e.client.StartDeviceCode(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	e.srv.ApproveDeviceCodes()
	_, err = e.client.FinishDeviceCode(ctxT(t), dc)
	var ee *graphclient.EntraError
	if !errors.As(err, &ee) || ee.Code() != 65001 || ee.SubError != "consent_required" {
		t.Fatalf("got %v, want AADSTS65001 consent_required", err)
	}
}

func TestDeviceCodeCancel(t *testing.T) {
	e := newEnv(t, "classic")
	dc, err := e.client.StartDeviceCode(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := e.client.FinishDeviceCode(ctx, dc)
		done <- err
	}()
	waitFor(t, "a pending poll", func() bool { return e.srv.PendingPolls() > 0 })
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
}

func TestSilentSignInFromCacheFile(t *testing.T) {
	cachePath := filepath.Join(tempdir.New(t), "apppass", "msal-demo.json")
	e := newEnv(t, "classic", func(c *graphclient.Config) { c.CachePath = cachePath })
	e.signIn(t)
	assertProtectedAtRest(t, cachePath, "simAT.")

	// A new process: same cache file, no device code.
	second, err := graphclient.New(e.cfg)
	if err != nil {
		t.Fatal(err)
	}
	acct, err := second.SignInSilent(ctxT(t))
	if err != nil || acct.UserPrincipalName != adminUPN {
		t.Fatalf("silent sign-in: %+v, %v", acct, err)
	}
	if _, err := second.Me(ctxT(t)); err != nil {
		t.Fatalf("Me after silent sign-in: %v", err)
	}

	if err := second.SignOut(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	third, _ := graphclient.New(e.cfg)
	if _, err := third.SignInSilent(ctxT(t)); !errors.Is(err, graphclient.ErrNotSignedIn) {
		t.Fatalf("after sign-out: %v, want ErrNotSignedIn", err)
	}
}

func TestSilentSignInIgnoresOtherEnvironments(t *testing.T) {
	cachePath := filepath.Join(tempdir.New(t), "msal-shared.json")
	first := newEnv(t, "classic", func(c *graphclient.Config) { c.CachePath = cachePath })
	first.signIn(t)
	// Another simulator listens on another port: MSAL's environment differs.
	other := newEnv(t, "classic", func(c *graphclient.Config) { c.CachePath = cachePath })
	if _, err := other.client.SignInSilent(ctxT(t)); !errors.Is(err, graphclient.ErrNotSignedIn) {
		t.Fatalf("an account of another environment was used: %v", err)
	}
}

func TestDemoAndLiveCachesAreApart(t *testing.T) {
	home := tempdir.New(t)
	t.Setenv("XDG_CACHE_HOME", filepath.Join(home, "cache"))
	t.Setenv("HOME", home)
	t.Setenv("LOCALAPPDATA", filepath.Join(home, "AppData", "Local"))
	demo, err := graphclient.DefaultCachePath("demo")
	if err != nil {
		t.Fatal(err)
	}
	live, _ := graphclient.DefaultCachePath("global")
	if demo == live || filepath.Dir(demo) != filepath.Dir(live) {
		t.Fatalf("demo %s, live %s", demo, live)
	}
	e := newEnv(t, "classic", func(c *graphclient.Config) { c.CachePath = demo })
	e.signIn(t)
	if _, err := os.Stat(demo); err != nil {
		t.Fatalf("demo cache not written: %v", err)
	}
	if _, err := os.Stat(live); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the live cache was touched by a demo sign-in: %v", err)
	}
}

func TestCheckPassword(t *testing.T) {
	const backupPassword = "Backup-Sim-2026!"
	cases := []struct {
		scenario, upn, password string
		wantCode                int // 0: the sign-in succeeds
	}{
		{"classic", backupUPN, backupPassword, 50076},
		{"classic", backupUPN, "not-the-password", 50126},
		{"classic", "ghost@contoso.onmicrosoft.com", "x", 50034},
		{"ca-mfa-only", backupUPN, backupPassword, 50076},
		{"account-disabled", backupUPN, backupPassword, 50057},
		{"locked-out", backupUPN, backupPassword, 50053},
		{"wrong-password", backupUPN, "Old-Password-2025", 50126},
		{"healthy", backupUPN, backupPassword, 0},
	}
	for _, tc := range cases {
		t.Run(tc.scenario+"/"+tc.password, func(t *testing.T) {
			cachePath := filepath.Join(tempdir.New(t), "msal.json")
			e := newEnv(t, tc.scenario, func(c *graphclient.Config) { c.CachePath = cachePath })
			e.signIn(t)
			err := e.client.CheckPassword(ctxT(t), tc.upn, tc.password)
			if tc.wantCode == 0 {
				if err != nil {
					t.Fatalf("got %v, want success", err)
				}
			} else {
				var ee *graphclient.EntraError
				if !errors.As(err, &ee) || !ee.HasCode(tc.wantCode) {
					t.Fatalf("got %v, want AADSTS%d", err, tc.wantCode)
				}
				if strings.Contains(err.Error(), tc.password) {
					t.Fatalf("the password appears in the error")
				}
			}
			data, _ := os.ReadFile(cachePath)
			if strings.Contains(strings.ToLower(string(data)), "backup@") {
				t.Fatalf("the checked account's tokens reached the token cache")
			}
		})
	}
}

func TestAppPasswordFailsROPC(t *testing.T) {
	e := newEnv(t, "classic")
	e.signIn(t)
	appPassword, err := e.srv.CreateAppPassword(backupUPN)
	if err != nil {
		t.Fatal(err)
	}
	var ee *graphclient.EntraError
	if err := e.client.CheckPassword(ctxT(t), backupUPN, appPassword); !errors.As(err, &ee) || ee.Code() != 50126 {
		t.Fatalf("app password over OAuth: got %v, want AADSTS50126", err)
	}
}
