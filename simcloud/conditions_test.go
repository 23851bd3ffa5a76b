package simcloud

import (
	"strings"
	"testing"
)

// The same "MFA outside trusted locations" policy lets the app through from
// the office and blocks it from elsewhere, and the sign-in log says which
// policy did what, as Graph's appliedConditionalAccessPolicies does.
func TestLocationConditionAndAppliedPolicies(t *testing.T) {
	cases := []struct {
		scenario, reply string
		code            int
		result, status  string
	}{
		{"ca-trusted-locations", smtpCriteria, 50076, "notApplied", "notApplied"},
		{"ca-log-names-policy", smtpCriteria, 53003, "failure", "failure"},
	}
	for _, tc := range cases {
		sc, err := LoadScenario(tc.scenario)
		if err != nil {
			t.Fatal(err)
		}
		srv := New(sc, Options{})
		u := sc.Users[1]
		if got := srv.SMTPAuth(u.UserPrincipalName, u.Password); got != tc.reply {
			t.Errorf("%s: SMTP answered %q, want %q", tc.scenario, got, tc.reply)
		}
		row := srv.dir.signIns[len(srv.dir.signIns)-1]
		if row.ErrorCode != tc.code || row.CAStatus != tc.status {
			t.Errorf("%s: row %d %s, want %d %s", tc.scenario, row.ErrorCode, row.CAStatus, tc.code, tc.status)
		}
		found := false
		for _, a := range row.Applied {
			if strings.HasPrefix(a.DisplayName, "Require MFA outside") {
				found = a.Result == tc.result
			}
		}
		if !found {
			t.Errorf("%s: applied policies %+v lack the location policy with %s", tc.scenario, row.Applied, tc.result)
		}
	}
}

func TestBasicOffAndRefusedReplies(t *testing.T) {
	for setting, want := range map[string]string{SMTPAuthBasicOff: smtpBasicOff, SMTPAuthRemoved: smtpRemoved, SMTPAuthDisabled: smtpTenantDisabled} {
		sc, _ := LoadScenario("classic")
		sc.Tenant.SMTPAuth = setting
		srv := New(sc, Options{})
		if got := srv.SMTPAuth(sc.Account, "whatever"); got != want {
			t.Errorf("%s: %q, want %q", setting, got, want)
		}
	}
	if _, err := ParseScenario([]byte(`{"name":"x","description":"x","asOf":"2026-01-01","admin":"a@x.example","account":"a@x.example",
		"tenant":{"domain":"x.example"},"users":[{"userPrincipalName":"a@x.example","password":"p"}],
		"namedLocations":[{"displayName":"Office","isTrusted":true,"ipRanges":["not-a-range"]}]}`)); err == nil || !strings.Contains(err.Error(), "ipRanges") {
		t.Errorf("a bad ipRanges entry: %v", err)
	}
}
