package simcloud

import (
	"strings"
	"testing"
	"time"
)

func newServer(t *testing.T, name string) *Server {
	t.Helper()
	sc, err := LoadScenario(name)
	if err != nil {
		t.Fatal(err)
	}
	return New(sc, Options{})
}

const backup = "backup@contoso.onmicrosoft.com"

func TestMFAStateTransitions(t *testing.T) {
	cases := []struct {
		registered bool
		set, want  string
	}{
		{true, MFAEnabled, MFAEnforced}, // Entra enforces at once once a method is registered
		{false, MFAEnabled, MFAEnabled},
		{false, MFAEnforced, MFAEnforced},
		{true, MFADisabled, MFADisabled},
	}
	for _, tc := range cases {
		srv := newServer(t, "wrong-password") // backup: disabled, password only
		srv.dir.mu.Lock()
		u := srv.dir.byUPN(backup)
		if tc.registered {
			u.Methods = append(u.Methods, "phone")
		}
		u.setMFAState(tc.set)
		srv.dir.mu.Unlock()
		if got, _ := srv.User(backup); got.PerUserMFAState != tc.want {
			t.Errorf("registered=%v set %s: got %s, want %s", tc.registered, tc.set, got.PerUserMFAState, tc.want)
		}
	}
}

func TestAppPasswordCreation(t *testing.T) {
	t.Run("classic", func(t *testing.T) {
		srv := newServer(t, "classic")
		pw, err := srv.CreateAppPassword(backup)
		if err != nil {
			t.Fatal(err)
		}
		if len(pw) != 16 || strings.Trim(pw, "abcdefghijklmnopqrstuvwxyz") != "" {
			t.Fatalf("app password %q is not 16 lowercase letters", pw)
		}
		if u, _ := srv.User(backup); u.AppPasswords != 1 || u.PerUserMFAState != MFAEnforced {
			t.Fatalf("after creation: %+v", u)
		}
	})
	t.Run("unregistered owner registers first", func(t *testing.T) {
		srv := newServer(t, "wrong-password")
		srv.dir.mu.Lock()
		srv.dir.byUPN(backup).PerUserMFAState = MFAEnabled
		srv.dir.mu.Unlock()
		if _, err := srv.CreateAppPassword(backup); err != nil {
			t.Fatal(err)
		}
		if u, _ := srv.User(backup); u.PerUserMFAState != MFAEnforced || len(u.Methods) != 2 {
			t.Fatalf("after registering: %+v", u)
		}
	})
	refusals := map[string]string{
		"app-passwords-off": "does not allow users to create app passwords",
		"ca-mfa-only":       "per-user MFA is disabled",
	}
	for scenario, want := range refusals {
		if _, err := newServer(t, scenario).CreateAppPassword(backup); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want %q", scenario, err, want)
		}
	}
	t.Run("limit of 40", func(t *testing.T) {
		srv := newServer(t, "classic")
		for i := range maxAppPasswords {
			if _, err := srv.CreateAppPassword(backup); err != nil {
				t.Fatalf("password %d: %v", i+1, err)
			}
		}
		if _, err := srv.CreateAppPassword(backup); err == nil || !strings.Contains(err.Error(), "maximum") {
			t.Fatalf("41st app password: %v", err)
		}
	})
}

