package wizard

import (
	"errors"
	"fmt"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/steps"
)

// oauthTest is the OAuth test screen as plain prompts: the ways forward,
// then, if asked, the owner signs in for SMTP.Send and SMTP AUTH is tried
// with XOAUTH2. The token is used once and never kept.
func (p *plain) oauthTest() (diagnose.Outcome, string, error) {
	upn := p.s.Target.UPN
	p.say("An app password cannot help here, but OAuth can (SMTP AUTH with XOAUTH2; security defaults and policies against legacy authentication do not block it). The ways forward for SMTP:")
	for _, r := range diagnose.Routes(diagnose.ServiceSMTP) {
		p.say("  • %s: when %s.", r.Name, r.FitsWhen)
	}
	test, err := p.yes(fmt.Sprintf("Test the OAuth route now? %s signs in for SMTP.Send; the token is used once, never kept.", upn))
	if !test || err != nil {
		return diagnose.OutcomeSkipped, "not tested", err
	}
	if p.env.OAuth.Connect == nil {
		return diagnose.OutcomeUnknown, "this run cannot sign in for SMTP.Send", nil
	}
	client, err := p.env.OAuth.Connect(upn)
	if err != nil {
		return diagnose.OutcomeUnknown, "no answer: " + err.Error(), nil
	}
	result, err := p.oauthResult(client, upn)
	if err != nil {
		if p.ctx.Err() != nil {
			return "", "", p.ctx.Err()
		}
		return diagnose.OutcomeUnknown, "no answer: " + err.Error(), nil
	}
	p.s.OAuthResult = result
	f := diagnose.OAuthFinding(result)
	p.say("%s\n%s", result, f.Detail)
	if f.Fix != "" {
		p.say("Fix: %s", f.Fix)
	}
	if f.ID == "oauth-smtp-works" {
		return diagnose.OutcomeDone, result, nil
	}
	return diagnose.OutcomeFailed, result, nil
}

// oauthResult signs the owner in and tries XOAUTH2; Entra's refusal of
// the token request is a result too.
func (p *plain) oauthResult(client steps.OAuthClient, upn string) (string, error) {
	if _, err := p.signInAnew(client, steps.ModeEndUser); err != nil {
		var ee *graphclient.EntraError
		if errors.As(err, &ee) && ee.Code() != 0 {
			return fmt.Sprintf("AADSTS%d: %s", ee.Code(), diagnose.LookupCode(ee.Code()).Meaning), nil
		}
		return "", err
	}
	token, err := client.AccessToken(p.ctx)
	if err != nil {
		return "", err
	}
	return p.env.OAuth.Test(p.ctx, upn, token)
}
