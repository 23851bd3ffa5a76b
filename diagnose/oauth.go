package diagnose

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// The owner's test of the OAuth route (SMTP AUTH with XOAUTH2) is evidence
// about the way forward, not about the app password: it never changes the
// answer, it says whether the modern route works for this mailbox.

// aadstsAt finds the code of a refused token request ("AADSTS53003: ...").
var aadstsAt = regexp.MustCompile(`^AADSTS(\d+)`)

// oauthRules explains the OAuth test's result in plain words.
func (d *diagnosis) oauthRules() {
	if t := d.ev.SMTPOAuthTest; t.Known() {
		d.add(OAuthFinding(t.Value))
	}
}

// OAuthFinding explains the result of the owner's OAuth test: SMTP AUTH's
// reply to XOAUTH2, or Entra's refusal of the token request
// ("AADSTSnnnnn: ..."). Its ID starts with "oauth-smtp"; only
// "oauth-smtp-works" means the route works.
func OAuthFinding(result string) Finding {
	const source = "https://learn.microsoft.com/exchange/client-developer/legacy-protocols/how-to-authenticate-an-imap-pop-smtp-application-by-using-oauth"
	f := Finding{ID: "oauth-smtp", Severity: SeverityProblem, Source: source}
	if m := aadstsAt.FindStringSubmatch(result); m != nil {
		code, _ := strconv.Atoi(m[1])
		f.ID, f.Title = "oauth-smtp-token-refused", fmt.Sprintf("Entra ID refused the owner's OAuth sign-in for SMTP.Send (AADSTS%d)", code)
		f.Detail = oauthRefusal(code)
		return f
	}
	reply, ok := ParseSMTPReply(result)
	f.Title = "The OAuth route: SMTP AUTH answered " + result
	switch {
	case !ok:
		f.Severity, f.Detail = SeverityWarning, "apppass does not know this reply; Exchange Online's own wording is above."
	case reply.Meaning == SMTPAccepted:
		f.ID, f.Severity = "oauth-smtp-works", SeverityInfo
		f.Title = "The OAuth route works for this mailbox (" + result + ")"
		f.Detail = "SMTP AUTH with XOAUTH2 accepted the account owner's token for SMTP.Send. An app that supports OAuth for SMTP can send as this mailbox this way; security defaults and policies that block legacy authentication refuse passwords, not OAuth. Switch the app to OAuth 2.0 (\"modern authentication\") for SMTP."
	case reply.Meaning == SMTPMailboxDisabled || reply.Meaning == SMTPTenantDisabled:
		f.ID = "oauth-smtp-switched-off"
		f.Detail = "SMTP AUTH is off for this mailbox or the organisation, and that switch applies to OAuth too: the token was fine."
		f.Fix, f.Who = perMailboxSMTP[0], whoExchange
	case reply.Code == 535:
		f.ID = "oauth-smtp-token-rejected"
		f.Detail = "Entra ID issued the token but Exchange Online did not accept it for this mailbox: the account may have no Exchange Online mailbox or licence, or the token belongs to another account than the one tested."
	default:
		f.Severity, f.Detail = SeverityWarning, reply.Explain()
	}
	return f
}

// oauthRefusal says why Entra refused the owner's token request.
func oauthRefusal(code int) string {
	switch {
	case code == 65002:
		return "Entra ID will not give the app apppass signed in with (by default Microsoft Graph Command Line Tools, a Microsoft app) a token for Exchange Online's SMTP.Send: one Microsoft app needs Microsoft's preauthorization to call another, and whether Graph Command Line Tools has it for SMTP.Send is not documented. Nothing is wrong with the mailbox. Microsoft documents SMTP OAuth with your own app registration: register a public client app in Entra ID with the delegated permission SMTP.Send (Office 365 Exchange Online) and http://localhost as a mobile and desktop redirect URI, then run the test again with --oauth-client-id <its application (client) id>."
	case code == 53003:
		return "A Conditional Access policy blocks this modern sign-in too (not only legacy clients): the sign-in log's entry names it. The OAuth route needs that policy to allow the app."
	case slices.Contains([]int{65001, 90094, 65004}, code):
		return "The owner, or an admin for the organisation, must consent to SMTP.Send for the app first."
	case code == 50076 || code == 50079:
		return "The sign-in needs multi-factor authentication, which the owner did not complete; sign in again and complete it."
	}
	return LookupCode(code).Meaning + "."
}

// wayForward names the routes when the plan is to move to modern authentication.
func (d *diagnosis) wayForward(r *Report) {
	if slices.Contains(r.Plan, StepModernAuth) {
		r.WayForward = Routes(d.service)
	}
}

// adminNoteWayForward adds the owner's OAuth test and the first route to
// the note for an admin.
func (r Report) adminNoteWayForward(b *strings.Builder) {
	for _, f := range r.Findings {
		if strings.HasPrefix(f.ID, "oauth-smtp") {
			fmt.Fprintf(b, "\nOAuth test by the account owner: %s. %s", f.Title, f.Detail)
			if f.Fix != "" {
				fmt.Fprintf(b, " %s", f.Fix)
			}
			b.WriteString("\n")
		}
	}
	if len(r.WayForward) > 0 {
		w := r.WayForward[0]
		fmt.Fprintf(b, "\nThe way forward: %s, when %s.\n- Permission: %s.\n- Consent: %s.\n", w.Name, w.FitsWhen, w.Permission, w.Consent)
		for _, c := range w.Changes {
			fmt.Fprintf(b, "- %s\n", c)
		}
		fmt.Fprintf(b, "- Microsoft's page: %s\n", w.Doc)
	}
}
