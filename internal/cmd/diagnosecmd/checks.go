package diagnosecmd

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/evidence"
	"github.com/apppass/apppass/flow"
	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/internal/cmdutil"
	"github.com/apppass/apppass/internal/prompt"
	"github.com/apppass/apppass/smtpauth"
	"github.com/apppass/apppass/termsafe"
)

func passwordCheck(ctx context.Context, client *graphclient.Client, upn string, p *prompt.Prompter, stderr io.Writer) diagnose.Item[int] {
	fmt.Fprintln(stderr, evidence.LockoutWarning)
	secret, err := p.Secret(fmt.Sprintf("Regular password of %s (empty to skip): ", termsafe.Clean(upn)))
	if err != nil || secret == "" {
		return diagnose.Item[int]{Status: diagnose.StatusNotRun}
	}
	err = client.CheckPassword(ctx, upn, secret)
	if err == nil {
		return diagnose.OK(0)
	}
	var ee *graphclient.EntraError
	if errors.As(err, &ee) {
		return diagnose.OK(ee.Code())
	}
	return diagnose.Item[int]{Status: diagnose.StatusFailed, Err: err.Error()}
}

func smtpTest(ctx context.Context, cfg smtpauth.Config, upn string, p *prompt.Prompter) diagnose.Item[string] {
	secret, err := p.Secret(fmt.Sprintf("App password (or password) of %s to test against SMTP AUTH: ", termsafe.Clean(upn)))
	if err != nil || secret == "" {
		return diagnose.Item[string]{Status: diagnose.StatusNotRun}
	}
	reply, err := smtpauth.Test(ctx, cfg, upn, secret)
	if err != nil {
		return diagnose.Item[string]{Status: diagnose.StatusFailed, Err: err.Error()}
	}
	return diagnose.OK(reply)
}

// printReport writes the report through termsafe: it quotes Graph, the
// scenario and pasted text, none of which may reach a terminal raw.
func printReport(out io.Writer, r diagnose.Report, format string) error {
	w := termsafe.Writer(out)
	switch format {
	case "json":
		data, err := r.JSON()
		if err != nil {
			return err
		}
		_, err = fmt.Fprintln(w, string(data))
		return err
	case "markdown":
		_, err := io.WriteString(w, r.Markdown())
		return err
	case "admin-note":
		_, err := io.WriteString(w, r.AdminNote())
		return err
	}
	_, err := io.WriteString(w, r.Text())
	return err
}

// oauthTest has the account owner sign in for SMTP.Send (the browser, or
// a code) and tries SMTP AUTH with XOAUTH2: flow's one OAuth test, as
// lines on stderr. A refused token request is the test's answer too
// ("AADSTSnnnnn: ..."). The token is used once and dropped.
func oauthTest(ctx context.Context, oauth flow.OAuthSMTP, way flow.SignInWay, upn string, stderr io.Writer) diagnose.Item[string] {
	fmt.Fprintf(stderr, "OAuth test: %s signs in for SMTP.Send (the token is used once, never kept).\n", termsafe.Clean(upn))
	lines := &flow.SignInLines{Say: cmdutil.SayTo(stderr), Way: way}
	res, err := flow.OAuthTest{SMTP: oauth, Way: way, UPN: upn}.Run(ctx, lines)
	if err != nil {
		return diagnose.Item[string]{Status: diagnose.StatusFailed, Err: err.Error()}
	}
	return diagnose.OK(res.Reply)
}
