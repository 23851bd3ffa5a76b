package graphclient_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/simcloud"
)

// Prefetched answers stand in for the typed reads: with the context that
// carries them, each read (addressed by UPN, as gathering does) returns
// what the same read returns one by one, errors included, with no request
// of its own.
func TestPrefetchedReadsMatchSingleReads(t *testing.T) {
	e := newEnv(t, "classic")
	e.signIn(t)
	admin, _ := e.client.User(ctxT(t), adminUPN)
	backup, _ := e.client.User(ctxT(t), backupUPN)
	refs := []graphclient.UserRef{{ID: admin.ID, UPN: adminUPN}, {ID: backup.ID, UPN: backupUPN}, {ID: "00000000-0000-0000-0000-000000000000", UPN: "nobody@contoso.onmicrosoft.com"}}
	pre := e.client.PrefetchUsers(ctxT(t), refs, 4)
	if pre.Len() != 4*len(refs) {
		t.Fatalf("prefetched %d answers, want %d", pre.Len(), 4*len(refs))
	}
	e.srv.AddFault(simcloud.Fault{Kind: simcloud.FaultUnavailable}) // any request now would fail
	pctx := pre.Context(ctxT(t))
	for _, r := range refs {
		u, err := e.client.User(pctx, r.UPN)
		state, serr := e.client.PerUserMFAState(pctx, r.UPN)
		methods, merr := e.client.AuthenticationMethods(pctx, r.UPN)
		member, berr := e.client.MemberOf(pctx, r.UPN)
		e.srv.ClearFaults()
		u2, err2 := e.client.User(ctxT(t), r.UPN)
		state2, serr2 := e.client.PerUserMFAState(ctxT(t), r.UPN)
		methods2, merr2 := e.client.AuthenticationMethods(ctxT(t), r.UPN)
		member2, berr2 := e.client.MemberOf(ctxT(t), r.UPN)
		e.srv.AddFault(simcloud.Fault{Kind: simcloud.FaultUnavailable})
		if !reflect.DeepEqual(u, u2) || state != state2 || !reflect.DeepEqual(methods, methods2) || !reflect.DeepEqual(member, member2) {
			t.Errorf("%s: prefetched %+v %v %v %+v, single %+v %v %v %+v", r.UPN, u, state, methods, member, u2, state2, methods2, member2)
		}
		for _, pair := range [][2]error{{err, err2}, {serr, serr2}, {merr, merr2}, {berr, berr2}} {
			if (pair[0] == nil) != (pair[1] == nil) || pair[0] != nil && graphclient.IsNotFound(pair[0]) != graphclient.IsNotFound(pair[1]) {
				t.Errorf("%s: prefetched error %v, single %v", r.UPN, pair[0], pair[1])
			}
		}
	}
}

// Items Graph throttles inside a batch are sent again after their
// Retry-After; an item that stays throttled keeps its error, never a value.
func TestPrefetchRetriesThrottledItems(t *testing.T) {
	e := newEnv(t, "classic")
	e.signIn(t)
	backup, _ := e.client.User(ctxT(t), backupUPN)
	ref := []graphclient.UserRef{{ID: backup.ID, UPN: backupUPN}}

	e.srv.AddFault(simcloud.Fault{Kind: simcloud.FaultThrottle, Endpoint: "mfaRequirements", Times: 2})
	state, err := e.client.PerUserMFAState(e.client.PrefetchUsers(ctxT(t), ref, 1).Context(ctxT(t)), backupUPN)
	if err != nil || state != graphclient.MFAEnabled {
		t.Fatalf("after two throttled tries: %v, %v", state, err)
	}

	e.srv.AddFault(simcloud.Fault{Kind: simcloud.FaultThrottle, Endpoint: "mfaRequirements"}) // for ever
	_, err = e.client.PerUserMFAState(e.client.PrefetchUsers(ctxT(t), ref, 1).Context(ctxT(t)), backupUPN)
	if !graphclient.IsThrottled(err) {
		t.Fatalf("an item throttled for ever: %v", err)
	}
	var g *graphclient.GraphError
	if !errors.As(err, &g) || g.Status != 429 {
		t.Fatalf("not Graph's 429: %v", err)
	}
}
