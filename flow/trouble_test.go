package flow

import (
	"strings"
	"testing"

	"github.com/apppass/apppass/graphclient"
)

// Each sign-in refusal gets its own plain explanation and next step.
func TestSignInTrouble(t *testing.T) {
	consent := "https://login.microsoftonline.com/contoso.com/v2.0/adminconsent?client_id=x"
	cases := []struct {
		code             int
		consentURL       string
		browser          bool
		want, wantAbsent string
	}{
		{53003, consent, false, "Block device code flow", "compliant device"},
		{53003, consent, true, "compliant or joined device", "device code"},
		{65001, consent, false, consent, "Consent on behalf"},
		{65001, "", false, "Consent on behalf of your organization", "adminconsent"},
		{90094, consent, false, consent, ""},
		{65004, "", false, "declined", ""},
		{7000218, "", false, "Allow public client flows", ""},
		{700016, "", false, "not known in this tenant", ""},
		{50020, "", false, "not from this tenant", ""},
	}
	for _, tc := range cases {
		headline, next := SignInTrouble(&graphclient.EntraError{OAuthError: "invalid_grant", Codes: []int{tc.code}}, tc.consentURL, !tc.browser)
		text := headline + " " + next
		if !strings.Contains(text, tc.want) || (tc.wantAbsent != "" && strings.Contains(text, tc.wantAbsent)) {
			t.Errorf("AADSTS%d: %q", tc.code, text)
		}
	}
}
