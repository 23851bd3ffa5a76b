package graphclient

import (
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode"

	msalerrors "github.com/AzureAD/microsoft-authentication-library-for-go/apps/errors"
)

func TestParseGraphError(t *testing.T) {
	hdr := http.Header{"Request-Id": {"header-id"}, "Retry-After": {"7"}}
	cases := []struct {
		name, body          string
		wantCode, wantReqID string
		wantMsg             string
	}{
		{"full", `{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges","innerError":{"request-id":"inner-id","date":"2026-11-21T09:00:00"}}}`,
			"Authorization_RequestDenied", "inner-id", "Insufficient privileges"},
		{"no message (the SDK's Error() panics here)", `{"error":{"code":"X"}}`, "X", "header-id", ""},
		{"no error object", `{"something":"else"}`, "", "header-id", ""},
		{"empty", ``, "", "header-id", ""},
		{"not JSON", `<html>Bad gateway</html>`, "", "header-id", "the error body is not JSON"},
		{"null error", `{"error":null}`, "", "header-id", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := parseGraphError(403, hdr, []byte(tc.body))
			if e.Status != 403 || e.Code != tc.wantCode || e.RequestID != tc.wantReqID || e.Message != tc.wantMsg || e.RetryAfter != 7*time.Second {
				t.Fatalf("got %+v", e)
			}
			if !strings.Contains(e.Error(), "403") {
				t.Fatalf("Error() = %q", e.Error())
			}
		})
	}
}

func FuzzParseGraphError(f *testing.F) {
	f.Add(403, `{"error":{"code":"Authorization_RequestDenied","message":"m","innerError":{"request-id":"r"}}}`, "3")
	f.Add(500, ``, "")
	f.Add(429, `{"error":{"innerError":{}}}`, "x")
	f.Add(400, `{"error":[1,2]}`, "-1")
	f.Fuzz(func(t *testing.T, status int, body, retry string) {
		e := parseGraphError(status, http.Header{"Retry-After": {retry}}, []byte(body))
		if e.Status != status || e.RetryAfter < 0 {
			t.Fatalf("got %+v", e)
		}
		_ = e.Error()
	})
}

func TestAsEntraError(t *testing.T) {
	body := `{"error":"invalid_grant","error_description":"AADSTS50076: Due to a configuration change...","error_codes":[50076],"suberror":"basic_action","correlation_id":"c"}`
	// MSAL wraps Entra's body in errors.CallErr, by value, with the JSON in its message.
	call := msalerrors.CallErr{Err: errors.New("http call(https://login/token)(POST) error: reply status code was 400:\n" + body)}
	e, ok := AsEntraError(call)
	if !ok || e.Code() != 50076 || e.SubError != "basic_action" || !e.HasCode(50076) || e.HasCode(50126) {
		t.Fatalf("got %+v, %v", e, ok)
	}
	if e.LookupURL() != "https://login.microsoftonline.com/error?code=50076" {
		t.Fatal(e.LookupURL())
	}
	if _, ok := AsEntraError(errors.New("dial tcp: connection refused")); ok {
		t.Fatal("a network error parsed as an Entra answer")
	}
	if _, ok := AsEntraError(nil); ok {
		t.Fatal("nil parsed")
	}
	wrapped := errors.Join(errors.New("context"), e)
	if got, ok := AsEntraError(wrapped); !ok || got != e {
		t.Fatal("an already typed error was not found")
	}
}

func FuzzParseEntraError(f *testing.F) {
	f.Add(`{"error":"invalid_grant","error_codes":[50126]}`)
	f.Add(`{"error":"authorization_pending","error_codes":[]}`)
	f.Add(`{"error":"x","error_codes":"nope"}`)
	f.Add(`reply status code was 400: {"error":"invalid_grant"} trailing }`)
	f.Fuzz(func(t *testing.T, s string) {
		if e, ok := ParseEntraError([]byte(s)); ok {
			_ = e.Error()
			_ = e.Code()
		}
		if e, ok := AsEntraError(errors.New(s)); ok && e.OAuthError == "" {
			t.Fatalf("parsed an answer without an error name: %q", s)
		}
	})
}

