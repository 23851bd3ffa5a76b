package graphclient

import (
	"net/url"
	"strings"
)

// consentRedirect is a redirect URI registered for Microsoft Graph Command
// Line Tools, where Entra sends the admin after granting consent.
const consentRedirect = "http://localhost"

// AdminConsentURL is the v2 admin-consent page that grants apppass's exact
// scopes to its client in cfg's tenant. The v1 /adminconsent endpoint
// grants only statically configured permissions, so it cannot grant the
// dynamic scopes apppass asks for (M365-FACTS.md section 8). The v2 page
// takes the tenant's id, a verified domain or organizations (the admin's
// own tenant, once signed in); only common and consumers are refused, and
// then an admin must sign in to apppass once and accept for the
// organisation instead (M365-FACTS.md section 9).
func AdminConsentURL(cfg Config) (consent string, ok bool) {
	tenant := strings.ToLower(cfg.Tenant)
	if tenant == "" {
		tenant = "organizations"
	}
	if tenant == "common" || tenant == "consumers" {
		return "", false
	}
	clientID := cfg.ClientID
	if clientID == "" {
		clientID = GraphCommandLineToolsClientID
	}
	scopes := cfg.Scopes
	if len(scopes) == 0 {
		scopes = AdminScopes
	}
	full := make([]string, len(scopes))
	for i, s := range scopes {
		full[i] = strings.TrimSuffix(cfg.Cloud.GraphRoot, "/") + "/" + s
	}
	q := url.Values{"client_id": {clientID}, "scope": {strings.Join(full, " ")}, "redirect_uri": {consentRedirect}}
	return strings.TrimSuffix(cfg.Cloud.AuthorityHost, "/") + "/" + url.PathEscape(tenant) + "/v2.0/adminconsent?" + q.Encode(), true
}
