package flow

import (
	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/graphclient"
)

// MFADecision is a per-user MFA stage's decision from the live read:
// already so (Settled, with its detail), or the change to confirm with
// Microsoft's warnings before it.
type MFADecision struct {
	Settled  bool
	Outcome  diagnose.Outcome
	Detail   string
	Warnings []string
}

// mfaStateRank orders the per-user MFA states: enforcing includes enabling.
func mfaStateRank(s graphclient.MFAState) int { return mfaRank[string(s)] }

// MFAAtLeast says whether state already does what target asks (Enforced
// includes Enabled), so no write is needed.
func MFAAtLeast(state, target graphclient.MFAState) bool {
	return mfaStateRank(state) >= mfaStateRank(target)
}

// DecideMFA decides a per-user MFA stage: the live state and whether the
// account has registered a method that can answer MFA, against the state
// the stage asks for.
func DecideMFA(state graphclient.MFAState, registered bool, target graphclient.MFAState) MFADecision {
	if MFAAtLeast(state, target) {
		return MFADecision{Settled: true, Outcome: diagnose.OutcomeDone, Detail: "already " + string(state) + "; no change made"}
	}
	var d MFADecision
	if target == graphclient.MFAEnforced {
		d.Warnings = append(d.Warnings, "From the moment per-user MFA is enforced, the app's own password stops working: it fails until the app password is in the app.")
		if !registered {
			d.Warnings = append(d.Warnings, "The account has not registered an MFA method. Microsoft advises not to enforce MFA before registration: the owner must register (at their next sign-in) before the App password option appears.")
		}
	}
	return d
}