// FuzzDecodeGraphObjects feeds every shape the client decodes from Graph.
func FuzzDecodeGraphObjects(f *testing.F) {
	f.Add(`{"id":"1","userPrincipalName":"a@b","accountEnabled":true,"signInSessionsValidFromDateTime":"2026-11-21T09:00:00Z","onPremisesSyncEnabled":null}`)
	f.Add(`{"value":[{"@odata.type":"#microsoft.graph.group","id":"g"},{"@odata.type":"#microsoft.graph.directoryRole","roleTemplateId":"r"}],"@odata.nextLink":"https://x/y"}`)
	f.Add(`{"perUserMfaState":"enforced"}`)
	f.Add(`{"value":[{"status":{"errorCode":50076},"authenticationRequirementPolicies":[{"requirementProvider":"user"}]}]}`)
	f.Add(`{"value":[{"id":"o","displayName":"Contoso","verifiedDomains":[{"name":"c.com","type":"Federated"}]}]}`)
	f.Add(`{"value":[{"state":"enabled","conditions":{"clientAppTypes":["all"],"users":{"includeUsers":["All"]}},"grantControls":{"builtInControls":["mfa"],"authenticationStrength":{"displayName":"x"}}}]}`)
	f.Add(`{"isEnabled":true}`)
	f.Add(`{"isLegacyAuthProtocolsEnabled":false}`)
	f.Add(`{"value":true}`)
	f.Add(`{"id":"1","displayName":"Megan\u001b]52;c;ZXZpbA==\u0007\u202e","userPrincipalName":"m\u009d@c"}`)
	f.Fuzz(func(t *testing.T, s string) {
		data := []byte(s)
		var (
			u   User
			org page[Organization]
			rl  page[DirectoryRole]
			si  page[SignIn]
			cp  page[CAPolicy]
			sp  SharePointSettings
			st  struct {
				State string `json:"perUserMfaState"`
			}
			sd struct {
				IsEnabled *bool `json:"isEnabled"`
			}
			rv struct {
				Value *bool `json:"value"`
			}
			mo page[struct {
				Type       string `json:"@odata.type"`
				ID         string `json:"id"`
				TemplateID string `json:"roleTemplateId"`
			}]
		)
		for _, v := range []any{&u, &org, &rl, &si, &cp, &sp, &st, &sd, &rv, &mo} {
			if err := decode(data, v); err != nil && !errors.Is(err, ErrMalformedResponse) {
				t.Fatalf("untyped decode error %v", err)
			}
			if bad := rawText(reflect.ValueOf(v)); bad != "" {
				t.Fatalf("decoded text keeps %q: Graph's strings are cleaned where they enter", bad)
			}
		}
		_, _ = ParseMFAState(st.State)
		_ = u.Synced()
		_ = u.IsGuest()
		for _, o := range org.Value {
			o.DomainOf("a@c.com")
		}
		for _, r := range si.Value {
			_ = r.Failed()
		}
	})
}

