package scan

import (
	"context"
	"slices"
	"strings"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/graphclient"
)

// logRounds bounds how often the scan sends again a log query Graph
// throttled (or was briefly unavailable for), beyond the client's own
// retries; any other failure is sent again once.
const logRounds = 8

// readLog reads the legacy rows, one query per legacy client app, one
// query at a time (Graph's limit allows no more), keeping an app's rows
// only once its query has read them all. Queries that fail are sent again
// after the others, throttled ones for several rounds; what still fails
// is a LogGap. A refusal (licence, role) ends the read at once: asking
// again cannot change it.
func readLog(ctx context.Context, g Graph, res *Result, report func(func(*Progress))) (map[string]*account, error) {
	byUPN := map[string]*account{}
	compact := newCompactor()
	// Rows go to their accounts as each page arrives (memory holds the
	// rows once, compacted); a query that fails takes its rows back out.
	read := func(app string) error {
		added := 0
		err := g.SignInsOfApp(ctx, app, res.From, res.To, func(page []graphclient.SignIn) {
			addRows(byUPN, page, compact)
			added += len(page)
			report(func(p *Progress) { p.Pages++ })
		})
		if err != nil {
			if added > 0 {
				dropRows(byUPN, app)
			}
			return err
		}
		res.LegacySignIns += added
		return nil
	}
	pending := diagnose.LegacyClientApps
	failures := map[string]error{}
	for round := 0; len(pending) > 0 && round <= logRounds; round++ {
		var again []string
		for _, app := range pending {
			err := read(app)
			switch {
			case ctx.Err() != nil:
				return byUPN, nil
			case err != nil && (graphclient.IsForbidden(err) || graphclient.IsLicenceRequired(err)):
				return nil, err
			case err != nil:
				failures[app] = err
				if round == 0 || graphclient.IsThrottled(err) || graphclient.IsUnavailable(err) {
					again = append(again, app)
				}
			default:
				delete(failures, app)
			}
			if round == 0 {
				report(func(p *Progress) { p.Queries++; p.ETA = eta(p.QueriesTotal - p.Queries) })
			}
		}
		pending = again
	}
	for _, app := range diagnose.LegacyClientApps {
		if err := failures[app]; err != nil {
			res.LogGaps = append(res.LogGaps, LogGap{ClientApp: app, Err: err, Error: err.Error()})
		}
	}
	if len(res.LogGaps) == len(diagnose.LegacyClientApps) {
		return nil, res.LogGaps[0].Err
	}
	return byUPN, nil
}

// addRows files rows under their accounts, compacted.
func addRows(byUPN map[string]*account, rows []graphclient.SignIn, compact *compactor) {
	for _, r := range rows {
		key := strings.ToLower(r.UserPrincipalName)
		a, ok := byUPN[key]
		if !ok {
			a = &account{id: r.UserID, upn: r.UserPrincipalName}
			byUPN[key] = a
		}
		a.kept = append(a.kept, compact.row(r))
	}
}

// dropRows takes one client app's rows back out of the accounts, and
// the accounts left with none.
func dropRows(byUPN map[string]*account, app string) {
	for key, a := range byUPN {
		a.kept = slices.DeleteFunc(a.kept, func(r logRow) bool { return r.kind.template.ClientAppUsed == app })
		if len(a.kept) == 0 {
			delete(byUPN, key)
		}
	}
}

// sortedAccounts are the accounts in a stable order, each account's rows
// newest first.
func sortedAccounts(byUPN map[string]*account) []*account {
	out := make([]*account, 0, len(byUPN))
	for _, a := range byUPN {
		slices.SortFunc(a.kept, func(x, y logRow) int { return y.created.Compare(x.created) })
		out = append(out, a)
	}
	slices.SortFunc(out, func(x, y *account) int { return strings.Compare(strings.ToLower(x.upn), strings.ToLower(y.upn)) })
	return out
}
