package simcloud

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func loadFleet(t *testing.T) *Scenario {
	t.Helper()
	sc, err := LoadScenario("fleet")
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// fleetRows groups the log's rows by user id.
func fleetRows(srv *Server) map[string][]signInEntry {
	srv.dir.mu.Lock()
	defer srv.dir.mu.Unlock()
	rows := map[string][]signInEntry{}
	for _, e := range srv.dir.signIns {
		rows[e.UserID] = append(rows[e.UserID], e)
	}
	return rows
}

func TestFleetIsReproducible(t *testing.T) {
	a, b := New(loadFleet(t), Options{}), New(loadFleet(t), Options{})
	if !reflect.DeepEqual(a.scenario.Users, b.scenario.Users) {
		t.Fatal("two loads of the fleet made different users")
	}
	if !reflect.DeepEqual(a.dir.signIns, b.dir.signIns) {
		t.Fatal("two starts of the fleet made different sign-in logs")
	}
	// The seed is the scenario's name: another name, another tenant.
	data, _ := embedded.ReadFile("scenarios/fleet.json")
	renamed, err := ParseScenario([]byte(strings.Replace(string(data), `"name": "fleet"`, `"name": "fleet-2"`, 1)))
	if err != nil {
		t.Fatal(err)
	}
	if reflect.DeepEqual(a.scenario.Users, renamed.Users) {
		t.Fatal("a scenario of another name made the same users")
	}
}

// Each mix of the shipped fleet comes out within a point of its percentage,
// read from what the directory and the log say, not from the generator.
func TestFleetMixes(t *testing.T) {
	sc := loadFleet(t)
	f := sc.Fleet
	srv := New(sc, Options{})
	rows := fleetRows(srv)
	type account struct {
		u    *userState
		rows []signInEntry
	}
	var accounts []account
	for _, app := range sc.fleetApps {
		u := srv.dir.byUPN(app.upn)
		accounts = append(accounts, account{u, rows[u.ID]})
	}
	if len(accounts) != f.Accounts {
		t.Fatalf("%d accounts, want %d", len(accounts), f.Accounts)
	}
	share := func(keep func(a account) bool) float64 {
		n := 0
		for _, a := range accounts {
			if keep(a) {
				n++
			}
		}
		return 100 * float64(n) / float64(len(accounts))
	}
	type mix struct {
		name string
		want int
		got  float64
	}
	var mixes []mix
	for protocol, want := range f.Protocols {
		mixes = append(mixes, mix{"protocol " + protocol, want, share(func(a account) bool { return a.rows[0].ClientAppUsed == protocol })})
	}
	for state, want := range f.PerUserMFA {
		mixes = append(mixes, mix{"per-user MFA " + state, want, share(func(a account) bool { return a.u.PerUserMFAState == state })})
	}
	for group, want := range f.Groups {
		mixes = append(mixes, mix{"group " + group, want, share(func(a account) bool { return slices.Contains(a.u.Groups, group) })})
	}
	for code, want := range f.Failures {
		mixes = append(mixes, mix{fmt.Sprint("failure ", code), want, share(func(a account) bool { return a.rows[0].ErrorCode == code })})
	}
	mixes = append(mixes, mix{"registered", f.Registered, share(func(a account) bool { return a.u.registered() })})
	for _, m := range mixes {
		if math.Abs(m.got-float64(m.want)) > 1 {
			t.Errorf("%s: %.1f%% of accounts, want %d%%", m.name, m.got, m.want)
		}
	}

	total, end := 0, sc.AsOfTime()
	start := end.Add(-time.Duration(f.Days) * 24 * time.Hour)
	for _, a := range accounts {
		total += len(a.rows)
		if n := len(a.rows); n < 1 || n > 2*f.SignInsPerAccount-1 {
			t.Errorf("%s: %d sign-ins, want 1 to %d", a.u.UserPrincipalName, n, 2*f.SignInsPerAccount-1)
		}
		for _, e := range a.rows {
			if e.Created.Before(start) || !e.Created.Before(end) || e.ClientAppUsed != a.rows[0].ClientAppUsed {
				t.Fatalf("%s: row %+v outside the fleet's days or of another protocol", a.u.UserPrincipalName, e)
			}
		}
	}
	if total != f.Accounts*f.SignInsPerAccount {
		t.Errorf("%d sign-ins, want %d", total, f.Accounts*f.SignInsPerAccount)
	}
}

// Every generated account is a user of the directory and every row names
// one; each row's outcome is what the shipped fleet's state says, worked
// out here independently of the simulator.
func TestFleetLogAgreesWithDirectory(t *testing.T) {
	sc := loadFleet(t)
	srv := New(sc, Options{})
	rows := fleetRows(srv)
	exceptions := "Legacy authentication exceptions"
	for _, app := range sc.fleetApps {
		u := srv.dir.byUPN(app.upn)
		if u == nil || srv.dir.users[u.ID] != u {
			t.Fatalf("%s is not a user of the directory", app.upn)
		}
		want := 0
		switch {
		case u.LockedOut:
			want = 50053
		case !u.enabled():
			want = 50057
		case app.wrongPassword:
			want = 50126
		case u.PasswordExpired:
			want = 50055
		case !slices.Contains(u.Groups, exceptions):
			want = 53003 // "Block legacy authentication" covers everyone else
		case u.PerUserMFAState == MFAEnforced || u.PerUserMFAState == MFAEnabled && u.registered():
			want = 50076
		}
		if len(rows[u.ID]) != app.signIns {
			t.Fatalf("%s: %d rows, want %d", app.upn, len(rows[u.ID]), app.signIns)
		}
		for _, e := range rows[u.ID] {
			var block AppliedPolicy
			if i := slices.IndexFunc(e.Applied, func(a AppliedPolicy) bool { return a.DisplayName == "Block legacy authentication" }); i >= 0 {
				block = e.Applied[i]
			}
			switch {
			case firstFactorFailure(want) && (e.CAStatus != "notApplied" || len(e.Applied) != 0):
				t.Fatalf("%s: first-factor failure %d logged with Conditional Access %s %+v", app.upn, want, e.CAStatus, e.Applied)
			case e.UPN != u.UserPrincipalName || e.DisplayName != u.DisplayName:
				t.Fatalf("%s: row names %s (%s)", app.upn, e.UPN, e.DisplayName)
			case e.ErrorCode != want:
				t.Fatalf("%s (%s, %s, groups %v): code %d, want %d", app.upn, app.clientApp, u.PerUserMFAState, u.Groups, e.ErrorCode, want)
			case e.Reason != failureReasons[e.ErrorCode]:
				t.Fatalf("%s: reason %q for %d", app.upn, e.Reason, e.ErrorCode)
			case (e.CAStatus == "failure") != (want == 53003) || (block.Result == "failure") != (want == 53003):
				t.Fatalf("%s: code %d with conditionalAccessStatus %s and %+v", app.upn, want, e.CAStatus, block)
			case want == 50076 && e.MFAProvider != "user":
				t.Fatalf("%s: 50076 without per-user MFA named: %q", app.upn, e.MFAProvider)
			}
		}
	}
	for id, rs := range rows {
		if srv.dir.users[id] == nil {
			t.Fatalf("%d rows of an unknown user id %s", len(rs), id)
		}
	}
}

// A generated account answers on the same endpoints as a hand-written one.
func TestFleetAccountsServeLikeHandWritten(t *testing.T) {
	c := startClient(t, "fleet")
	sc := c.srv.Scenario()
	picked := map[string]fleetApp{} // one account of each kind
	for _, app := range sc.fleetApps {
		u := c.srv.dir.byUPN(app.upn)
		kind := fmt.Sprint(app.clientApp, u.PerUserMFAState, u.registered(), u.enabled(), app.wrongPassword, len(u.Groups))
		if _, ok := picked[kind]; !ok && len(picked) < 12 {
			picked[kind] = app
		}
	}
	for _, app := range picked {
		u := c.srv.dir.byUPN(app.upn)
		user := c.graph("GET", "/v1.0/users/"+u.ID+"?$select=id,userPrincipalName,accountEnabled", nil)
		if user.json["userPrincipalName"] != u.UserPrincipalName || user.json["accountEnabled"] != u.enabled() {
			t.Errorf("%s: /users/{id} = %s", app.upn, user.raw)
		}
		methods := c.graph("GET", "/v1.0/users/"+u.ID+"/authentication/methods", nil)
		if got, _ := methods.json["value"].([]any); len(got) != len(u.Methods) {
			t.Errorf("%s: methods %s, want %v", app.upn, methods.raw, u.Methods)
		}
		state := c.graph("GET", "/beta/users/"+u.ID+"/authentication/requirements", nil)
		if state.json["perUserMfaState"] != u.PerUserMFAState {
			t.Errorf("%s: requirements %s, want %s", app.upn, state.raw, u.PerUserMFAState)
		}
		groups := c.graph("GET", "/v1.0/users/"+u.ID+"/transitiveMemberOf", nil)
		if got, _ := groups.json["value"].([]any); len(got) != len(u.Groups) {
			t.Errorf("%s: transitiveMemberOf %s, want %v", app.upn, groups.raw, u.Groups)
		}
		log := c.graph("GET", betaLogPath("userPrincipalName eq '"+app.upn+"' and "+bothKinds), nil)
		value, _ := log.json["value"].([]any)
		if len(value) != app.signIns {
			t.Fatalf("%s: %d rows in the log, want %d", app.upn, len(value), app.signIns)
		}
		row := value[0].(map[string]any)
		code := row["status"].(map[string]any)["errorCode"].(float64)
		providers, _ := row["authenticationRequirementPolicies"].([]any)
		perUser := slices.ContainsFunc(providers, func(p any) bool { return p.(map[string]any)["requirementProvider"] == "user" })
		if row["userId"] != u.ID || code == 50076 && !perUser {
			t.Errorf("%s: row %v", app.upn, row)
		}
	}
}

// A fleet written back out and read again is the same tenant, not twice
// the accounts.
func TestFleetRoundTrip(t *testing.T) {
	sc := loadFleet(t)
	data, err := json.Marshal(sc)
	if err != nil {
		t.Fatal(err)
	}
	again, err := ParseScenario(data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(sc.Users, again.Users) || !reflect.DeepEqual(New(sc, Options{}).dir.signIns, New(again, Options{}).dir.signIns) {
		t.Fatal("the fleet read back differs")
	}
}

// smallFleet is a scenario with a fleet section to vary.
const smallFleet = `{
  "name": "small-fleet", "description": "x", "asOf": "2026-11-21",
  "admin": "it@fabrikam.example", "account": "svc-0001@fabrikam.example",
  "tenant": {"domain": "fabrikam.example", "entraP1": true, "smtpAuth": "%s"},
  "users": [{"userPrincipalName": "it@fabrikam.example", "password": "x", "roles": ["Global Reader"]}],
  "groups": [{"displayName": "Exceptions"}],
  "fleet": {%s}
}`

func TestFleetErrors(t *testing.T) {
	const good = `"accounts": 10, "signInsPerAccount": 3, "days": 7, "protocols": {"IMAP4": 100}`
	if sc, err := ParseScenario(fmt.Appendf(nil, smallFleet, "enabled", good)); err != nil || len(sc.Users) != 11 {
		t.Fatalf("the base fleet: %v", err)
	}
	cases := []struct{ smtp, fleet, want string }{
		{"enabled", `"accounts": 0, "signInsPerAccount": 3, "days": 7, "protocols": {"IMAP4": 100}`, "accounts must be from 1"},
		{"enabled", `"accounts": 10, "signInsPerAccount": 0, "days": 7, "protocols": {"IMAP4": 100}`, "signInsPerAccount must be from 1"},
		{"enabled", `"accounts": 100000, "signInsPerAccount": 20, "days": 7, "protocols": {"IMAP4": 100}`, "at most 500000"},
		{"enabled", `"accounts": 10, "signInsPerAccount": 3, "days": 31, "protocols": {"IMAP4": 100}`, "days must be from 1 to 30"},
		{"enabled", `"accounts": 10, "signInsPerAccount": 3, "days": 7, "protocols": {"IMAP4": 90}`, "protocols must add up to 100, not 90"},
		{"enabled", `"accounts": 10, "signInsPerAccount": 3, "days": 7, "protocols": {"SMTP": 100}`, `protocols: unknown "SMTP"`},
		{"enabled", `"accounts": 10, "signInsPerAccount": 3, "days": 7, "protocols": {"Browser": 100}`, `protocols: unknown "Browser"`},
		{"enabled", `"accounts": 10, "signInsPerAccount": 3, "days": 7, "protocols": {"IMAP4": 100, "POP3": -10}`, "POP3 must be a percentage"},
		{"enabled", good + `, "perUserMfa": {"enabled": 60, "enforced": 30}`, "perUserMfa must add up to 100, not 90"},
		{"enabled", good + `, "perUserMfa": {"on": 100}`, `perUserMfa: unknown "on"`},
		{"enabled", good + `, "registered": 101`, "registered must be a percentage"},
		{"enabled", good + `, "groups": {"Nobody": 10}`, `"Nobody" is not one of the scenario's groups`},
		{"enabled", good + `, "groups": {"Exceptions": -1}`, "Exceptions must be a percentage"},
		{"enabled", good + `, "failures": {"50076": 10}`, `failures: unknown "50076"`},
		{"enabled", good + `, "failures": {"53003": 10}`, `failures: unknown "53003"`},
		{"enabled", good + `, "failures": {"50126": 60, "50057": 50}`, "failures must add up to at most 100, not 110"},
		{"enabled", good + `, "servers": 3`, "unknown field"},
		{"disabled", `"accounts": 10, "signInsPerAccount": 3, "days": 7, "protocols": {"Authenticated SMTP": 100}`, "only while tenant.smtpAuth is enabled"},
	}
	for _, tc := range cases {
		t.Run(tc.want, func(t *testing.T) {
			_, err := ParseScenario(fmt.Appendf(nil, smallFleet, tc.smtp, tc.fleet))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error about %q", err, tc.want)
			}
		})
	}
}
