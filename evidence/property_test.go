package evidence

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/internal/testkit"
	"github.com/apppass/apppass/simcloud"
)

// graphFaults are the fault kinds that can hit a Graph read (the device-code
// kinds act on sign-in only).
var graphFaults = []simcloud.FaultKind{
	simcloud.FaultLatency, simcloud.FaultThrottle, simcloud.FaultUnavailable, simcloud.FaultHang, simcloud.FaultDrop,
	simcloud.FaultMalformed, simcloud.FaultEmptyError, simcloud.FaultMissingRole, simcloud.FaultMissingLicence,
	simcloud.FaultClaimsChallenge,
}

// readRoutes are the Graph routes a diagnosis reads.
var readRoutes = []string{"", "organization", "myRoles", "user", "memberOf", "mfaRequirements", "authMethods",
	"securityDefaults", "caPolicies", "namedLocations", "signIns", "sharepointSettings"}

// sameOrUnknown is the first rule: whatever failed, the answer is the one
// full evidence gives, or "unknown" — never another confident answer.
func sameOrUnknown(t *testing.T, what string, clean, got diagnose.Report) {
	t.Helper()
	if got.AppPasswordCanHelp != clean.AppPasswordCanHelp && got.AppPasswordCanHelp != diagnose.AnswerUnknown {
		t.Errorf("%s: answer %q, fault-free %q (cause: %s)", what, got.AppPasswordCanHelp, clean.AppPasswordCanHelp, got.Cause)
	}
	if got.AppPasswordCanHelp == diagnose.AnswerUnknown && len(got.Settle) == 0 {
		t.Errorf("%s: unknown without saying what would settle it", what)
	}
}

// TestVerdictUnderEveryFault puts every Graph fault kind on every route the
// diagnosis reads, and on all of them at once, for every shipped scenario
// and service, through the real MSAL and SDK code paths. Without
// testkit.Exhaustive it puts every kind on all routes at once, for every
// scenario's own service, and one by one on the classic scenario's routes.
func TestVerdictUnderEveryFault(t *testing.T) {
	all, err := simcloud.Scenarios()
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range all {
		t.Run(sc.Name, func(t *testing.T) {
			t.Parallel() // each scenario has its own simulated cloud
			srv, client := signedIn(t, sc)
			gather := func(service diagnose.Service) diagnose.Report {
				// No per-check clock: a hang ends on the simulator's signal (testkit).
				req := Request{UPN: sc.Account, Service: service, Now: srv.Now(), PerCheckTimeout: testkit.Patience(t)}
				return diagnose.Diagnose(Gather(context.Background(), client, req, nil))
			}
			for _, service := range diagnose.Services {
				own := string(service) == sc.Service
				if !own && !testkit.Exhaustive() {
					continue
				}
				clean := gather(service)
				routes := readRoutes[:1] // all routes at once for every service
				if own && (testkit.Exhaustive() || sc.Name == "classic") {
					routes = readRoutes // and one by one
				}
				for _, kind := range graphFaults {
					for _, route := range routes {
						srv.ClearFaults()
						if err := srv.AddFault(simcloud.Fault{Kind: kind, Endpoint: route, DelayMS: 1}); err != nil {
							t.Fatal(err)
						}
						sameOrUnknown(t, fmt.Sprintf("%s %s on %q", service, kind, route), clean, gather(service))
					}
				}
				srv.ClearFaults()
			}
		})
	}
}

// failedAs returns the ways a read can come back without an answer.
var failedAs = []diagnose.Status{diagnose.StatusFailed, diagnose.StatusDenied, diagnose.StatusLicence}

// knock replaces one check of the evidence with a failed read.
func knock(ev diagnose.Evidence, c diagnose.Check, s diagnose.Status) diagnose.Evidence {
	switch c {
	case diagnose.CheckAccount:
		ev.Account = diagnose.Item[diagnose.Account]{Status: s, Missing: "x", Err: "x"}
	case diagnose.CheckRoles:
		ev.CallerRoles, ev.RolesRead = nil, diagnose.Item[int]{Status: s, Missing: "x", Err: "x"}
	case diagnose.CheckPerUserMFA:
		ev.PerUserMFA = diagnose.Item[string]{Status: s, Missing: "x", Err: "x"}
	case diagnose.CheckMethods:
		ev.Methods = diagnose.Item[[]string]{Status: s, Missing: "x", Err: "x"}
	case diagnose.CheckSecurityDefaults:
		ev.SecurityDefaults = diagnose.Item[bool]{Status: s, Missing: "x", Err: "x"}
	case diagnose.CheckConditional:
		ev.Policies = diagnose.Item[[]diagnose.CAPolicy]{Status: s, Missing: "x", Err: "x"}
		ev.NamedLocations = diagnose.Item[[]diagnose.NamedLocation]{Status: s, Missing: "x", Err: "x"}
	case diagnose.CheckMembership:
		ev.Membership = diagnose.Item[diagnose.Membership]{Status: s, Missing: "x", Err: "x"}
	case diagnose.CheckSignIns:
		ev.SignIns = diagnose.Item[[]diagnose.SignIn]{Status: s, Missing: "x", Err: "x"}
	case diagnose.CheckSharePoint:
		ev.SharePointLegacy = diagnose.Item[bool]{Status: s, Missing: "x", Err: "x"}
	case diagnose.CheckExchange:
		ev.Exchange = diagnose.Item[diagnose.ExchangeSwitches]{Status: s, Missing: "x", Err: "x"}
	}
	return ev
}

// TestVerdictUnderEveryMissingCheck knocks out every check, every pair of
// checks and all of them, each way a read can fail, from every scenario's
// real evidence: the property holds for combinations no fault produces.
// Pairs run with testkit.Exhaustive.
func TestVerdictUnderEveryMissingCheck(t *testing.T) {
	all, err := simcloud.Scenarios()
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range all {
		t.Run(sc.Name, func(t *testing.T) {
			srv, client := signedIn(t, sc)
			for _, service := range diagnose.Services {
				full := Gather(context.Background(), client, Request{UPN: sc.Account, Service: service, Now: srv.Now()}, nil)
				clean := diagnose.Diagnose(full)
				checks := append(slices.Clone(diagnose.Checks), diagnose.CheckExchange)
				for _, s := range failedAs {
					everything := full
					for i, a := range checks {
						everything = knock(everything, a, s)
						sameOrUnknown(t, fmt.Sprintf("%s %s %s", service, a, s), clean, diagnose.Diagnose(knock(full, a, s)))
						if !testkit.Exhaustive() {
							continue // pairs: the exhaustive run
						}
						for _, b := range checks[i+1:] {
							sameOrUnknown(t, fmt.Sprintf("%s %s+%s %s", service, a, b, s), clean, diagnose.Diagnose(knock(knock(full, a, s), b, s)))
						}
					}
					sameOrUnknown(t, fmt.Sprintf("%s all %s", service, s), clean, diagnose.Diagnose(everything))
				}
			}
		})
	}
}
