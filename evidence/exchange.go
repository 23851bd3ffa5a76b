package evidence

import (
	"context"
	"errors"
	"sync"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/graphclient"
)

// Exchange reads Exchange Online's SMTP AUTH switches; *graphclient.Client
// satisfies it. A Graph that does not is not asked (the scan, for now), and
// the evidence says the read was not run.
type Exchange interface {
	TransportConfig(ctx context.Context) (graphclient.TransportConfig, error)
	CASMailbox(ctx context.Context, upn string) (graphclient.CASMailbox, error)
	AuthenticationPolicies(ctx context.Context) ([]graphclient.AuthenticationPolicy, error)
}

// exchange reads the organisation's switch, the mailbox's and the
// authentication policies at once. Any refusal, failure or unknown shape
// leaves the item not OK, so the verdict falls back to the SMTP test.
func (g *gatherer) exchange(ctx context.Context) {
	x, ok := g.g.(Exchange)
	if !ok || g.req.Service != diagnose.ServiceSMTP {
		g.setExchange(diagnose.Item[diagnose.ExchangeSwitches]{Status: diagnose.StatusNotRun})
		return
	}
	var (
		wg       sync.WaitGroup
		tc       graphclient.TransportConfig
		mb       graphclient.CASMailbox
		policies []graphclient.AuthenticationPolicy
		errs     [3]error
	)
	wg.Add(3)
	go func() { defer wg.Done(); tc, errs[0] = x.TransportConfig(ctx) }()
	go func() { defer wg.Done(); mb, errs[1] = x.CASMailbox(ctx, g.req.UPN) }()
	go func() { defer wg.Done(); policies, errs[2] = x.AuthenticationPolicies(ctx) }()
	wg.Wait()
	if err := errors.Join(errs[:]...); err != nil {
		g.setExchange(exchangeFailed(errs[:]))
		return
	}
	value := diagnose.ExchangeSwitches{Source: diagnose.ExchangeSource,
		TenantDisabled: tc.SMTPClientAuthenticationDisabled, MailboxDisabled: mb.SMTPClientAuthenticationDisabled,
		Policies: make([]diagnose.ExchangePolicy, 0, len(policies))}
	for _, p := range policies {
		value.Policies = append(value.Policies, diagnose.ExchangePolicy{Name: p.Name, AllowBasicAuthSMTP: p.AllowBasicAuthSMTP})
	}
	g.setExchange(diagnose.OK(value))
}

// exchangeFailed words the first failure: a missing role names the roles
// that would do, anything else says what went wrong.
func exchangeFailed(errs []error) diagnose.Item[diagnose.ExchangeSwitches] {
	for _, err := range errs {
		var xe *graphclient.ExchangeError
		if graphclient.IsExchangeForbidden(err) && errors.As(err, &xe) {
			return diagnose.Item[diagnose.ExchangeSwitches]{Status: diagnose.StatusDenied, Missing: "an Exchange role (" + xe.NeededRoles + ")", Err: xe.Error()}
		}
	}
	for _, err := range errs {
		if err != nil {
			return diagnose.Item[diagnose.ExchangeSwitches]{Status: diagnose.StatusFailed, Err: exchangeError(err)}
		}
	}
	return diagnose.Item[diagnose.ExchangeSwitches]{Status: diagnose.StatusFailed}
}

// exchangeError words an Exchange failure for a person.
func exchangeError(err error) string {
	switch {
	case errors.Is(err, graphclient.ErrExchangeMalformed):
		return "Exchange Online's admin endpoint sent an answer apppass does not read"
	case errors.Is(err, graphclient.ErrExchangeUnavailable):
		return err.Error()
	case errors.Is(err, graphclient.ErrUnreachable):
		return "no answer from Exchange Online (network or time-out)"
	case errors.Is(err, context.DeadlineExceeded):
		return "the check took too long; try again"
	}
	return err.Error()
}

// setExchange records the read. It reports no progress line: the wizard's
// checklist is the Graph checks; the report's checklist shows this one.
func (g *gatherer) setExchange(item diagnose.Item[diagnose.ExchangeSwitches]) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.ev.Exchange = item
}
