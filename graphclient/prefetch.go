package graphclient

import (
	"context"
	"net/url"
	"strings"
	"sync"

	abs "github.com/microsoft/kiota-abstractions-go"
)

// The per-account reads evidence gathering makes, as calls: the single
// reads send them one by one, PrefetchUsers in $batch.
func userCall(idOrUPN string) call {
	return call{version: "v1.0", path: userPath(idOrUPN), query: url.Values{"$select": {userSelect}}}
}

func methodsCall(userID string) call {
	return call{version: "v1.0", path: userPath(userID) + "/authentication/methods"}
}

func memberOfCall(userID string) call {
	return call{version: "v1.0", path: userPath(userID) + "/transitiveMemberOf", query: url.Values{"$select": {"id,displayName,roleTemplateId"}}}
}

func mfaStateCall(userID string) call {
	return call{version: "beta", path: userPath(userID) + "/authentication/requirements"}
}

// UserRef names an account by its object id and UPN, as the sign-in log does.
type UserRef struct {
	ID, UPN string
}

// Prefetched holds Graph's answers to calls read ahead in $batch. Calls
// made with its Context are answered from it when they match, so the
// typed reads (and their error handling) are the same either way.
type Prefetched struct {
	answers map[string]answer
}

type prefetchedKey struct{}

// Context returns ctx carrying the answers.
func (p *Prefetched) Context(ctx context.Context) context.Context {
	return context.WithValue(ctx, prefetchedKey{}, p)
}

// Len is how many calls were read ahead.
func (p *Prefetched) Len() int { return len(p.answers) }

// prefetched is ctx's answer to a GET call, if it carries one.
func prefetched(ctx context.Context, cl call) (answer, bool) {
	p, ok := ctx.Value(prefetchedKey{}).(*Prefetched)
	if !ok || cl.method != abs.GET {
		return answer{}, false
	}
	a, ok := p.answers[cl.key()]
	return a, ok
}

// PrefetchUsers reads, for each account, what evidence gathering reads of
// it — the profile, per-user MFA state, methods and memberships, addressed
// as gathering addresses them — in JSON $batch requests of 20, v1.0 and beta apart, at most
// parallel batches at a time. Throttled items are sent again after their
// Retry-After; an item that still fails keeps its error, which the typed
// read then returns, so nothing is guessed.
func (c *Client) PrefetchUsers(ctx context.Context, users []UserRef, parallel int) *Prefetched {
	byVersion := map[string][]call{}
	for _, u := range users {
		// Gathering addresses an account by UPN, a guest's (#EXT#) by id.
		key := u.UPN
		if strings.Contains(key, "#EXT#") {
			key = u.ID
		}
		for _, cl := range []call{userCall(u.UPN), methodsCall(key), memberOfCall(key), mfaStateCall(key)} {
			byVersion[cl.version] = append(byVersion[cl.version], cl)
		}
	}
	p := &Prefetched{answers: map[string]answer{}}
	var mu sync.Mutex
	slots := make(chan struct{}, max(parallel, 1))
	var wg sync.WaitGroup
	for version, calls := range byVersion {
		for _, chunk := range batchesOf(calls) {
			wg.Add(1)
			slots <- struct{}{}
			go func() {
				defer func() { <-slots; wg.Done() }()
				got := c.batchUntilAnswered(ctx, version, chunk)
				mu.Lock()
				defer mu.Unlock()
				for i, cl := range chunk {
					p.answers[cl.key()] = got[i]
				}
			}()
		}
	}
	wg.Wait()
	return p
}

// batchesOf cuts calls into $batch requests of at most 20, each with no
// more requests of a rate-limited family than that family's burst: Graph
// counts every item, so a batch of 20 method reads would have 15 of them
// answered 429 however well the batches are paced.
func batchesOf(calls []call) [][]call {
	var out [][]call
	var cur []call
	var price cost
	for _, cl := range calls {
		add := costOfPath(cl.path)
		over := len(cur) == maxBatch
		for f, n := range add {
			over = over || (n > 0 && price[f]+n > familyLimits[f].burst)
		}
		if over {
			out, cur, price = append(out, cur), nil, cost{}
		}
		cur = append(cur, cl)
		for f, n := range add {
			price[f] += n
		}
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}
