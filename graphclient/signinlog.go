package graphclient

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"
)

// signInPage is the sign-in log's largest (and default) page.
const signInPage = "1000"

// SignInsOf reads the sign-in log from from to to for the given client
// apps (clientAppUsed, which Graph filters with eq): one query per client
// app and per window (the span cut into windows equal pieces), at most
// parallel queries at a time, each paged at Graph's maximum of 1,000 rows
// (beta, for the requirement providers). pages, when set, is called after
// each page. Rows come back in no particular order; any failed query fails
// the read, so a gap is never mistaken for "no sign-ins".
func (c *Client) SignInsOf(ctx context.Context, clientApps []string, from, to time.Time, windows, parallel int, pages func()) ([]SignIn, error) {
	windows = max(windows, 1)
	step := to.Sub(from) / time.Duration(windows)
	type query struct{ app, filter string }
	var queries []query
	for _, app := range clientApps {
		for w := range windows {
			start, end := from.Add(time.Duration(w)*step), from.Add(time.Duration(w+1)*step)
			if w == windows-1 {
				end = to
			}
			queries = append(queries, query{app, fmt.Sprintf("clientAppUsed eq '%s' and createdDateTime ge %s and createdDateTime lt %s",
				strings.ReplaceAll(app, "'", "''"), start.UTC().Format(time.RFC3339), end.UTC().Format(time.RFC3339))})
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
			rows, err := getAllPaged[SignIn](ctx, c, call{version: "beta", path: "/auditLogs/signIns",
				query: url.Values{"$filter": {q.filter}, "$top": {signInPage}}}, pages)
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
