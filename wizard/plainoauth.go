package wizard

import (
	"errors"
	"fmt"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/flow"
	"github.com/apppass/apppass/steps"
)

// oauthTest is the OAuth test screen as plain prompts: the ways forward,
// then, if asked, flow's OAuth test: the owner signs in for SMTP.Send and
// SMTP AUTH is tried with XOAUTH2. The token is used once and never kept.
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
	if as := p.env.StandIns.SignInAs; as != nil {
		as(steps.ModeEndUser)
	}
	res, err := flow.OAuthTest{SMTP: p.env.OAuth, Way: p.env.SignIn, UPN: upn}.Run(p.ctx, p.signInLines())
	if err != nil {
		if p.ctx.Err() != nil {
			return "", "", p.ctx.Err()
		}
		if errors.Is(err, flow.ErrNoOAuth) {
			return diagnose.OutcomeUnknown, err.Error(), nil
		}
		return diagnose.OutcomeUnknown, "no answer: " + err.Error(), nil
	}
	p.s.OAuthResult = res.Reply
	p.say("%s\n%s", res.Reply, res.Finding.Detail)
	if res.Finding.Fix != "" {
		p.say("Fix: %s", res.Finding.Fix)
	}
	return res.Outcome(), res.Reply, nil
}
