package scan

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/apppass/apppass/evidence"
	"github.com/apppass/apppass/graphclient"
)

// ExchangeGraph reads Exchange Online's SMTP AUTH switches in bulk;
// *graphclient.Client has it. A scan whose Graph does not judges SMTP
// accounts without the switches (diagnose's read-not-run).
type ExchangeGraph interface {
	TransportConfig(ctx context.Context) (graphclient.TransportConfig, error)
	AuthenticationPolicies(ctx context.Context) ([]graphclient.AuthenticationPolicy, error)
	CASMailboxes(ctx context.Context) ([]graphclient.CASMailbox, error)
}

// exchangeReads are the scan's Exchange reads, each made once, when the
// first SMTP account needs it: the organisation's switch, the
// authentication policies and every mailbox's switch in one paged listing
// (a request per thousand mailboxes, not one per account).
type exchangeReads struct {
	transport func() (graphclient.TransportConfig, error)
	policies  func() ([]graphclient.AuthenticationPolicy, error)
	mailboxes func() (mailboxIndex, error)
}

// mailboxIndex finds a mailbox by its user's object id, else by address.
type mailboxIndex struct {
	byUserID, byAddress map[string]graphclient.CASMailbox
}

func newExchangeReads(ctx context.Context, g Graph) *exchangeReads {
	x, ok := g.(ExchangeGraph)
	if !ok {
		return nil
	}
	return &exchangeReads{
		transport: sync.OnceValues(func() (graphclient.TransportConfig, error) { return x.TransportConfig(ctx) }),
		policies:  sync.OnceValues(func() ([]graphclient.AuthenticationPolicy, error) { return x.AuthenticationPolicies(ctx) }),
		mailboxes: sync.OnceValues(func() (mailboxIndex, error) {
			all, err := x.CASMailboxes(ctx)
			if err != nil {
				return mailboxIndex{}, err
			}
			idx := mailboxIndex{byUserID: map[string]graphclient.CASMailbox{}, byAddress: map[string]graphclient.CASMailbox{}}
			for _, mb := range all {
				if mb.UserID != "" {
					idx.byUserID[strings.ToLower(mb.UserID)] = mb
				}
				idx.byAddress[strings.ToLower(mb.PrimarySMTPAddress)] = mb
			}
			return idx, nil
		}),
	}
}

// accountExchangeGraph is accountGraph with the Exchange reads
// (evidence.Exchange), answered from the scan's bulk reads.
type accountExchangeGraph struct {
	accountGraph
	x *exchangeReads
}

var _ evidence.Exchange = accountExchangeGraph{}

func (a accountExchangeGraph) TransportConfig(context.Context) (graphclient.TransportConfig, error) {
	return a.x.transport()
}

func (a accountExchangeGraph) AuthenticationPolicies(context.Context) ([]graphclient.AuthenticationPolicy, error) {
	return a.x.policies()
}

// CASMailbox is the account's row of the bulk listing: by its user id,
// else its address. A mailbox the listing lacks is not found, as the
// one-mailbox read would say: could not check, never a guess.
func (a accountExchangeGraph) CASMailbox(_ context.Context, upn string) (graphclient.CASMailbox, error) {
	idx, err := a.x.mailboxes()
	if err != nil {
		return graphclient.CASMailbox{}, err
	}
	if strings.EqualFold(upn, a.account.upn) && a.account.id != "" {
		if mb, ok := idx.byUserID[strings.ToLower(a.account.id)]; ok {
			return mb, nil
		}
	}
	// By address only when the row is not another user's mailbox.
	if mb, ok := idx.byAddress[strings.ToLower(upn)]; ok && (mb.UserID == "" || a.account.id == "" || strings.EqualFold(mb.UserID, a.account.id)) {
		return mb, nil
	}
	return graphclient.CASMailbox{}, &graphclient.ExchangeError{Status: http.StatusNotFound, Code: "NotFound",
		Message: fmt.Sprintf("Get-CASMailbox lists no mailbox for %s", upn)}
}

// forGather is the account's Graph as evidence.Gather takes it: with the
// Exchange reads when the scan's Graph can make them.
func (a accountGraph) forGather() evidence.Graph {
	if a.exchange == nil {
		return a
	}
	return accountExchangeGraph{accountGraph: a, x: a.exchange}
}
