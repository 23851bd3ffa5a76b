package scan

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/apppass/apppass/graphclient"
)

// tenantReads are the tenant-wide reads, made once per scan (under the
// scan's context) and shared by every account's gathering.
type tenantReads struct {
	org        func() (graphclient.Organization, error)
	roles      func() ([]graphclient.DirectoryRole, error)
	defaults   func() (bool, error)
	policies   func() ([]graphclient.CAPolicy, error)
	locations  func() ([]graphclient.NamedLocation, error)
	sharePoint func() (graphclient.SharePointSettings, error)
}

func newTenantReads(ctx context.Context, g Graph) *tenantReads {
	return &tenantReads{
		org:        sync.OnceValues(func() (graphclient.Organization, error) { return g.Organization(ctx) }),
		roles:      sync.OnceValues(func() ([]graphclient.DirectoryRole, error) { return g.MyDirectoryRoles(ctx) }),
		defaults:   sync.OnceValues(func() (bool, error) { return g.SecurityDefaults(ctx) }),
		policies:   sync.OnceValues(func() ([]graphclient.CAPolicy, error) { return g.ConditionalAccessPolicies(ctx) }),
		locations:  sync.OnceValues(func() ([]graphclient.NamedLocation, error) { return g.NamedLocations(ctx) }),
		sharePoint: sync.OnceValues(func() (graphclient.SharePointSettings, error) { return g.SharePointSettings(ctx) }),
	}
}

// warm makes the reads every account needs, concurrently, so they overlap
// the sign-in log's.
func (t *tenantReads) warm() {
	var wg sync.WaitGroup
	for _, read := range []func(){
		func() { t.roles() }, func() { t.defaults() }, func() { t.policies() }, func() { t.locations() },
	} {
		wg.Add(1)
		go func() { defer wg.Done(); read() }()
	}
	wg.Wait()
}

// accountGraph is evidence.Graph for one account of a scan: its own reads
// come from the $batch answers the context carries, the tenant's from
// tenantReads, its sign-ins from the log already read. Gathering then
// does exactly what it does for diagnose, without a request of its own.
type accountGraph struct {
	Graph
	tenant  *tenantReads
	account *account
	// logErr is why part of the sign-in log could not be read (nil: all was).
	logErr error
	// exchange are the scan's Exchange reads (nil: its Graph cannot make them).
	exchange *exchangeReads
}

func (a accountGraph) Organization(context.Context) (graphclient.Organization, error) {
	return a.tenant.org()
}

func (a accountGraph) MyDirectoryRoles(context.Context) ([]graphclient.DirectoryRole, error) {
	return a.tenant.roles()
}

func (a accountGraph) SecurityDefaults(context.Context) (bool, error) { return a.tenant.defaults() }

func (a accountGraph) ConditionalAccessPolicies(context.Context) ([]graphclient.CAPolicy, error) {
	return a.tenant.policies()
}

func (a accountGraph) NamedLocations(context.Context) ([]graphclient.NamedLocation, error) {
	return a.tenant.locations()
}

func (a accountGraph) SharePointSettings(context.Context) (graphclient.SharePointSettings, error) {
	return a.tenant.sharePoint()
}

// SignIns are the account's legacy rows since a time, newest first.
func (a accountGraph) SignIns(_ context.Context, upn string, since time.Time) ([]graphclient.SignIn, error) {
	var out []graphclient.SignIn
	if a.logErr != nil {
		return nil, a.logErr // a part of the log is missing: these rows are not all
	}
	if !strings.EqualFold(upn, a.account.upn) {
		return nil, nil
	}
	for _, r := range a.account.rows {
		if !r.Created.Before(since) {
			out = append(out, r)
		}
	}
	return out, nil
}
