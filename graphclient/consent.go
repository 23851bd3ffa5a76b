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
// needs the tenant's id or a verified domain: for organizations or common,
// ok is false and an admin must sign in to apppass once and accept for the
// organisation instead.
func AdminConsentURL(cfg Config) (consent string, ok bool) {
	tenant := strings.ToLower(cfg.Tenant)
	if tenant == "" || tenant == "organizations" || tenant == "common" || tenant == "consumers" {
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
	return strings.TrimSuffix(cfg.Cloud.AuthorityHost, "/") + "/" + url.PathEscape(cfg.Tenant) + "/v2.0/adminconsent?" + q.Encode(), true
}
