package wizard

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/apppass/apppass/internal/testkit"
	"github.com/apppass/apppass/journal"
	"github.com/apppass/apppass/simcloud"
)

// liveCall is one screen's live call: how to get just before it, which
// endpoints it uses, the key that makes it, what success looks like, and
// the key that retries it.
type liveCall struct {
	name      string
	reach     func(h *harness)
	endpoints []string
	trigger   string
	ok        string
	retry     string
}

var liveCalls = []liveCall{
	{"sign-in: profile", func(h *harness) {
		h.waitFor("Whose connection is it?")
		h.press("down", "enter")
		h.waitFor("Waiting for you to sign in")
	}, []string{"me", "organization"}, "a", "Signed in", "r"},
	{"connection: account lookup", func(h *harness) { h.signInAsAdmin() }, []string{"user"}, "enter", "Can an app password fix this?", "enter"},
	{"diagnosis: checks", func(h *harness) { h.signInAsAdmin() },
		[]string{"mfaRequirements", "authMethods", "securityDefaults", "caPolicies", "signIns", "memberOf"}, "enter", "3 failed of 3", "r"},
	{"enforce: read", func(h *harness) {
		h.toDiagnosis()
		h.press("enter")
		h.waitFor("tenant setting · no API")
	}, []string{"mfaRequirements"}, "y", "Make this change? [y/N]", "r"},
	{"enforce: write", func(h *harness) { h.toEnforce() }, []string{"mfaRequirements"}, "y", "Verified:", "r"},
	{"sign-out: read", func(h *harness) {
		h.toEnforce()
		h.press("y")
		h.waitFor("Verified")
	}, []string{"user"}, "enter", "Sign the account out everywhere?", "r"},
	{"sign-out: write", func(h *harness) {
		h.toEnforce()
		h.press("y")
		h.waitFor("Verified")
		h.press("enter")
		h.waitFor("Sign the account out everywhere?")
	}, []string{"revokeSessions"}, "y", "sign-in sessions: valid from", "r"},
}

// faultsThatFail end in an error screen; the others only slow the call.
var faultsThatFail = []simcloud.FaultKind{simcloud.FaultThrottle, simcloud.FaultUnavailable, simcloud.FaultHang,
	simcloud.FaultDrop, simcloud.FaultMalformed, simcloud.FaultEmptyError, simcloud.FaultMissingRole, simcloud.FaultMissingLicence}

var faultsThatPass = []simcloud.FaultKind{simcloud.FaultLatency, simcloud.FaultClaimsChallenge}

// nextStep is the wording every error screen must offer.
var nextStep = []string{"press r to retry", "Press r to retry", "Ask an admin", "ask your admin", "enter again", "try again", "press r to read it again"}

func TestFaultMatrix(t *testing.T) {
	cases := 0
	faults := append(append([]simcloud.FaultKind{}, faultsThatFail...), faultsThatPass...)
	for i, call := range liveCalls {
		for j, fault := range faults {
			if !testkit.Exhaustive() && (i+j)%3 != 0 {
				continue // a third, on a diagonal: every call and every fault still meet
			}
			t.Run(call.name+"/"+string(fault), func(t *testing.T) {
				h := newHarnessWith(t, &testLauncher{t: t, dir: t.TempDir()}, "classic")
				call.reach(h)
				for _, ep := range call.endpoints {
					// Latency only slows a call down: no clock turns it into a failure.
					h.launcher.srv.AddFault(simcloud.Fault{Kind: fault, Endpoint: ep, DelayMS: 50})
				}
				h.press(call.trigger)
				if isPassing(fault) {
					h.waitFor(call.ok)
					return
				}
				h.waitForAny(problemMarks...)
				if call.name == "diagnosis: checks" {
					h.waitFor("fix this?") // checks fail one by one; retry comes with the verdict
				}
				frame := h.frame()
				if !containsAny(frame, nextStep) && !strings.Contains(frame, "needs ") {
					t.Fatalf("no next step in the error:\n%s", frame)
				}
				// A write that got no answer may have landed: its outcome is
				// unknown and stays to be re-read; any other failure is final.
				// A write Graph accepted but whose read-back failed is unknown too.
				left, err := h.m.env.Journal.Unfinished()
				noAnswer := fault == simcloud.FaultHang || fault == simcloud.FaultDrop
				isWrite := strings.Contains(call.name, "write")
				if err != nil || (!isWrite && len(left) > 0) || (isWrite && noAnswer && len(left) == 0) ||
					(len(left) > 0 && !strings.Contains(frame, "? Unknown")) {
					t.Fatalf("journal left unfinished: %+v %v; frame:\n%s", left, err, frame)
				}
				for _, ch := range left {
					if ch.Outcome != journal.Unknown {
						t.Fatalf("an unanswered write is journaled %q, want unknown", ch.Outcome)
					}
				}
				h.launcher.srv.ClearFaults()
				h.press(call.retry)
				if call.name == "sign-in: profile" {
					h.waitFor("Waiting for you to sign in") // a retry starts a new sign-in
					h.press("a")
				}
				if call.name == "enforce: write" || call.name == "sign-out: write" {
					h.waitFor("[y/N]") // retry re-reads first, then asks again
					h.press("y")
				}
				h.waitFor(call.ok)
			})
			cases++
		}
	}
	t.Logf("fault matrix: %d screen calls x %d faults = %d cases", len(liveCalls), len(faultsThatFail)+len(faultsThatPass), cases)
}

// problemMarks show a check or a call went wrong.
var problemMarks = []string{"✗", "could not check", "needs ", "? Unknown"}

func isPassing(f simcloud.FaultKind) bool {
	for _, p := range faultsThatPass {
		if p == f {
			return true
		}
	}
	return false
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// waitForAny processes messages until one of the texts shows.
func (h *harness) waitForAny(texts ...string) {
	h.t.Helper()
	deadline := time.After(testkit.Patience(h.t))
	for !containsAny(h.frame(), texts) {
		h.deliver(h.next(deadline, fmt.Sprintf("any of %q on screen", texts)))
	}
}
