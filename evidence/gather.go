// Package evidence gathers diagnose.Evidence from Microsoft Graph, every
// check at once, and guards the one-per-account password check.
package evidence

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/termsafe"
)

// Graph is what gathering needs; *graphclient.Client satisfies it.
type Graph interface {
	User(ctx context.Context, idOrUPN string) (graphclient.User, error)
	Organization(ctx context.Context) (graphclient.Organization, error)
	MyDirectoryRoles(ctx context.Context) ([]graphclient.DirectoryRole, error)
	MemberOf(ctx context.Context, userID string) (graphclient.Membership, error)
	PerUserMFAState(ctx context.Context, userID string) (graphclient.MFAState, error)
	AuthenticationMethods(ctx context.Context, userID string) ([]graphclient.AuthMethod, error)
	SecurityDefaults(ctx context.Context) (bool, error)
	ConditionalAccessPolicies(ctx context.Context) ([]graphclient.CAPolicy, error)
	NamedLocations(ctx context.Context) ([]graphclient.NamedLocation, error)
	SignIns(ctx context.Context, upn string, since time.Time) ([]graphclient.SignIn, error)
	SharePointSettings(ctx context.Context) (graphclient.SharePointSettings, error)
}

// Done reports one finished check, with its checklist line.
type Done struct {
	Check diagnose.Check
	Line  diagnose.Line
}

// Request says what to gather.
type Request struct {
	UPN string
	// Caller is the signed-in person's UPN.
	Caller  string
	Service diagnose.Service
	Pasted  string
	Now     time.Time
	// SignInsSince is how far back the sign-in log is read (default 7 days).
	SignInsSince time.Duration
	// PerCheckTimeout bounds each check (default 20 s).
	PerCheckTimeout time.Duration
}

// Gather runs every check concurrently (about one Graph round trip in all)
// and reports each as it finishes through done, which may be nil and is
// called from many goroutines.
func Gather(ctx context.Context, g Graph, req Request, done func(Done)) diagnose.Evidence {
	if req.SignInsSince <= 0 {
		req.SignInsSince = 7 * 24 * time.Hour
	}
	if req.PerCheckTimeout <= 0 {
		req.PerCheckTimeout = 20 * time.Second
	}
	if done == nil {
		done = func(Done) {}
	}
	// What a person typed or pasted enters here (Graph's answers are
	// cleaned by graphclient as they are decoded).
	req.UPN, req.Caller, req.Pasted = termsafe.Clean(req.UPN), termsafe.Clean(req.Caller), termsafe.Text(req.Pasted)
	ev := diagnose.Evidence{Now: req.Now, Service: req.Service, UPN: req.UPN, Caller: req.Caller, PastedError: req.Pasted,
		AppPasswordsSetting: diagnose.Item[bool]{Status: diagnose.StatusNoAPI},
		PasswordCheck:       diagnose.Item[int]{Status: diagnose.StatusNotRun},
		SMTPTest:            diagnose.Item[string]{Status: diagnose.StatusNotRun},
		SMTPOAuthTest:       diagnose.Item[string]{Status: diagnose.StatusNotRun}}
	g2 := gatherer{g: g, req: req, ev: &ev, done: done}
	// A guest's UPN (#EXT#) cannot address the user endpoints; the rest take the UPN.
	key := req.UPN
	var wg sync.WaitGroup
	run := func(f func(context.Context)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cctx, cancel := context.WithTimeout(ctx, req.PerCheckTimeout)
			defer cancel()
			f(cctx)
		}()
	}
	run(g2.account)
	run(g2.organization)
	run(g2.roles)
	run(g2.securityDefaults)
	run(g2.policies)
	run(g2.signIns)
	run(g2.sharePoint)
	run(g2.exchange)
	if strings.Contains(key, "#EXT#") {
		wg.Wait() // the account's object id comes first
		if ev.Account.Known() {
			key = ev.Account.Value.ID
		}
	}
	run(func(c context.Context) { g2.perUser(c, key) })
	run(func(c context.Context) { g2.methods(c, key) })
	run(func(c context.Context) { g2.membership(c, key) })
	wg.Wait()
	g2.applyDomain()
	return ev
}

// gatherer fills one Evidence; mu guards it.
type gatherer struct {
	g    Graph
	req  Request
	mu   sync.Mutex
	ev   *diagnose.Evidence
	org  *graphclient.Organization
	done func(Done)
}

func (g *gatherer) set(check diagnose.Check, apply func(ev *diagnose.Evidence)) {
	g.mu.Lock()
	apply(g.ev)
	line := g.ev.Line(check)
	g.mu.Unlock()
	g.done(Done{Check: check, Line: line})
}
