package simcloud

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// The OpenID document names this tenant's endpoints, whichever name the
// client used, and an unknown tenant gets AADSTS90002.
func TestOpenIDConfiguration(t *testing.T) {
	c := startServer(t, "classic")
	tid := c.srv.Scenario().Tenant.ID
	for _, name := range []string{tid, "CONTOSO.onmicrosoft.com"} {
		doc := c.get("/" + name + "/v2.0/.well-known/openid-configuration")
		want := map[string]string{
			"issuer":                        c.ep.Authority + "/" + tid + "/v2.0",
			"authorization_endpoint":        c.ep.Authority + "/" + tid + "/oauth2/v2.0/authorize",
			"token_endpoint":                c.ep.Authority + "/" + tid + "/oauth2/v2.0/token",
			"device_authorization_endpoint": c.ep.Authority + "/" + tid + "/oauth2/v2.0/devicecode",
			"jwks_uri":                      c.ep.Authority + "/" + tid + "/discovery/v2.0/keys",
			"end_session_endpoint":          c.ep.Authority + "/" + tid + "/oauth2/v2.0/logout",
		}
		for field, v := range want {
			if doc.json[field] != v {
				t.Errorf("%s: %s = %v, want %s", name, field, doc.json[field], v)
			}
		}
		for _, field := range []string{"response_types_supported", "response_modes_supported", "subject_types_supported",
			"id_token_signing_alg_values_supported", "scopes_supported", "claims_supported"} {
			if list, _ := doc.json[field].([]any); len(list) == 0 {
				t.Errorf("%s: %s missing: %s", name, field, doc.raw)
			}
		}
	}
	org := c.get("/organizations/v2.0/.well-known/openid-configuration")
	if org.json["issuer"] != c.ep.Authority+"/{tenantid}/v2.0" || org.json["token_endpoint"] != c.ep.Authority+"/organizations/oauth2/v2.0/token" {
		t.Errorf("organizations: %s", org.raw)
	}
	unknown := c.get("/fabrikam.onmicrosoft.com/v2.0/.well-known/openid-configuration")
	assertEntraError(t, unknown, 400, "invalid_tenant", 90002)
}

// Instance discovery says where the tenant's document is and which hosts
// are this cloud; another host is an unknown instance.
func TestInstanceDiscovery(t *testing.T) {
	c := startServer(t, "classic")
	host := strings.TrimPrefix(c.ep.Authority, "https://")
	ask := func(endpoint string) testResponse {
		return c.get("/common/discovery/instance?api-version=1.1&authorization_endpoint=" + url.QueryEscape(endpoint))
	}
	r := ask(c.ep.Authority + "/contoso.onmicrosoft.com/oauth2/v2.0/authorize")
	meta, _ := r.json["metadata"].([]any)
	if r.status != 200 || r.json["tenant_discovery_endpoint"] != c.ep.Authority+"/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration" || len(meta) != 1 {
		t.Fatalf("discovery: %d %s", r.status, r.raw)
	}
	entry := meta[0].(map[string]any)
	aliases, _ := entry["aliases"].([]any)
	if entry["preferred_network"] != host || entry["preferred_cache"] != host || len(aliases) != 2 || aliases[0] != host {
		t.Fatalf("metadata: %v", entry)
	}
	assertEntraError(t, ask("https://login.example.com/common/oauth2/v2.0/authorize"), 400, "invalid_instance", 50049)
	assertEntraError(t, c.get("/common/discovery/instance?authorization_endpoint=x"), 400, "invalid_request", 90014)
}

// Id tokens are signed with RS256 by the key jwks_uri publishes.
func TestIDTokenVerifiesWithJWKS(t *testing.T) {
	c := startServer(t, "classic")
	tok := c.deviceCodeToken(c.srv.Scenario().Tenant.ID)
	parts := strings.Split(tok.json["id_token"].(string), ".")
	if len(parts) != 3 {
		t.Fatalf("id token %q", tok.json["id_token"])
	}
	var header, claims map[string]any
	decodeSegment(t, parts[0], &header)
	decodeSegment(t, parts[1], &claims)
	doc := c.get("/" + c.srv.Scenario().Tenant.Domain + "/v2.0/.well-known/openid-configuration")
	if header["alg"] != "RS256" || claims["iss"] != doc.json["issuer"] || claims["aud"] != "c" || claims["tid"] != c.srv.Scenario().Tenant.ID {
		t.Fatalf("header %v claims %v", header, claims)
	}
	keys := c.get(strings.TrimPrefix(doc.json["jwks_uri"].(string), c.ep.Authority))
	list, _ := keys.json["keys"].([]any)
	if len(list) != 1 {
		t.Fatalf("jwks: %s", keys.raw)
	}
	key := list[0].(map[string]any)
	if key["kid"] != header["kid"] || key["kty"] != "RSA" || key["use"] != "sig" || key["x5t"] != header["kid"] {
		t.Fatalf("key %v, header %v", key, header)
	}
	var n, e []byte
	decodeBase64URL(t, key["n"].(string), &n)
	decodeBase64URL(t, key["e"].(string), &e)
	pub := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
	var sig []byte
	decodeBase64URL(t, parts[2], &sig)
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig); err != nil {
		t.Fatalf("signature: %v", err)
	}
	der, _ := base64.StdEncoding.DecodeString(key["x5c"].([]any)[0].(string))
	cert, err := x509.ParseCertificate(der)
	if err != nil || !pub.Equal(cert.PublicKey) {
		t.Fatalf("x5c does not hold the key: %v", err)
	}
}

func decodeBase64URL(t *testing.T, s string, out *[]byte) {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	*out = b
}

func decodeSegment(t *testing.T, s string, v any) {
	t.Helper()
	var b []byte
	decodeBase64URL(t, s, &b)
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

// assertEntraError checks Microsoft's token-endpoint error shape: the
// description starts with the AADSTS code and repeats the body's ids.
func assertEntraError(t *testing.T, r testResponse, status int, errName string, code int) {
	t.Helper()
	codes, _ := r.json["error_codes"].([]any)
	desc, _ := r.json["error_description"].(string)
	trace, _ := r.json["trace_id"].(string)
	corr, _ := r.json["correlation_id"].(string)
	if r.status != status || r.json["error"] != errName || len(codes) != 1 || codes[0] != float64(code) {
		t.Fatalf("want %d %s %d, got %d %s", status, errName, code, r.status, r.raw)
	}
	if !strings.HasPrefix(desc, "AADSTS"+strconv.Itoa(code)+": ") || !isGUID(trace) || !isGUID(corr) ||
		!strings.Contains(desc, "Trace ID: "+trace) || !strings.Contains(desc, "Correlation ID: "+corr) || r.json["timestamp"] == nil {
		t.Fatalf("error shape: %s", r.raw)
	}
}
