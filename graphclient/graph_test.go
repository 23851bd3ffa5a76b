package graphclient_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/apppass/apppass/demo"
	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/simcloud"
)

const (
	backupUPN = "backup@contoso.onmicrosoft.com"
	adminUPN  = "admin@contoso.onmicrosoft.com"
)

// graphCall is one graphclient method, the simulator route it hits and a
// check of its successful result against the classic scenario.
type graphCall struct {
	name  string
	route string
	run   func(ctx context.Context, c *graphclient.Client) error
}

func userID(t *testing.T, e *env, upn string) string {
	t.Helper()
	u, err := e.client.User(ctxT(t), upn)
	if err != nil {
		t.Fatalf("User(%s): %v", upn, err)
	}
	return u.ID
}

func expect(cond bool, format string, args ...any) error {
	if !cond {
		return fmt.Errorf(format, args...)
	}
	return nil
}

// allCalls covers every Graph method of the client.
func allCalls(backupID string) []graphCall {
	return []graphCall{
		{"Me", "me", func(ctx context.Context, c *graphclient.Client) error {
			u, err := c.Me(ctx)
			if err != nil {
				return err
			}
			return expect(u.UserPrincipalName == adminUPN && u.AccountEnabled, "Me = %+v", u)
		}},
		{"Organization", "organization", func(ctx context.Context, c *graphclient.Client) error {
			o, err := c.Organization(ctx)
			if err != nil {
				return err
			}
			d, ok := o.DomainOf(backupUPN)
			return expect(ok && d.Type == "Managed" && o.DisplayName == "Contoso Ltd", "Organization = %+v", o)
		}},
		{"MyDirectoryRoles", "myRoles", func(ctx context.Context, c *graphclient.Client) error {
			roles, err := c.MyDirectoryRoles(ctx)
			if err != nil {
				return err
			}
			return expect(slices.ContainsFunc(roles, func(r graphclient.DirectoryRole) bool {
				return r.TemplateID == "0526716b-113d-4c15-b2c8-68e3c22b9f80" && r.DisplayName == "Authentication Policy Administrator"
			}) && len(roles) == 4, "roles = %+v", roles)
		}},
		{"User", "user", func(ctx context.Context, c *graphclient.Client) error {
			u, err := c.User(ctx, backupUPN)
			if err != nil {
				return err
			}
			return expect(u.ID == backupID && u.AccountEnabled && !u.SignInSessionsValidFrom.IsZero() && !u.IsGuest() && !u.Synced(),
				"User = %+v", u)
		}},
		{"MemberOf", "memberOf", func(ctx context.Context, c *graphclient.Client) error {
			m, err := c.MemberOf(ctx, backupID)
			if err != nil {
				return err
			}
			return expect(len(m.GroupIDs) == 1 && len(m.RoleTemplateIDs) == 0, "MemberOf = %+v", m)
		}},
		{"PerUserMFAState", "mfaRequirements", func(ctx context.Context, c *graphclient.Client) error {
			st, err := c.PerUserMFAState(ctx, backupID)
			if err != nil {
				return err
			}
			return expect(st == graphclient.MFAEnabled, "state = %q", st)
		}},
		{"AuthenticationMethods", "authMethods", func(ctx context.Context, c *graphclient.Client) error {
			ms, err := c.AuthenticationMethods(ctx, backupID)
			if err != nil {
				return err
			}
			return expect(len(ms) == 2 && ms[0].Kind == "password" && !ms[0].CanAnswerMFA() &&
				ms[1].Kind == "microsoftAuthenticator" && ms[1].CanAnswerMFA(), "methods = %+v", ms)
		}},
		{"SecurityDefaults", "securityDefaults", func(ctx context.Context, c *graphclient.Client) error {
			on, err := c.SecurityDefaults(ctx)
			if err != nil {
				return err
			}
			return expect(!on, "security defaults on")
		}},
		{"ConditionalAccessPolicies", "caPolicies", func(ctx context.Context, c *graphclient.Client) error {
			ps, err := c.ConditionalAccessPolicies(ctx)
			if err != nil {
				return err
			}
			return expect(len(ps) == 1 && ps[0].State == "enabledForReportingButNotEnforced" &&
				ps[0].GrantControls != nil && slices.Contains(ps[0].GrantControls.BuiltInControls, "mfa") &&
				len(ps[0].Conditions.Users.IncludeRoles) == 1, "policies = %+v", ps)
		}},
		{"SignIns", "signIns", func(ctx context.Context, c *graphclient.Client) error {
			rows, err := c.SignIns(ctx, backupUPN, time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC))
			if err != nil {
				return err
			}
			return expect(len(rows) == 3 && rows[0].Failed() && rows[0].Status.ErrorCode == 50076 &&
				rows[0].ClientAppUsed == "Authenticated SMTP" && len(rows[0].Requirements) == 1 &&
				rows[0].Requirements[0].Provider == "user" && rows[0].Created.After(rows[1].Created), "sign-ins = %+v", rows)
		}},
		{"SharePointSettings", "sharepointSettings", func(ctx context.Context, c *graphclient.Client) error {
			s, err := c.SharePointSettings(ctx)
			if err != nil {
				return err
			}
			return expect(!s.LegacyAuthEnabled, "legacy auth enabled")
		}},
		{"SetPerUserMFAState", "mfaRequirements", func(ctx context.Context, c *graphclient.Client) error {
			return c.SetPerUserMFAState(ctx, backupID, graphclient.MFAEnforced)
		}},
		{"RevokeSignInSessions", "revokeSessions", func(ctx context.Context, c *graphclient.Client) error {
			return c.RevokeSignInSessions(ctx, backupID)
		}},
	}
}

