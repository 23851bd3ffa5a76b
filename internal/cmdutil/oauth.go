package cmdutil

import (
	"context"

	"github.com/apppass/apppass/flow"
	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/smtpauth"
)

// OAuthSMTP is the OAuth route's test: the owner signs in for the cloud's
// SMTP.Send on a client with no token cache (the token is used once and
// never stored), and SMTP AUTH is tried with XOAUTH2. The client is the
// customer's own app registration when cfg.OAuthClientID names one.
func (f *Factory) OAuthSMTP(cfg graphclient.Config, smtpCfg smtpauth.Config) flow.OAuthSMTP {
	return flow.OAuthSMTP{
		Connect: func(upn string) (flow.OAuthClient, error) {
			c := cfg
			c.Scopes, c.LoginHint, c.CachePath = []string{cfg.Cloud.SMTPScope}, upn, ""
			if cfg.OAuthClientID != "" {
				c.ClientID = cfg.OAuthClientID
			}
			return f.NewClient(c)
		},
		Test: func(ctx context.Context, upn, token string) (string, error) {
			return smtpauth.TestOAuth(ctx, smtpCfg, upn, token)
		},
	}
}
