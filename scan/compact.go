package scan

import (
	"fmt"
	"reflect"
	"time"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/graphclient"
)

// compactor keeps the log's rows small while a scan holds them: a row is
// its time and a pointer to its kind, the rest of the row (app, client
// app, address, place, status, Conditional Access record), which rows of
// a tenant's log share by the thousand. JSON decoding gives each row its
// own copies; 200,000 legacy rows have a few hundred kinds.
type compactor struct {
	kinds map[string]*rowKind
}

// rowKind is a row without its id, time and account.
type rowKind struct {
	template graphclient.SignIn
}

// logRow is one legacy sign-in as a scan holds it.
type logRow struct {
	created time.Time
	kind    *rowKind
}

func newCompactor() *compactor { return &compactor{kinds: map[string]*rowKind{}} }

// row is r as a logRow; r's account is its account's.
func (c *compactor) row(r graphclient.SignIn) logRow {
	created := r.Created
	r.ID, r.Created, r.UserPrincipalName, r.UserID = "", time.Time{}, "", ""
	key := fmt.Sprintf("%#v", r) // every field, in Go syntax: no two kinds share a key
	kind, ok := c.kinds[key]
	if !ok {
		kind = &rowKind{template: r}
		c.kinds[key] = kind
	}
	return logRow{created: created, kind: kind}
}

// expand is the account's rows as Graph sent them (ids aside), newest first.
func (a *account) expand() []graphclient.SignIn {
	out := make([]graphclient.SignIn, len(a.kept))
	for i, k := range a.kept {
		out[i] = k.kind.template
		out[i].Created, out[i].UserPrincipalName, out[i].UserID = k.created, a.upn, a.id
	}
	return out
}

// judged shares, across the accounts' kept evidence, the sign-in rows'
// repeated Conditional Access records and MFA providers (the evidence
// gathering copies them per row). Safe for concurrent use is not needed:
// accounts are judged one at a time.
type judged struct {
	applied   map[string][]diagnose.AppliedPolicy
	providers map[string][]string
	// policies and locations are the tenant's, as the last account's
	// evidence holds them: the same for every account, so kept once.
	policies  []diagnose.CAPolicy
	locations []diagnose.NamedLocation
}

func newJudged() *judged {
	return &judged{applied: map[string][]diagnose.AppliedPolicy{}, providers: map[string][]string{}}
}

// evidence shares what ev's sign-in rows repeat; the values do not change.
func (j *judged) evidence(ev *diagnose.Evidence) {
	if p := ev.Policies.Value; p != nil && reflect.DeepEqual(p, j.policies) {
		ev.Policies.Value = j.policies
	} else {
		j.policies = p
	}
	if l := ev.NamedLocations.Value; l != nil && reflect.DeepEqual(l, j.locations) {
		ev.NamedLocations.Value = j.locations
	} else {
		j.locations = l
	}
	rows := ev.SignIns.Value
	for i := range rows {
		if len(rows[i].Applied) > 0 {
			key := fmt.Sprint(rows[i].Applied)
			if shared, ok := j.applied[key]; ok {
				rows[i].Applied = shared
			} else {
				j.applied[key] = rows[i].Applied
			}
		}
		if len(rows[i].MFAProviders) > 0 {
			key := fmt.Sprint(rows[i].MFAProviders)
			if shared, ok := j.providers[key]; ok {
				rows[i].MFAProviders = shared
			} else {
				j.providers[key] = rows[i].MFAProviders
			}
		}
	}
}
