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
	"fmt"
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
	SignInsOfApp(ctx context.Context, clientApp string, from, to time.Time, page func([]graphclient.SignIn)) error
	PrefetchUsers(ctx context.Context, users []graphclient.UserRef, parallel int) *graphclient.Prefetched
}

// Meter is what a Graph client that paces itself says of it;
// *graphclient.Client has it. A scan reports it when its Graph does.
type Meter interface {
	// Requests is how many HTTP requests the client has sent to Graph.
	Requests() int
	// Waited is how long it has waited, in total, for Graph's limits.
	Waited() time.Duration
}

// Options tune a scan. The zero value reads seven days with Graph-friendly
// concurrency.
type Options struct {
	// Now is the scan's "today" (the demo's simulated date).
	Now time.Time
	// Days is how far back the sign-in log is read (default 7).
	Days int
	// Parallel bounds the $batch requests in flight (default 10); the
	// client's pacer keeps the rate-limited reads within Graph's limits.
	Parallel int
	// Chunk is how many accounts are read and judged at a time, which
	// bounds memory (default 200).
	Chunk int
	// Progress, when set, is called as the scan moves on: one call at a
	// time, so it needs no lock of its own, and it must not block.
	Progress func(Progress)
	// Simulated says the client waits on a simulated clock (the demo), so
	// progress calls its waits simulated.
	Simulated bool
	// Resume, when set, is a stopped scan to go on from: its window is read
	// again (the log is a few requests) and the accounts it judged are kept
	// as they were, so only the rest cost method reads.
	Resume *Partial
}

// Progress is how far a scan has come.
type Progress struct {
	// Queries is how many of the sign-in log's queries (one per legacy
	// client app) are done, of QueriesTotal.
	Queries, QueriesTotal int
	// Pages is how many pages of the sign-in log have been read.
	Pages int
	// Accounts is how many accounts have legacy sign-ins (0 until the log is read).
	Accounts int
	// Judged is how many of them have a verdict.
	Judged int
	// Requests is how many HTTP requests the scan has sent to Graph, and
	// Waited how long it has waited for Graph's limits (both 0 when the
	// client does not say: see Meter).
	Requests int
	Waited   time.Duration
	// ETA is the least time the rest needs at Graph's documented rate for
	// the sign-in log and method reads (0: none left, or not known yet).
	ETA time.Duration
	// Simulated: Waited and ETA are simulated time (Options.Simulated).
	Simulated bool
}

// LogGap is one legacy client app whose sign-in log query could not be
// read, even when sent again after the others.
type LogGap struct {
	ClientApp string `json:"clientApp"`
	Err       error  `json:"-"`
	// Error is Err in words, for the exports.
	Error string `json:"error"`
}

// Result is a scan, finished or cut short.
type Result struct {
	From, To time.Time
	// Rows are the accounts, most urgent first.
	Rows []Row
	// LegacySignIns is how many legacy sign-in rows were read.
	LegacySignIns int
	// LogGaps are the client apps whose rows could not be read: accounts
	// that use only those are missing, and every account's sign-in
	// evidence counts as unread.
	LogGaps []LogGap
	// Requests and Waited are the scan's HTTP requests to Graph and its
	// wait for Graph's limits (see Meter).
	Requests int
	Waited   time.Duration
	// Cancelled: the scan was stopped; Rows are the accounts judged so far.
	Cancelled bool
	// Source is where the accounts come from: the sign-in log, or (without
	// Entra ID P1) Microsoft 365's email apps usage report.
	Source Source
	// UsagePeriod is the usage report's period (D7 or D30) when it was read.
	UsagePeriod string
	// LogErr is why the sign-in log could not be read, when the usage
	// report stands in for it.
	LogErr error
	// Comparison is what changed since an earlier scan (Compare), or nil.
	Comparison *Comparison
}

// Source is where a scan's accounts come from.
type Source string

// The sources.
const (
	SourceSignInLog   Source = "sign-in log"
	SourceUsageReport Source = "email apps usage report"
)

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

