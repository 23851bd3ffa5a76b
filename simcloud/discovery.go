package simcloud

import (
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// cloudInstanceName is what Entra's documents call the public cloud; the
// simulator plays that cloud.
const cloudInstanceName = "microsoftonline.com"

// tenantOf resolves an authority's tenant segment as Entra does: the
// scenario's tenant id or domain (any case) names the tenant, and
// "common" or "organizations" names none yet. endpoints is the segment
// Entra puts in the document's endpoints (the id for a tenant, the alias
// kept), issuer the one in its issuer ("{tenantid}" for an alias).
func (s *Server) tenantOf(segment string) (endpoints, issuer string, ok bool) {
	t := s.scenario.Tenant
	switch {
	case strings.EqualFold(segment, t.ID), strings.EqualFold(segment, t.Domain):
		return t.ID, t.ID, true
	case segment == "common", segment == "organizations":
		return segment, "{tenantid}", true
	}
	return "", "", false
}

// knownTenant wraps an authority route: a tenant segment naming no tenant
// of this cloud gets Entra's AADSTS90002.
func (s *Server) knownTenant(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if _, _, ok := s.tenantOf(r.PathValue("tenant")); !ok {
			s.entraErrorText(w, r, http.StatusBadRequest, "invalid_tenant", 90002, "",
				"Tenant '"+r.PathValue("tenant")+"' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.")
			return
		}
		h(w, r)
	}
}

// openIDConfiguration is the OpenID Provider configuration document, with
// the fields Microsoft's v2.0 document has.
func (s *Server) openIDConfiguration(w http.ResponseWriter, r *http.Request) {
	base := baseURL(r)
	tenant, issuerTenant, _ := s.tenantOf(r.PathValue("tenant"))
	root := base + "/" + tenant
	var region any // Entra gives no region for common or organizations
	if tenant == s.scenario.Tenant.ID {
		region = "EU"
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"token_endpoint":                        root + "/oauth2/v2.0/token",
		"token_endpoint_auth_methods_supported": []string{"client_secret_post", "private_key_jwt", "client_secret_basic"},
		"jwks_uri":                              root + "/discovery/v2.0/keys",
		"response_modes_supported":              []string{"query", "fragment", "form_post"},
		"subject_types_supported":               []string{"pairwise"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"response_types_supported":              []string{"code", "id_token", "code id_token", "id_token token"},
		"scopes_supported":                      []string{"openid", "profile", "email", "offline_access"},
		"issuer":                                base + "/" + issuerTenant + "/v2.0",
		"request_uri_parameter_supported":       false,
		"authorization_endpoint":                root + "/oauth2/v2.0/authorize",
		"device_authorization_endpoint":         root + "/oauth2/v2.0/devicecode",
		"http_logout_supported":                 true,
		"frontchannel_logout_supported":         true,
		"end_session_endpoint":                  root + "/oauth2/v2.0/logout",
		"claims_supported": []string{"sub", "iss", "cloud_instance_name", "cloud_instance_host_name", "cloud_graph_host_name",
			"msgraph_host", "aud", "exp", "iat", "auth_time", "acr", "nonce", "preferred_username", "name", "tid", "ver", "at_hash", "c_hash", "email"},
		"tenant_region_scope":   region,
		"cloud_instance_name":   cloudInstanceName,
		"cloud_graph_host_name": "graph.windows.net",
		"msgraph_host":          r.Host, // Graph is served from the same host
	})
}

// jwks publishes the key id tokens are signed with.
func (s *Server) jwks(w http.ResponseWriter, r *http.Request) {
	key, err := tokenKey()
	if err != nil {
		s.entraError(w, r, http.StatusInternalServerError, "server_error", 50000, "")
		return
	}
	_, issuerTenant, _ := s.tenantOf(r.PathValue("tenant"))
	writeJSON(w, http.StatusOK, map[string]any{"keys": []jwk{key.jwk(baseURL(r) + "/" + issuerTenant + "/v2.0")}})
}

// instanceDiscovery answers MSAL's cloud instance discovery
// (/common/discovery/instance?api-version=1.1&authorization_endpoint=...):
// where the tenant's OpenID document is, and which hosts are one cloud.
func (s *Server) instanceDiscovery(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if v := q.Get("api-version"); v != "1.0" && v != "1.1" {
		s.entraErrorText(w, r, http.StatusBadRequest, "invalid_request", 90014, "",
			"The required field 'api-version' is missing from the credential. Ensure that you have all the necessary parameters for the login request.")
		return
	}
	endpoint, err := url.Parse(q.Get("authorization_endpoint"))
	if err != nil || q.Get("authorization_endpoint") == "" {
		s.entraErrorText(w, r, http.StatusBadRequest, "invalid_request", 90014, "",
			"The required field 'authorization_endpoint' is missing from the credential. Ensure that you have all the necessary parameters for the login request.")
		return
	}
	aliases := s.hostAliases(r.Host)
	tenant, path, _ := strings.Cut(strings.TrimPrefix(endpoint.Path, "/"), "/")
	if endpoint.Scheme != "https" || !slices.ContainsFunc(aliases, func(a string) bool { return strings.EqualFold(a, endpoint.Host) }) || path != "oauth2/v2.0/authorize" || tenant == "" {
		s.entraError(w, r, http.StatusBadRequest, "invalid_instance", 50049, "")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"tenant_discovery_endpoint": "https://" + endpoint.Host + "/" + tenant + "/v2.0/.well-known/openid-configuration",
		"api-version":               "1.1",
		"metadata":                  []map[string]any{{"preferred_network": r.Host, "preferred_cache": r.Host, "aliases": aliases}},
	})
}

// hostAliases are the names of this host:port the certificate covers: one
// cloud under two names, as login.microsoftonline.com and login.windows.net are.
func (s *Server) hostAliases(hostPort string) []string {
	_, port, err := net.SplitHostPort(hostPort)
	if err != nil {
		return []string{hostPort}
	}
	return []string{net.JoinHostPort("127.0.0.1", port), net.JoinHostPort("localhost", port)}
}
