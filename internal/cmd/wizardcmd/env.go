package wizardcmd

import (
	"context"

	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/internal/cmdutil"
	"github.com/apppass/apppass/smtpauth"
	"github.com/apppass/apppass/wizard"
)

// Env is the part of a wizard.Env that live and demo runs build alike from
// their configuration values; the launcher adds the journal, and a demo
// its banner, clock and simulator.
func Env(f *cmdutil.Factory, cfg graphclient.Config, smtpCfg smtpauth.Config) *wizard.Env {
	return &wizard.Env{
		Cloud: cfg.Cloud,
		Now:   f.Now,
		Connect: func(scopes []string) (*graphclient.Client, error) {
			c := cfg
			c.Scopes = scopes
			return f.NewClient(c)
		},
		SMTP: func(ctx context.Context, upn, secret string) (string, error) {
			return smtpauth.Test(ctx, smtpCfg, upn, secret)
		},
		OAuth:      f.OAuthSMTP(cfg, smtpCfg),
		ConsentURL: consentURL(cfg),
		Export:     f.Export,
		Open:       f.Browser,
	}
}

// consentURL is the v2 admin-consent page for cfg, or "" when the tenant
// is not named (the sign-in screen then says how else to consent).
func consentURL(cfg graphclient.Config) string {
	u, _ := graphclient.AdminConsentURL(cfg)
	return u
}
