package graphclient

import (
	"context"
	"fmt"
)

// Exchange's admin endpoint through the customer's own app registration
// (--exchange-client-id). Microsoft's first-party clients may be refused a
// token for another first-party resource (AADSTS65002, M365-FACTS.md
// section 9); whether Graph Command Line Tools may get one for Exchange
// Online is not documented. An app registration with Exchange's delegated
// permission is then the way: its own MSAL client, signed in as the same
// admin, gives the tokens, and the reads are the same.

// TokenSource gives access tokens for one resource; a *Client signed in
// for Exchange's scope is one.
type TokenSource interface {
	AccessToken(ctx context.Context) (string, error)
}

// ExchangeAppConfig is cfg for signing in to the app registration clientID
// for Exchange's admin endpoint: the same cloud, tenant and token cache,
// Exchange's scope alone, and the signed-in admin (upn) as login hint.
func ExchangeAppConfig(cfg Config, clientID, upn string) (Config, error) {
	if err := ValidateClientID(clientID); err != nil {
		return Config{}, fmt.Errorf("--exchange-client-id: %w", err)
	}
	if cfg.Cloud.ExchangeScope == "" {
		return Config{}, ErrExchangeUnavailable
	}
	cfg.ClientID, cfg.Scopes, cfg.LoginHint = clientID, []string{cfg.Cloud.ExchangeScope}, upn
	return cfg, nil
}

// UseExchangeTokens makes c ask src, not its own MSAL client, for the
// tokens it sends to Exchange's admin endpoint. src must be signed in as
// c's account: Exchange answers for whoever the token names.
func (c *Client) UseExchangeTokens(src TokenSource) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.exchangeTokens = src
}

// FailedTokenSource is a TokenSource that could not be had (the app's
// sign-in failed): every Exchange call fails with Err, so the reads fall
// back rather than go through another app unasked.
type FailedTokenSource struct{ Err error }

// AccessToken returns the failure.
func (f FailedTokenSource) AccessToken(context.Context) (string, error) { return "", f.Err }