// Incomplete reports a scan that could not read everything it should:
// some of the log, or some account (an unknown verdict), or it was stopped.
// A scan from the usage report is incomplete by nature: the log, which
// would settle who fails and who breaks, was not read.
func (r Result) Incomplete() bool {
	return len(r.LogGaps) > 0 || r.Unknown() > 0 || r.Cancelled || r.Source == SourceUsageReport
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

// Run scans the tenant. A log query that fails is sent again once the
// others are in; one that still fails leaves a LogGap, never a silent
// "no sign-ins": the accounts read elsewhere are judged with their
// sign-in evidence unread. Only a log nothing of which could be read (or
// one Graph refuses for a licence or a role) fails the scan. When ctx
// ends, Run returns what it has judged so far with Cancelled set.
func Run(ctx context.Context, g Graph, opts Options) (res Result, err error) {
	opts.defaults()
	res = Result{From: opts.Now.Add(-time.Duration(opts.Days) * 24 * time.Hour), To: opts.Now, Source: SourceSignInLog}
	if opts.Resume != nil {
		res.From, res.To = opts.Resume.From, opts.Resume.To
		opts.Now = opts.Resume.To
		opts.Days = max(int(res.To.Sub(res.From).Round(24*time.Hour)/(24*time.Hour)), 1)
	}
	done := opts.Resume.judgedBefore()
	meter, _ := g.(Meter)
	var base Progress
	if meter != nil {
		base.Requests, base.Waited = meter.Requests(), meter.Waited()
	}
	progress := Progress{QueriesTotal: len(diagnose.LegacyClientApps), Simulated: opts.Simulated}
	var pmu sync.Mutex
	report := func(f func(*Progress)) {
		pmu.Lock()
		defer pmu.Unlock() // callbacks come one at a time, in order
		f(&progress)
		if meter != nil {
			progress.Requests, progress.Waited = meter.Requests()-base.Requests, meter.Waited()-base.Waited
		}
		if opts.Progress != nil {
			opts.Progress(progress)
		}
	}
	defer func() {
		if meter != nil {
			res.Requests, res.Waited = meter.Requests()-base.Requests, meter.Waited()-base.Waited
		}
	}()
	tenant := newTenantReads(ctx, g)
	exchange := newExchangeReads(ctx, g)
	go tenant.warm() // the tenant-wide reads run alongside the log's
	byUPN, err := readLog(ctx, g, &res, report)
	var gapErr error
	if u, ok := g.(UsageGraph); ok && err != nil && graphclient.IsLicenceRequired(err) {
		// No Entra ID P1: the usage report lists who used which protocol;
		// each account's sign-ins stay unread, for the licence.
		gapErr = err
		byUPN, err = readUsage(ctx, u, &res, opts.Days)
		res.LogErr = gapErr
	}
	if err != nil {
		return res, err
	}
	if ctx.Err() != nil {
		res.Cancelled = true
		return res, nil
	}
	accounts := sortedAccounts(byUPN)
	if len(done) > 0 {
		// The accounts the stopped scan judged: as they were.
		accounts = slices.DeleteFunc(accounts, func(a *account) bool {
			row, ok := done[strings.ToLower(a.upn)]
			if ok {
				res.Rows = append(res.Rows, row)
			}
			return ok
		})
		report(func(p *Progress) { p.Judged = len(res.Rows) })
	}
	if len(res.LogGaps) > 0 {
		gapErr = fmt.Errorf("the sign-in log's %s rows could not be read: %w", res.LogGaps[0].ClientApp, res.LogGaps[0].Err)
	}
	report(func(p *Progress) { p.Accounts, p.ETA = len(accounts)+len(res.Rows), eta(len(accounts)) })
	kept := newJudged()
	for start := 0; start < len(accounts); start += opts.Chunk {
		chunk := accounts[start:min(start+opts.Chunk, len(accounts))]
		refs := make([]graphclient.UserRef, len(chunk))
		for i, a := range chunk {
			refs[i] = graphclient.UserRef{ID: a.id, UPN: a.upn}
		}
		pre := g.PrefetchUsers(ctx, refs, opts.Parallel)
		if ctx.Err() != nil {
			res.Cancelled = true
			break // what was prefetched in part is not judged: it was not read whole
		}
		actx := pre.Context(ctx)
		for _, a := range chunk {
			a.rows = a.expand()
			row := judge(actx, accountGraph{Graph: g, tenant: tenant, account: a, logErr: gapErr, exchange: exchange}, a, opts)
			kept.evidence(&row.Evidence)
			res.Rows = append(res.Rows, row)
			a.rows, a.kept = nil, nil // judged: its evidence holds what the wizard needs
		}
		report(func(p *Progress) { p.Judged += len(chunk); p.ETA = eta(p.Accounts - p.Judged) })
	}
	sortByUrgency(res.Rows)
	return res, nil
}

// eta is the least time n accounts' method reads take at Graph's
// documented pace for them (one read each, counted against the identity
// and access reports limit).
func eta(n int) time.Duration { return time.Duration(n) * graphclient.ReportsInterval }

// account is one account's legacy rows from the log.
type account struct {
	id, upn string
	// kept are the account's legacy rows, compact, newest first once
	// sorted; rows are them expanded while the account is judged.
	kept []logRow
	rows []graphclient.SignIn
	// usage is the account's line of the email apps usage report, when the
	// scan read that instead of the log (no Entra ID P1).
	usage *graphclient.EmailAppUser
}
