package graphclient

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
)

// signInPage is the sign-in log's largest (and default) page.
const signInPage = "1000"

// SignInsOf reads the sign-in log from from to to (both included, to the
// second) for the given client apps (clientAppUsed, which Graph filters
// with eq), interactive and non-interactive rows alike: one query per
// client app and per window (the span cut into windows equal pieces), at
// most parallel queries at a time, each paged at Graph's maximum of 1,000
// rows. pages, when set, is called after
// each page. Rows come back in no particular order; any failed query fails
// the read, so a gap is never mistaken for "no sign-ins".
func (c *Client) SignInsOf(ctx context.Context, clientApps []string, from, to time.Time, windows, parallel int, pages func()) ([]SignIn, error) {
	windows = max(windows, 1)
	// Graph filters createdDateTime with eq, le and ge only, to the second:
	// window w is [bound(w), bound(w+1)-1s], the last one ends at to.
	from = from.UTC().Truncate(time.Second)
	step := to.Sub(from) / time.Duration(windows)
	bound := func(w int) time.Time { return from.Add(time.Duration(w) * step).Truncate(time.Second) }
	type query struct{ app, filter string }
	var queries []query
	for _, app := range clientApps {
		for w := range windows {
			end := bound(w + 1).Add(-time.Second)
			if w == windows-1 {
				end = to.UTC()
			}
			if end.Before(bound(w)) {
				continue // a window shorter than a second
			}
			queries = append(queries, query{app, fmt.Sprintf("clientAppUsed eq '%s' and createdDateTime ge %s and createdDateTime le %s and %s",
				strings.ReplaceAll(app, "'", "''"), bound(w).Format(time.RFC3339), end.Format(time.RFC3339), bothSignInKinds)})
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu       sync.Mutex
		all      []SignIn
		firstErr error
		wg       sync.WaitGroup
	)
	slots := make(chan struct{}, max(parallel, 1))
	for _, q := range queries {
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer func() { <-slots; wg.Done() }()
			rows, err := getAllPaged[SignIn](ctx, c, signInCall(q.filter, signInPage), pages)
			mu.Lock()
			defer mu.Unlock()
			if err != nil && firstErr == nil {
				firstErr = fmt.Errorf("reading the sign-in log (%s): %w", q.app, err)
				cancel()
			}
			all = append(all, rows...)
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	return all, nil
}
