package graphclient_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/apppass/apppass/graphclient"
)

// The admin-consent page is the v2 one, for a named tenant, with the exact
// scopes as full resource URLs, for a named tenant or organizations; for
// common and consumers there is none to give.
func TestAdminConsentURL(t *testing.T) {
	global := graphclient.Clouds["global"]
	got, ok := graphclient.AdminConsentURL(graphclient.Config{Cloud: global, Tenant: "contoso.com"})
	if !ok {
		t.Fatal("no consent URL for a named tenant")
	}
	u, err := url.Parse(got)
	if err != nil || u.Host != "login.microsoftonline.com" || u.Path != "/contoso.com/v2.0/adminconsent" {
		t.Fatalf("consent URL %q", got)
	}
	q := u.Query()
	scopes := strings.Fields(q.Get("scope"))
	if q.Get("client_id") != graphclient.GraphCommandLineToolsClientID || q.Get("redirect_uri") == "" ||
		len(scopes) != len(graphclient.AdminScopes) || scopes[0] != "https://graph.microsoft.com/"+graphclient.AdminScopes[0] {
		t.Fatalf("consent URL query %v", q)
	}
	for _, tenant := range []string{"", "organizations", "Organizations"} {
		u, ok := graphclient.AdminConsentURL(graphclient.Config{Cloud: global, Tenant: tenant})
		if !ok || !strings.HasPrefix(u, "https://login.microsoftonline.com/organizations/v2.0/adminconsent?") {
			t.Errorf("tenant %q: %q", tenant, u)
		}
	}
	for _, tenant := range []string{"common", "Common", "consumers"} {
		if u, ok := graphclient.AdminConsentURL(graphclient.Config{Cloud: global, Tenant: tenant}); ok || u != "" {
			t.Errorf("tenant %q: %q", tenant, u)
		}
	}
}