func TestValidateTenantAndClientID(t *testing.T) {
	for _, ok := range []string{"organizations", "common", "contoso.onmicrosoft.com", "def1a95c-33d3-490d-bc0f-a2e6773a11d5", "contoso.com"} {
		if err := ValidateTenant(ok); err != nil {
			t.Errorf("%q refused: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "contoso", "https://login.microsoftonline.com/contoso", "a b.com", "../etc", "-x.com"} {
		if err := ValidateTenant(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if err := ValidateClientID(GraphCommandLineToolsClientID); err != nil {
		t.Error(err)
	}
	if err := ValidateClientID("graph-cli"); err == nil {
		t.Error("a non-GUID client id was accepted")
	}
}

func FuzzValidateTenant(f *testing.F) {
	for _, s := range []string{"organizations", "contoso.onmicrosoft.com", "def1a95c-33d3-490d-bc0f-a2e6773a11d5", "a/b", "%2e%2e"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if ValidateTenant(s) == nil && strings.ContainsAny(s, "/?#%\\ \t\n") {
			t.Fatalf("tenant %q would change the authority URL", s)
		}
	})
}

func TestCloudByName(t *testing.T) {
	for name, c := range Clouds {
		got, err := CloudByName(strings.ToUpper(name))
		if err != nil || got.GraphRoot != c.GraphRoot {
			t.Errorf("%s: %v", name, err)
		}
		if _, err := c.graphHost(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if !c.isMicrosoftAuthority() {
			t.Errorf("%s is not a Microsoft authority", name)
		}
	}
	if _, err := CloudByName("mars"); err == nil || !strings.Contains(err.Error(), "global") {
		t.Fatalf("unknown cloud: %v", err)
	}
	if Clouds["china"].SecurityInfoURL != "" {
		t.Fatal("an undocumented national-cloud portal URL is filled in")
	}
}

func TestUserPath(t *testing.T) {
	cases := map[string]string{
		"a@contoso.com":             "/users/a@contoso.com",
		"$weird@contoso.com":        "/users('$weird@contoso.com')",
		"o'brien$@contoso.com":      "/users/o%27brien$@contoso.com",
		"$o'brien@contoso.com":      "/users('$o%27%27brien@contoso.com')",
		"guest_x.com#EXT#@c.com":    "/users/guest_x.com%23EXT%23@c.com",
		"9eedc9c3-7c9f-418c-807b-1": "/users/9eedc9c3-7c9f-418c-807b-1",
	}
	for in, want := range cases {
		if got := userPath(in); got != want {
			t.Errorf("userPath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDecodeClaims(t *testing.T) {
	for _, in := range []string{"eyJhIjoxfQ==", "eyJhIjoxfQ"} {
		if got, err := decodeClaims(in); err != nil || got != `{"a":1}` {
			t.Errorf("%q -> %q, %v", in, got, err)
		}
	}
	if _, err := decodeClaims("%%%"); err == nil {
		t.Error("garbage decoded")
	}
}

func TestValidateUPN(t *testing.T) {
	for _, ok := range []string{"backup@contoso.com", "$weird@contoso.com", "o'brien@contoso.com",
		"partner_fabrikam.com#EXT#@contoso.onmicrosoft.com", "a.b-c+d@sub.contoso.co.uk"} {
		if err := ValidateUPN(ok); err != nil {
			t.Errorf("%q refused: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "backup", "@contoso.com", "a@b", "a b@contoso.com", "a@contoso.com/../x",
		"a@@contoso.com", "a@contoso.com?x", "a@contoso.com\n", "a%2f@contoso.com", "admin\u202e@contoso.com", "a\u2066b@contoso.com", "a\x1b]52@contoso.com", "a\u00a0b@contoso.com", strings.Repeat("a", 320) + "@c.com"} {
		if err := ValidateUPN(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func FuzzValidateUPN(f *testing.F) {
	for _, s := range []string{"backup@contoso.com", "x#EXT#@c.onmicrosoft.com", "$a@b.c", "a/b@c.d", "@", "a@b@c.d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if ValidateUPN(s) != nil {
			return
		}
		// Whatever passes must stay one path segment and one user.
		rest := strings.TrimPrefix(userPath(s), "/users")
		if strings.Count(s, "@") != 1 || strings.ContainsAny(s, "/?%\\ \t\r\n") || strings.ContainsAny(rest[1:], "/?#") {
			t.Fatalf("%q passed validation but gives path %q", s, userPath(s))
		}
	})
}

// rawText is the first string v reaches that still holds a control or
// bidi character ("" when none does).
func rawText(v reflect.Value) string {
	switch v.Kind() {
	case reflect.String:
		for _, r := range v.String() {
			if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
				return v.String()
			}
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return rawText(v.Elem())
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				if bad := rawText(v.Field(i)); bad != "" {
					return bad
				}
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			if bad := rawText(v.Index(i)); bad != "" {
				return bad
			}
		}
	}
	return ""
}