func TestEveryCallSucceeds(t *testing.T) {
	e := newEnv(t, "classic")
	e.signIn(t)
	for _, gc := range allCalls(userID(t, e, backupUPN)) {
		if err := gc.run(ctxT(t), e.client); err != nil {
			t.Errorf("%s: %v", gc.name, err)
		}
	}
}

// faultCase is a simulator fault and what every call must then return.
type faultCase struct {
	fault simcloud.FaultKind
	times int
	check func(err error) bool
	want  string
}

var faultCases = []faultCase{
	{simcloud.FaultMissingRole, 1, graphclient.IsForbidden, "IsForbidden"},
	{simcloud.FaultMissingLicence, 1, graphclient.IsLicenceRequired, "IsLicenceRequired"},
	{simcloud.FaultThrottle, 1, func(err error) bool { return err == nil }, "success after one 429"},
	{simcloud.FaultUnavailable, 2, func(err error) bool { return err == nil }, "success after two 503s"},
	{simcloud.FaultThrottle, 0, func(err error) bool {
		g, ok := graphclient.AsGraphError(err)
		return graphclient.IsThrottled(err) && ok && g.Status == 429 && g.RequestID != ""
	}, "IsThrottled with a request id once retries run out"},
	{simcloud.FaultUnavailable, 0, func(err error) bool {
		return graphclient.IsUnavailable(err) && !graphclient.IsThrottled(err)
	}, "IsUnavailable, not throttling, once retries run out"},
	{simcloud.FaultMalformed, 1, func(err error) bool { return errors.Is(err, graphclient.ErrMalformedResponse) }, "ErrMalformedResponse"},
	{simcloud.FaultEmptyError, 1, func(err error) bool {
		g, ok := graphclient.AsGraphError(err)
		return ok && g.Status == 500 && g.Code == "" && g.Error() != ""
	}, "a GraphError with status 500"},
	{simcloud.FaultDrop, 0, func(err error) bool { return errors.Is(err, graphclient.ErrUnreachable) }, "ErrUnreachable (dropped)"},
	{simcloud.FaultHang, 1, func(err error) bool { return errors.Is(err, graphclient.ErrUnreachable) }, "ErrUnreachable (no answer)"},
	{simcloud.FaultClaimsChallenge, 0, func(err error) bool { return err == nil }, "success after the claims challenge"},
}

func TestEveryCallUnderEveryFault(t *testing.T) {
	ran := 0
	for _, fc := range faultCases {
		// A fresh tenant per fault: the write calls change what the reads expect.
		e := newEnv(t, "classic") // a hang ends on the simulator's signal (testkit)
		e.signIn(t)
		for _, gc := range allCalls(userID(t, e, backupUPN)) {
			if fc.fault == simcloud.FaultMalformed && (gc.name == "SetPerUserMFAState") {
				continue // a 204 has no body to break
			}
			e.srv.ClearFaults()
			if err := e.srv.AddFault(simcloud.Fault{Kind: fc.fault, Endpoint: gc.route, Times: fc.times}); err != nil {
				t.Fatal(err)
			}
			err := gc.run(context.Background(), e.client)
			if !fc.check(err) {
				t.Errorf("%s under %s: got %v, want %s", gc.name, fc.fault, err, fc.want)
			}
			ran++
		}
	}
	t.Logf("ran %d call x fault cases", ran)
}

