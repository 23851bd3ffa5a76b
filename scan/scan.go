// Package scan answers the tenant-wide question of late 2026: which
// accounts still sign in with a password over a legacy protocol, can an
// app password carry each one, and what happens to each when SMTP AUTH
// Basic goes off by default. It reads the sign-in log's legacy rows once,
// the tenant-wide policies once and each account's own facts in JSON
// $batch, then judges every account with the same engine as diagnose
// (evidence.Gather and diagnose.Diagnose), so the two always agree.
package scan

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/evidence"
	"github.com/apppass/apppass/graphclient"
)

// Graph is what a scan reads; *graphclient.Client satisfies it.
type Graph interface {
	evidence.Graph
	SignInsOf(ctx context.Context, clientApps []string, from, to time.Time, windows, parallel int, pages func()) ([]graphclient.SignIn, error)
	PrefetchUsers(ctx context.Context, users []graphclient.UserRef, parallel int) *graphclient.Prefetched
}

// Options tune a scan. The zero value reads seven days with Graph-friendly
// concurrency.
type Options struct {
	// Now is the scan's "today" (the demo's simulated date).
	Now time.Time
	// Days is how far back the sign-in log is read (default 7).
	Days int
	// Parallel bounds the requests in flight (default 10).
	Parallel int
	// Chunk is how many accounts are read and judged at a time, which
	// bounds memory (default 200).
	Chunk int
	// Progress, when set, is called as the scan moves on: one call at a
	// time, so it needs no lock of its own, and it must not block.
	Progress func(Progress)
}

// Progress is how far a scan has come.
type Progress struct {
	// Pages is how many pages of the sign-in log have been read.
	Pages int
	// Accounts is how many accounts have legacy sign-ins (0 until the log is read).
	Accounts int
	// Judged is how many of them have a verdict.
	Judged int
}

// Result is a finished scan.
type Result struct {
	From, To time.Time
	// Rows are the accounts, most urgent first.
	Rows []Row
	// LegacySignIns is how many legacy sign-in rows were read.
	LegacySignIns int
}

// Unknown counts the accounts whose verdict is unknown.
func (r Result) Unknown() int {
	n := 0
	for _, row := range r.Rows {
		if row.Answer == diagnose.AnswerUnknown {
			n++
		}
	}
	return n
}

func (o *Options) defaults() {
	if o.Days <= 0 {
		o.Days = 7
	}
	if o.Parallel <= 0 {
		o.Parallel = 10
	}
	if o.Chunk <= 0 {
		o.Chunk = 200
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
}

// Run scans the tenant. A sign-in log that cannot be read fails the scan:
// no account list is ever guessed from a partial log.
func Run(ctx context.Context, g Graph, opts Options) (Result, error) {
	opts.defaults()
	res := Result{From: opts.Now.Add(-time.Duration(opts.Days) * 24 * time.Hour), To: opts.Now}
	var progress Progress
	var pmu sync.Mutex
	report := func(f func(*Progress)) {
		pmu.Lock()
		defer pmu.Unlock() // callbacks come one at a time, in order
		f(&progress)
		if opts.Progress != nil {
			opts.Progress(progress)
		}
	}
	tenant := newTenantReads(ctx, g)
	go tenant.warm() // the tenant-wide reads run alongside the log's
	rows, err := g.SignInsOf(ctx, diagnose.LegacyClientApps, res.From, res.To, opts.Days, opts.Parallel,
		func() { report(func(p *Progress) { p.Pages++ }) })
	if err != nil {
		return res, err
	}
	res.LegacySignIns = len(rows)
	accounts := groupByAccount(rows)
	report(func(p *Progress) { p.Accounts = len(accounts) })
	for start := 0; start < len(accounts); start += opts.Chunk {
		chunk := accounts[start:min(start+opts.Chunk, len(accounts))]
		refs := make([]graphclient.UserRef, len(chunk))
		for i, a := range chunk {
			refs[i] = graphclient.UserRef{ID: a.id, UPN: a.upn}
		}
		pre := g.PrefetchUsers(ctx, refs, opts.Parallel)
		actx := pre.Context(ctx)
		for _, a := range chunk {
			if ctx.Err() != nil {
				return res, ctx.Err()
			}
			res.Rows = append(res.Rows, judge(actx, accountGraph{Graph: g, tenant: tenant, account: a}, a, opts))
			report(func(p *Progress) { p.Judged++ })
		}
	}
	sortByUrgency(res.Rows)
	return res, nil
}

// account is one account's legacy rows from the log.
type account struct {
	id, upn string
	rows    []graphclient.SignIn
}

// groupByAccount gathers the rows per account, newest row first, the
// accounts in a stable order.
func groupByAccount(rows []graphclient.SignIn) []*account {
	byUPN := map[string]*account{}
	for _, r := range rows {
		key := strings.ToLower(r.UserPrincipalName)
		a, ok := byUPN[key]
		if !ok {
			a = &account{id: r.UserID, upn: r.UserPrincipalName}
			byUPN[key] = a
		}
		a.rows = append(a.rows, r)
	}
	out := make([]*account, 0, len(byUPN))
	for _, a := range byUPN {
		slices.SortFunc(a.rows, func(x, y graphclient.SignIn) int { return y.Created.Compare(x.Created) })
		out = append(out, a)
	}
	slices.SortFunc(out, func(x, y *account) int { return strings.Compare(strings.ToLower(x.upn), strings.ToLower(y.upn)) })
	return out
}
