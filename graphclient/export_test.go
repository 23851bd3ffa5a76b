package graphclient

import (
	"net/http"

	"github.com/microsoft/kiota-abstractions-go/authentication"
)

// Hooks for the black-box tests (package graphclient_test). Those sign in
// through package demo, which imports graphclient, so they cannot live in
// package graphclient itself.

// AsGraphError is asGraphError.
var AsGraphError = asGraphError

// SetTransport sends c's Graph requests (not its sign-in) through rt.
func SetTransport(c *Client, rt http.RoundTripper) error {
	c.httpClient.Transport = rt
	adapter, err := c.newAdapter()
	if err != nil {
		return err
	}
	c.adapter = adapter
	return nil
}

// GraphTokenProvider is a token provider for c's requests to the cloud's
// Graph host (returned as host:port), allowed the given host names.
func GraphTokenProvider(c *Client, cloud Cloud, allowed ...string) (authentication.AccessTokenProvider, string) {
	host, _ := cloud.graphHost()
	p := &tokenProvider{client: c, graphHost: host}
	if err := p.allowed.SetAllowedHostsErrorCheck(allowed); err != nil {
		panic(err) // a test's own host names
	}
	return p, host
}

// NewTokenCache is newTokenCache: this platform's token cache in a file.
var NewTokenCache = newTokenCache

// SetExchangePageSize makes c ask Exchange's admin endpoint for pages of n rows.
func SetExchangePageSize(c *Client, n int) { c.exchangePage = n }

// Transport is c's HTTP transport, for a test to wrap.
func Transport(c *Client) http.RoundTripper { return c.httpClient.Transport }
