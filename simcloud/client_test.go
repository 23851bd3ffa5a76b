package simcloud

import (
	"bytes"
	"crypto/tls"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// testClient speaks to a started simulator over HTTPS the way a client would.
type testClient struct {
	t            *testing.T
	srv          *Server
	clock        *ManualClock
	ep           Endpoints
	http         *http.Client
	access       string
	refreshToken string
}

type testResponse struct {
	status int
	header http.Header
	raw    string
	json   map[string]any
}

// startServer starts the scenario on a manual clock; no one is signed in.
func startServer(t *testing.T, scenario string) *testClient {
	t.Helper()
	return startServerWith(t, scenario, Options{})
}

// startServerWith starts the scenario with options, on a manual clock.
func startServerWith(t *testing.T, scenario string, opts Options) *testClient {
	t.Helper()
	sc, err := LoadScenario(scenario)
	if err != nil {
		t.Fatal(err)
	}
	return startScenario(t, sc, opts)
}

// startScenario starts a scenario built in the test, on a manual clock.
func startScenario(t *testing.T, sc *Scenario, opts Options) *testClient {
	t.Helper()
	clock := NewManualClock(sc.AsOfTime())
	opts.Clock = clock.Now
	srv := New(sc, opts)
	ep, err := srv.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	// Redirects are what the tests read, not follow.
	return &testClient{t: t, srv: srv, clock: clock, ep: ep, http: &http.Client{
		Transport:     &http.Transport{TLSClientConfig: &tls.Config{RootCAs: ep.RootCAs}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// startClient starts the scenario and signs the admin in with a device code.
func startClient(t *testing.T, scenario string) *testClient {
	t.Helper()
	return startClientWith(t, scenario, Options{})
}

// startClientWith starts the scenario with options and signs the admin in.
func startClientWith(t *testing.T, scenario string, opts Options) *testClient {
	t.Helper()
	c := startServerWith(t, scenario, opts)
	tok := c.deviceCodeToken("organizations")
	c.access, _ = tok.json["access_token"].(string)
	c.refreshToken, _ = tok.json["refresh_token"].(string)
	if c.access == "" {
		t.Fatalf("no token: %+v", tok)
	}
	return c
}

// graphScopes are apppass's Graph scopes (SMTP.Send is another resource's).
func graphScopes() []string {
	return slices.DeleteFunc(slices.Clone(allScopes), func(s string) bool { return s == "SMTP.Send" || s == exchangeScope })
}

// deviceCodeToken signs the admin in with a device code (client "c", every
// scope apppass asks for) and returns the token response.
func (c *testClient) deviceCodeToken(tenant string) testResponse {
	c.t.Helper()
	dc := c.form("/"+tenant+"/oauth2/v2.0/devicecode", url.Values{"client_id": {"c"}, "scope": {strings.Join(graphScopes(), " ")}})
	code, _ := dc.json["device_code"].(string)
	poll := url.Values{"grant_type": {"device_code"}, "device_code": {code}}
	if pending := c.form("/"+tenant+"/oauth2/v2.0/token", poll); pending.json["error"] != "authorization_pending" {
		c.t.Fatalf("before approval: %+v", pending)
	}
	c.srv.ApproveDeviceCodes()
	return c.form("/"+tenant+"/oauth2/v2.0/token", poll)
}

func (c *testClient) do(req *http.Request) testResponse {
	c.t.Helper()
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	out := testResponse{status: resp.StatusCode, header: resp.Header, raw: string(body)}
	json.Unmarshal(body, &out.json)
	return out
}

func (c *testClient) form(path string, v url.Values, headers ...string) testResponse {
	req, _ := http.NewRequest("POST", c.ep.Authority+path, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return c.do(req)
}

func (c *testClient) get(path string, headers ...string) testResponse {
	req, _ := http.NewRequest("GET", c.ep.Authority+path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return c.do(req)
}

func (c *testClient) refresh() testResponse {
	return c.form("/organizations/oauth2/v2.0/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {c.refreshToken}})
}

// graph sends a Graph request as a polite client does: a 429 from Graph's
// service limits (throttle.go; not a throttle fault) is waited out on the
// manual clock and sent again, so tests of other rules are not throttled.
// graphOnce sends it once.
func (c *testClient) graph(method, path string, body []byte, headers ...string) testResponse {
	for {
		before := c.srv.Throttled()
		resp := c.graphOnce(method, path, body, headers...)
		if resp.status != http.StatusTooManyRequests || c.srv.Throttled() == before {
			return resp
		}
		wait := time.Second
		if secs, err := strconv.Atoi(resp.header.Get("Retry-After")); err == nil {
			wait = time.Duration(secs) * time.Second
		}
		c.clock.Advance(wait)
	}
}

func (c *testClient) graphOnce(method, path string, body []byte, headers ...string) testResponse {
	req, _ := http.NewRequest(method, c.ep.GraphRoot+path, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+c.access)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return c.do(req)
}
