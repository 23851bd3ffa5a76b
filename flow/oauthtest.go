package flow

import (
	"context"
	"errors"
	"fmt"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/graphclient"
)

// OAuthClient signs a person in for SMTP.Send and hands out the token.
type OAuthClient interface {
	Authenticator
	AccessToken(ctx context.Context) (string, error)
}

// OAuthSMTP tests the way forward for SMTP: the account owner signs in for
// SMTP.Send with a client of its own (its token is never stored), and SMTP
// AUTH is tried with XOAUTH2.
type OAuthSMTP struct {
	Connect func(upn string) (OAuthClient, error)
	Test    func(ctx context.Context, upn, token string) (string, error)
}

// ErrNoOAuth is the answer of a run given no way to sign in for SMTP.Send.
var ErrNoOAuth = errors.New("this run cannot sign in for SMTP.Send")

// OAuthResult is the test's answer: SMTP AUTH's reply to XOAUTH2, or
// Entra's refusal of the token request ("AADSTSnnnnn: meaning"). It never
// holds the token.
type OAuthResult struct {
	Reply string
	// Finding is diagnose's explanation of Reply.
	Finding diagnose.Finding
}

// Works says the route works: SMTP AUTH accepted the owner's token.
func (r OAuthResult) Works() bool { return r.Finding.ID == "oauth-smtp-works" }

// Outcome is the test screen's outcome: done when the route works,
// failed for any other answer.
func (r OAuthResult) Outcome() diagnose.Outcome {
	if r.Works() {
		return diagnose.OutcomeDone
	}
	return diagnose.OutcomeFailed
}

func oauthResult(reply string) OAuthResult {
	return OAuthResult{Reply: reply, Finding: diagnose.OAuthFinding(reply)}
}

// OAuthRefusal words Entra's refusal of the owner's sign-in as the test's
// answer; ok is false when err is no Entra refusal (no answer at all).
func OAuthRefusal(err error) (OAuthResult, bool) {
	var ee *graphclient.EntraError
	if !errors.As(err, &ee) || ee.Code() == 0 {
		return OAuthResult{}, false
	}
	return oauthResult(fmt.Sprintf("AADSTS%d: %s", ee.Code(), diagnose.LookupCode(ee.Code()).Meaning)), true
}

// OAuthTest is the one OAuth route test for one mailbox: the owner signs
// in for SMTP.Send on a client with no token cache, SMTP AUTH is tried
// with XOAUTH2 and the reply classified. The token is used once, dropped.
type OAuthTest struct {
	SMTP OAuthSMTP
	Way  SignInWay
	UPN  string
}

// Connect makes the owner's client, whose sign-in the front end runs
// (SignIn with Anew: it has no saved sign-in).
func (t OAuthTest) Connect() (OAuthClient, error) {
	if t.SMTP.Connect == nil {
		return nil, ErrNoOAuth
	}
	return t.SMTP.Connect(t.UPN)
}

// SignIn is the owner's sign-in on client.
func (t OAuthTest) SignIn(client OAuthClient) SignIn {
	return SignIn{Auth: client, Way: t.Way, Anew: true}
}

// Try runs SMTP AUTH with the signed-in owner's token and classifies the
// reply; an error is no answer (the token or the server did not come).
func (t OAuthTest) Try(ctx context.Context, client OAuthClient) (OAuthResult, error) {
	token, err := client.AccessToken(ctx)
	if err != nil {
		return OAuthResult{}, err
	}
	reply, err := t.SMTP.Test(ctx, t.UPN, token)
	if err != nil {
		return OAuthResult{}, err
	}
	return oauthResult(reply), nil
}

// Run is the whole test for a front end of lines: connect, the owner's
// sign-in reported to r, SMTP AUTH. Entra's refusal of the sign-in is the
// test's answer; an error is no answer (or the person quit: ctx's error).
func (t OAuthTest) Run(ctx context.Context, r SignInReporter) (OAuthResult, error) {
	client, err := t.Connect()
	if err != nil {
		return OAuthResult{}, err
	}
	if _, err := t.SignIn(client).Run(ctx, r); err != nil {
		if ctx.Err() != nil {
			return OAuthResult{}, ctx.Err()
		}
		if res, ok := OAuthRefusal(err); ok {
			return res, nil
		}
		return OAuthResult{}, err
	}
	return t.Try(ctx, client)
}