func TestNotFound(t *testing.T) {
	e := newEnv(t, "classic")
	e.signIn(t)
	missing := "00000000-0000-4000-8000-000000000000"
	checks := map[string]error{}
	_, checks["User"] = e.client.User(ctxT(t), "nobody@contoso.onmicrosoft.com")
	_, checks["MemberOf"] = e.client.MemberOf(ctxT(t), missing)
	_, checks["PerUserMFAState"] = e.client.PerUserMFAState(ctxT(t), missing)
	checks["SetPerUserMFAState"] = e.client.SetPerUserMFAState(ctxT(t), missing, graphclient.MFAEnabled)
	_, checks["AuthenticationMethods"] = e.client.AuthenticationMethods(ctxT(t), missing)
	checks["RevokeSignInSessions"] = e.client.RevokeSignInSessions(ctxT(t), missing)
	for name, err := range checks {
		if !graphclient.IsNotFound(err) || graphclient.RequestID(err) == "" {
			t.Errorf("%s: got %v, want a 404 with a request id", name, err)
		}
	}
}

func TestRolesAndLicencesAreEnforced(t *testing.T) {
	t.Run("admin-lacks-revoke", func(t *testing.T) {
		e := newEnv(t, "admin-lacks-revoke")
		e.signIn(t)
		id := userID(t, e, backupUPN)
		if err := e.client.RevokeSignInSessions(ctxT(t), id); !graphclient.IsForbidden(err) {
			t.Fatalf("revoke without the role: got %v, want forbidden", err)
		}
		if _, err := e.client.PerUserMFAState(ctxT(t), id); err != nil {
			t.Fatalf("reading MFA state with Authentication Policy Administrator: %v", err)
		}
	})
	t.Run("no-p1", func(t *testing.T) {
		e := newEnv(t, "no-p1")
		e.signIn(t)
		if _, err := e.client.ConditionalAccessPolicies(ctxT(t)); !graphclient.IsLicenceRequired(err) {
			t.Errorf("CA without P1: got %v", err)
		}
		if _, err := e.client.SignIns(ctxT(t), backupUPN, time.Time{}); !graphclient.IsLicenceRequired(err) {
			t.Errorf("sign-ins without P1: got %v", err)
		}
	})
	t.Run("end-user scopes", func(t *testing.T) {
		e := newEnv(t, "classic", func(c *graphclient.Config) { c.Scopes = graphclient.EndUserScopes })
		e.signIn(t)
		if _, err := e.client.User(ctxT(t), backupUPN); !graphclient.IsForbidden(err) {
			t.Errorf("User.Read.All not granted: got %v", err)
		}
		me, err := e.client.Me(ctxT(t))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.client.AuthenticationMethods(ctxT(t), me.ID); err != nil {
			t.Errorf("own methods with UserAuthenticationMethod.Read: %v", err)
		}
	})
}

func TestWritesChangeTheTenant(t *testing.T) {
	e := newEnv(t, "classic")
	e.signIn(t)
	id := userID(t, e, backupUPN)
	if err := e.client.SetPerUserMFAState(ctxT(t), id, graphclient.MFAEnforced); err != nil {
		t.Fatal(err)
	}
	if st, err := e.client.PerUserMFAState(ctxT(t), id); err != nil || st != graphclient.MFAEnforced {
		t.Fatalf("read back: %q, %v", st, err)
	}
	before, _ := e.client.User(ctxT(t), id)
	e.clock.Advance(time.Minute) // Graph times have whole seconds
	if err := e.client.RevokeSignInSessions(ctxT(t), id); err != nil {
		t.Fatal(err)
	}
	after, _ := e.client.User(ctxT(t), id)
	if !after.SignInSessionsValidFrom.After(before.SignInSessionsValidFrom) {
		t.Fatalf("signInSessionsValidFromDateTime did not move: %v -> %v", before.SignInSessionsValidFrom, after.SignInSessionsValidFrom)
	}
	if err := e.client.SetPerUserMFAState(ctxT(t), id, "sometimes"); !errors.Is(err, graphclient.ErrMalformedResponse) {
		t.Fatalf("invalid state accepted: %v", err)
	}
}

func TestCallsBeforeSignIn(t *testing.T) {
	e := newEnv(t, "classic")
	if _, err := e.client.Me(ctxT(t)); !errors.Is(err, graphclient.ErrNotSignedIn) {
		t.Fatalf("got %v, want ErrNotSignedIn", err)
	}
}

func TestSignInsFollowPaging(t *testing.T) {
	sc, err := simcloud.LoadScenario("classic")
	if err != nil {
		t.Fatal(err)
	}
	for i := range 120 {
		sc.SignInSeed = append(sc.SignInSeed, simcloud.SeedSignIn{User: backupUPN, ClientAppUsed: "IMAP4", ErrorCode: 50126, MinutesAgo: 200 + i})
	}
	e := newEnvFor(t, sc, demo.Options{})
	e.signIn(t)
	rows, err := e.client.SignIns(ctxT(t), backupUPN, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 123 {
		t.Fatalf("got %d sign-ins over pages of 50, want 123", len(rows))
	}
}
