package flow

import (
	"errors"
	"fmt"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/termsafe"
)

// SignInTrouble explains a failed sign-in in plain words: what Entra said,
// and what to do next. consentURL is the v2 admin-consent page, or "" when
// the tenant is not known by id or domain; deviceCode says the sign-in
// used a device code rather than the browser.
func SignInTrouble(err error, consentURL string, deviceCode bool) (headline, next string) {
	var ee *graphclient.EntraError
	if !errors.As(err, &ee) {
		text, next := Explain(err)
		return text, next
	}
	switch {
	case ee.HasCode(53003) && deviceCode:
		return "Your organisation blocks signing in with a device code (AADSTS53003).",
			"Most often Microsoft's managed Conditional Access policy \"Block device code flow\" (switched on in many tenants since 2025) or a policy on authentication flows refuses this way of signing in; the sign-in log's entry names the policy. Sign in with the browser instead (apppass's default, without --device-code), on a computer with a browser."
	case ee.HasCode(53003):
		return "A Conditional Access policy blocks this sign-in (AADSTS53003).",
			"The sign-in log's entry names the policy and what it asks for (a compliant or joined device, a location, ...). Sign in where the policy allows it, or ask an admin."
	case ee.HasCode(65001) || ee.HasCode(90094):
		if consentURL != "" {
			return "apppass's permissions have not been consented to in this tenant.",
				"An admin grants them once, with exactly the scopes apppass asks for, at " + consentURL + " — then try again."
		}
		return "apppass's permissions have not been consented to in this tenant.",
			"An admin signs in to apppass once and ticks \"Consent on behalf of your organization\"; or run apppass with --tenant set to the tenant's id or domain, and it shows the admin-consent address."
	case ee.HasCode(65004):
		return "The consent was declined (AADSTS65004).",
			"Sign in again and accept, or ask an admin to consent for the organisation."
	case ee.HasCode(7000218):
		return "The app behind --client-id does not allow public client flows (AADSTS7000218).",
			"In the Entra admin center › App registrations › the app › Authentication, set \"Allow public client flows\" to Yes; or leave out --client-id to use Microsoft Graph Command Line Tools."
	case ee.HasCode(700016):
		return "The app's client id is not known in this tenant (AADSTS700016).",
			"Check --client-id and --tenant: the app must be registered in, or consented to by, this tenant."
	case ee.HasCode(50020):
		return "This account is not from this tenant (AADSTS50020): a guest or a personal Microsoft account.",
			"Sign in with a work account of the tenant, or set --tenant to your own tenant."
	case ee.OAuthError == "expired_token":
		return "The code expired before it was used.", "Ask for a new code."
	case ee.OAuthError == "authorization_declined":
		return "The sign-in was declined in the browser.", "Try again, and approve it this time."
	}
	return Explain(err) // its text names the AADSTS code
}

// Explain turns an error into plain words and what to do next, keeping
// the request id for support.
func Explain(err error) (text, next string) {
	var ee *graphclient.EntraError
	switch {
	case errors.As(err, &ee):
		info := diagnose.LookupCode(ee.Code())
		return fmt.Sprintf("Entra ID refused: %s (AADSTS%d).", info.Meaning, ee.Code()), "See " + ee.LookupURL() + "."
	case graphclient.IsLicenceRequired(err):
		return "The tenant lacks the licence this needs (Microsoft Entra ID P1).", "Continue without it, or ask your admin about the licence."
	case graphclient.IsForbidden(err):
		return "You lack the role or permission this needs.", "Ask an admin, or sign in as one."
	case graphclient.IsNotFound(err):
		return "Microsoft Graph does not know that object.", "Check the account name and try again."
	case graphclient.IsThrottled(err):
		return "Microsoft Graph is throttling requests.", "Wait a minute, then press r to retry."
	case graphclient.IsUnavailable(err):
		return "Microsoft Graph is unavailable for now.", "Wait a minute, then press r to retry."
	case errors.Is(err, graphclient.ErrUnreachable):
		return "No answer from Microsoft (network or time-out).", "Check the connection, then press r to retry."
	case errors.Is(err, graphclient.ErrMalformedResponse):
		return "Microsoft sent an answer apppass could not read.", "Press r to retry."
	case errors.Is(err, graphclient.ErrNotSignedIn):
		return "The sign-in has expired.", "Press esc to go back and sign in again."
	}
	return termsafe.Clean(err.Error()), "Press r to retry."
}
