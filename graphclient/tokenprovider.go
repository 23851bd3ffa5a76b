package graphclient

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/microsoft/kiota-abstractions-go/authentication"
)

// tokenProvider gives kiota MSAL's access tokens, but only for https
// requests to the cloud's Graph host: a token never leaves for another host.
type tokenProvider struct {
	client    *Client
	graphHost string // host:port
	allowed   authentication.AllowedHostsValidator
}

func newTokenProvider(c *Client, graphHost string) (*authentication.BaseBearerTokenAuthenticationProvider, error) {
	hostname, _, _ := strings.Cut(graphHost, ":")
	p := &tokenProvider{client: c, graphHost: graphHost}
	if err := p.allowed.SetAllowedHostsErrorCheck([]string{hostname}); err != nil {
		return nil, fmt.Errorf("the cloud's Graph host %q: %w", hostname, err)
	}
	return authentication.NewBaseBearerTokenAuthenticationProvider(p), nil
}

// GetAuthorizationToken implements authentication.AccessTokenProvider.
func (p *tokenProvider) GetAuthorizationToken(ctx context.Context, u *url.URL, extra map[string]any) (string, error) {
	if u == nil || !strings.EqualFold(u.Scheme, "https") {
		return "", fmt.Errorf("refusing to send a token over plain http")
	}
	// kiota's validator ignores the port; the simulator's port matters.
	if !p.allowed.IsUrlHostValid(u) || !strings.EqualFold(u.Host, p.graphHost) {
		return "", fmt.Errorf("refusing to send a token to %s: not this cloud's Graph host", u.Host)
	}
	claims, _ := extra["claims"].(string)
	return p.client.token(ctx, claims)
}

// GetAllowedHostsValidator implements authentication.AccessTokenProvider.
func (p *tokenProvider) GetAllowedHostsValidator() *authentication.AllowedHostsValidator {
	return &p.allowed
}
