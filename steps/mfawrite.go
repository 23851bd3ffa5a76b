package steps

import (
	"context"

	"github.com/apppass/apppass/flow"
	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/journal"
)

// MFAAtLeast says whether state already does what target asks (flow's).
func MFAAtLeast(state, target graphclient.MFAState) bool { return flow.MFAAtLeast(state, target) }

// PerUserMFAWrite is one per-user MFA change of the target account. atLeast
// accepts a state beyond the one asked for (Entra moves an account that has
// registered a method straight to Enforced); otherwise only the state asked
// for counts as landed.
func (c *Common) PerUserMFAWrite(before, to graphclient.MFAState, atLeast bool) Write {
	g, t := c.Graph, c.Session.Target
	landed := func(seen string) bool {
		st, err := graphclient.ParseMFAState(seen)
		if err != nil {
			return false
		}
		if atLeast {
			return flow.MFAAtLeast(st, to)
		}
		return st == to
	}
	note := "Entra ID did not move the account to " + string(to) + "."
	if to == graphclient.MFAEnabled && before == graphclient.MFAEnforced {
		note = "Entra ID keeps an account that has registered an MFA method at enforced: it cannot go back to enabled."
	}
	return Write{
		Change: journal.Change{Account: t.UPN, AccountID: t.User.ID, Kind: journal.PerUserMFA, Before: string(before), After: string(to)},
		Apply:  func(ctx context.Context) error { return g.SetPerUserMFAState(ctx, t.User.ID, to) },
		ReadBack: func(ctx context.Context) (string, error) {
			st, err := g.PerUserMFAState(ctx, t.User.ID)
			return string(st), err
		},
		Landed:    landed,
		NotLanded: note,
	}
}

// mfaReading is the live per-user MFA state and whether the account has a
// method that can answer MFA.
type mfaReading struct {
	state      graphclient.MFAState
	registered bool
}

// ReadPerUserMFA reads the target's per-user MFA state and whether it has
// registered a method that can answer MFA.
func ReadPerUserMFA(ctx context.Context, g Graph, userID string) (state graphclient.MFAState, registered bool, err error) {
	r, err := readMFAState(ctx, g, userID)
	return r.state, r.registered, err
}

// readMFAState reads the state and methods under ctx.
func readMFAState(ctx context.Context, g Graph, userID string) (mfaReading, error) {
	st, err := g.PerUserMFAState(ctx, userID)
	if err != nil {
		return mfaReading{}, err
	}
	methods, err := g.AuthenticationMethods(ctx, userID)
	if err != nil {
		return mfaReading{}, err
	}
	r := mfaReading{state: st}
	for _, m := range methods {
		r.registered = r.registered || m.CanAnswerMFA()
	}
	return r, nil
}
