package scan

import (
	"fmt"
	"reflect"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/graphclient"
)

// compactor keeps the log's rows small while a scan holds them: every
// repeated string (user, app, address, status) is one copy, and rows with
// the same Conditional Access record share one slice of it. JSON decoding
// gives each row its own copies; a tenant's 200,000 legacy rows repeat a
// few thousand distinct values.
type compactor struct {
	strings map[string]string
	records map[string]*graphclient.SignIn
}

func newCompactor() *compactor {
	return &compactor{strings: map[string]string{}, records: map[string]*graphclient.SignIn{}}
}

func (c *compactor) str(s *string) {
	if v, ok := c.strings[*s]; ok {
		*s = v
		return
	}
	c.strings[*s] = *s
}

// row compacts r in place. Its id is dropped: nothing the scan shows reads it.
func (c *compactor) row(r *graphclient.SignIn) {
	r.ID = ""
	for _, s := range []*string{&r.UserPrincipalName, &r.UserID, &r.AppDisplayName, &r.ClientAppUsed, &r.IPAddress,
		&r.Location.City, &r.Location.State, &r.Location.CountryOrRegion, &r.CAStatus, &r.Status.FailureReason} {
		c.str(s)
	}
	if len(r.Applied) == 0 && len(r.Requirements) == 0 {
		r.Applied, r.Requirements = nil, nil
		return
	}
	key := fmt.Sprint(r.Applied, r.Requirements)
	if shared, ok := c.records[key]; ok {
		r.Applied, r.Requirements = shared.Applied, shared.Requirements
		return
	}
	for i := range r.Applied {
		c.str(&r.Applied[i].ID)
		c.str(&r.Applied[i].DisplayName)
		c.str(&r.Applied[i].Result)
		for j := range r.Applied[i].EnforcedGrantControls {
			c.str(&r.Applied[i].EnforcedGrantControls[j])
		}
	}
	kept := *r
	c.records[key] = &kept
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
