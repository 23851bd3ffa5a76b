package simcloud

import (
	"fmt"
	"strings"
	"testing"
)

// FuzzParseScenario: no input makes the loader panic, and what it accepts
// is a complete scenario whose enums hold known values.
func FuzzParseScenario(f *testing.F) {
	classic, _ := embedded.ReadFile("scenarios/classic.json")
	f.Add(classic)
	f.Add([]byte(fromScratch))
	f.Add([]byte(`{"name":"x","asOf":"2026-01-01","tenant":{"domain":"a.b"},"users":[{"userPrincipalName":"a@a.b"}],"admin":"a@a.b","account":"a@a.b"} {}`))
	f.Add([]byte(`{"name":"x","service":"bogus"}`))
	f.Add(fmt.Appendf(nil, smallFleet, "enabled", `"accounts": 3, "signInsPerAccount": 2, "days": 1, "protocols": {"IMAP4": 100}, "failures": {"50126": 50}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := ParseScenario(data)
		if err != nil {
			return
		}
		if sc.Name == "" || sc.AsOfTime().IsZero() || sc.Tenant.Domain == "" || sc.Tenant.ID == "" {
			t.Fatalf("accepted an incomplete scenario: %+v", sc)
		}
		if sc.Service != "" && !strings.Contains(" smtp sharepoint exchange other ", " "+sc.Service+" ") {
			t.Fatalf("accepted service %q", sc.Service)
		}
		for _, fl := range sc.Faults {
			if fl.Times < 0 || fl.DelayMS < 0 {
				t.Fatalf("accepted a negative fault count: %+v", fl)
			}
		}
		if fl := sc.Fleet; fl != nil && (len(sc.fleetApps) != fl.Accounts || sc.userID(sc.fleetApps[0].upn) == "") {
			t.Fatalf("a fleet of %d made %d accounts", fl.Accounts, len(sc.fleetApps))
		}
		for _, s := range sc.SignInSeed {
			if s.MinutesAgo < 0 || s.ErrorCode < 0 {
				t.Fatalf("accepted a negative sign-in row: %+v", s)
			}
		}
	})
}

// FuzzParseFault: no spec makes the parser panic; what it accepts is a
// known kind on an endpoint where it takes effect, with TIMES written in
// plain decimal digits.
func FuzzParseFault(f *testing.F) {
	for _, s := range []string{"throttle:signIns:2", "latency:me:0x10", "throttle:me:3abc", "hang:batch:1", "unavailable:token", "::", "throttle::0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		fl, err := ParseFault(spec)
		if err != nil {
			return
		}
		if fl.validate() != nil || fl.Times < 0 || fl.Times > maxFaultTimes {
			t.Fatalf("accepted %q as %+v", spec, fl)
		}
		parts := strings.Split(spec, ":")
		if len(parts) == 3 && strings.Trim(parts[2], "0123456789") != "" {
			t.Fatalf("accepted TIMES %q", parts[2])
		}
	})
}