func TestSMTPDecisionMatrix(t *testing.T) {
	const password = "Backup-Sim-2026!"
	const (
		ok       = "235 2.7.0"
		badCreds = "535 5.7.3 "
		criteria = "535 5.7.139 Authentication unsuccessful, the request did not meet"
		secDef   = "535 5.7.139 Authentication unsuccessful, user is locked by your organization's security defaults"
		noAppPw  = "(no app password)"
	)
	cases := []struct {
		scenario                  string
		password, appPassword     string // expected reply prefixes
		passwordCode, appPassCode int    // sign-in log codes
	}{
		{"classic", criteria, ok, 50076, 0},
		{"no-p1", criteria, ok, 50076, 0},
		{"admin-lacks-revoke", criteria, ok, 50076, 0},
		{"sharepoint-retired", criteria, ok, 50076, 0},
		{"app-passwords-off", criteria, noAppPw, 50076, 0},
		{"ca-mfa-only", criteria, noAppPw, 53003, 0},
		{"security-defaults", secDef, noAppPw, 530035, 0},
		{"ca-blocks-legacy", criteria, criteria, 53003, 53003},
		{"account-disabled", badCreds, noAppPw, 50057, 0},
		{"locked-out", badCreds, noAppPw, 50053, 0},
		{"healthy", ok, noAppPw, 0, 0},
	}
	for _, tc := range cases {
		t.Run(tc.scenario, func(t *testing.T) {
			srv := newServer(t, tc.scenario)
			assertSMTP(t, srv, password, tc.password, tc.passwordCode)
			wrongCode := 50126
			if tc.passwordCode == 50057 || tc.passwordCode == 50053 {
				wrongCode = tc.passwordCode // the account's state is checked before the secret
			}
			assertSMTP(t, srv, "wrong", badCreds, wrongCode)
			pw, err := srv.CreateAppPassword(backup)
			if tc.appPassword == noAppPw {
				if err == nil {
					t.Fatalf("an app password could be created")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			assertSMTP(t, srv, pw, tc.appPassword, tc.appPassCode)
		})
	}
	t.Run("wrong-password", func(t *testing.T) {
		srv := newServer(t, "wrong-password")
		assertSMTP(t, srv, password, ok, 0)
	})
	for state, want := range map[string]string{
		SMTPAuthDisabled: "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant",
		SMTPAuthRemoved:  "550 5.7.30 Basic authentication is not supported for Client Submission.",
	} {
		srv := newServer(t, "healthy")
		srv.scenario.Tenant.SMTPAuth = state
		if got := srv.SMTPAuth(backup, password); !strings.HasPrefix(got, want) {
			t.Errorf("tenant %s: %s", state, got)
		}
	}
	srv := newServer(t, "healthy")
	srv.dir.users[srv.scenario.userID(backup)].SMTPAuthDisabled = true
	if got := srv.SMTPAuth(backup, password); !strings.Contains(got, "disabled for the Mailbox") {
		t.Errorf("mailbox switch: %s", got)
	}
}

// assertSMTP checks the reply and that the sign-in log got a row with the code.
func assertSMTP(t *testing.T, srv *Server, secret, wantPrefix string, wantCode int) {
	t.Helper()
	before := len(srv.dir.signIns)
	if got := srv.SMTPAuth(backup, secret); !strings.HasPrefix(got, wantPrefix) {
		t.Fatalf("secret %q: got %q, want %q", secret, got, wantPrefix)
	}
	if len(srv.dir.signIns) != before+1 {
		t.Fatalf("no sign-in log row")
	}
	row := srv.dir.signIns[len(srv.dir.signIns)-1]
	if row.ErrorCode != wantCode || row.ClientAppUsed != "Authenticated SMTP" {
		t.Fatalf("log row %+v, want code %d", row, wantCode)
	}
}

func TestRevokeMovesTimestampAndKillsRefreshTokens(t *testing.T) {
	c := startClient(t, "classic")
	before, _ := c.srv.User(backup)
	c.clock.Advance(time.Minute)
	resp := c.graph("POST", "/v1.0/users/"+backup+"/revokeSignInSessions", nil)
	if resp.status != 200 || resp.json["value"] != true {
		t.Fatalf("revoke: %+v", resp)
	}
	after, _ := c.srv.User(backup)
	if !after.SessionsValidFrom.After(before.SessionsValidFrom) {
		t.Fatalf("timestamp did not move")
	}
	// The admin's own refresh token survives another user's revoke...
	if r := c.refresh(); r.status != 200 {
		t.Fatalf("admin refresh after revoking someone else: %+v", r)
	}
	// ...but not a revoke of the admin.
	c.clock.Advance(time.Minute)
	c.graph("POST", "/v1.0/users/admin@contoso.onmicrosoft.com/revokeSignInSessions", nil)
	r := c.refresh()
	if r.status != 400 || !strings.Contains(r.raw, "50173") {
		t.Fatalf("refresh after own revoke: %+v", r)
	}
}

func TestClockIsSettable(t *testing.T) {
	sc, err := LoadScenario("classic")
	if err != nil {
		t.Fatal(err)
	}
	clock := NewManualClock(sc.AsOfTime())
	srv := New(sc, Options{Clock: clock.Now, ApproveAfter: time.Minute})
	start := srv.Now()
	clock.Advance(90 * time.Minute)
	if got := srv.Now().Sub(start); got != 90*time.Minute {
		t.Fatalf("the simulated clock moved %v, want 90m", got)
	}
}

// The KB's second article: Enabled, yet no App password option, until
// per-user MFA is disabled and enabled again.
func TestHiddenAppPasswordOptionClearsOnDisable(t *testing.T) {
	srv := newServer(t, "option-missing")
	if _, err := srv.CreateAppPassword(backup); err == nil || !strings.Contains(err.Error(), "not offered") {
		t.Fatalf("create with the option hidden: %v", err)
	}
	srv.dir.mu.Lock()
	u := srv.dir.byUPN(backup)
	u.setMFAState(MFADisabled)
	u.setMFAState(MFAEnabled)
	srv.dir.mu.Unlock()
	if _, err := srv.CreateAppPassword(backup); err != nil {
		t.Fatalf("after disable and re-enable: %v", err)
	}
}
