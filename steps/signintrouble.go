package steps

import (
	"errors"

	"github.com/apppass/apppass/graphclient"
)

// SignInTrouble explains a failed sign-in in plain words: what Entra said,
// and what to do next. consentURL is the v2 admin-consent page, or "" when
// the tenant is not known by id or domain; deviceCode says the sign-in
// used a device code rather than the browser.
func SignInTrouble(err error, consentURL string, deviceCode bool) (headline, next string) {
	var ee *graphclient.EntraError
	if !errors.As(err, &ee) {
		text, next := explain(err)
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
	return explain(err) // its text names the AADSTS code
}
