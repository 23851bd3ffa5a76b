package graphclient_test

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/apppass/apppass/demo"
	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/simcloud"
)

// exchangeEnv starts classic with the admin holding the given roles and the
// tenant's SMTP AUTH switch off, and signs the admin in.
func exchangeEnv(t *testing.T, roles ...string) (*env, *simcloud.Scenario) {
	t.Helper()
	sc, err := simcloud.LoadScenario("classic")
	if err != nil {
		t.Fatal(err)
	}
	sc.Tenant.SMTPAuth = simcloud.SMTPAuthDisabled
	sc.Tenant.AuthenticationPolicies = []simcloud.AuthenticationPolicy{{Name: "Allow Basic SMTP", AllowBasicAuthSmtp: true}}
	for i := range sc.Users {
		if sc.Users[i].UserPrincipalName == sc.Admin {
			sc.Users[i].Roles = roles
		}
	}
	e := newEnvFor(t, sc, demo.Options{})
	e.signIn(t)
	return e, sc
}

// The three reads and the write go through the real MSAL client: one
// sign-in, then a silent token for Exchange Online from the same cache.
func TestExchangeReadsAndWrite(t *testing.T) {
	e, sc := exchangeEnv(t, "Exchange Administrator")
	ctx := ctxT(t)
	tc, err := e.client.TransportConfig(ctx)
	if err != nil || !tc.SMTPClientAuthenticationDisabled {
		t.Fatalf("transport config: %+v %v", tc, err)
	}
	mb, err := e.client.CASMailbox(ctx, sc.Account)
	if err != nil || mb.SMTPClientAuthenticationDisabled != nil || !strings.EqualFold(mb.PrimarySMTPAddress, sc.Account) {
		t.Fatalf("an untouched mailbox inherits ($null): %+v %v", mb, err)
	}
	policies, err := e.client.AuthenticationPolicies(ctx)
	if err != nil || len(policies) != 1 || !policies[0].AllowBasicAuthSMTP || policies[0].Name != "Allow Basic SMTP" {
		t.Fatalf("policies: %+v %v", policies, err)
	}
	on := false
	if err := e.client.SetCASMailboxSMTPAuth(ctx, sc.Account, &on); err != nil {
		t.Fatal(err)
	}
	mb, err = e.client.CASMailbox(ctx, sc.Account)
	if err != nil || mb.SMTPClientAuthenticationDisabled == nil || *mb.SMTPClientAuthenticationDisabled {
		t.Fatalf("read back after the write: %+v %v", mb, err)
	}
}

// A reader without an Exchange role is told which roles would do; a
// View-Only Organization Management reader cannot write.
func TestExchangeMissingRole(t *testing.T) {
	e, sc := exchangeEnv(t, "Global Reader")
	_, err := e.client.TransportConfig(ctxT(t))
	var xe *graphclient.ExchangeError
	if !graphclient.IsExchangeForbidden(err) || !errors.As(err, &xe) || xe.NeededRoles != graphclient.ExchangeReadRoles {
		t.Fatalf("want forbidden naming the read roles, got %v", err)
	}
	reader, _ := exchangeEnv(t, "View-Only Organization Management")
	if _, err := reader.client.CASMailbox(ctxT(t), sc.Account); err != nil {
		t.Fatalf("a view-only reader reads: %v", err)
	}
	on := false
	err = reader.client.SetCASMailboxSMTPAuth(ctxT(t), sc.Account, &on)
	if !graphclient.IsExchangeForbidden(err) || !strings.Contains(err.Error(), graphclient.ExchangeWriteRoles) {
		t.Fatalf("a reader writes: %v", err)
	}
}

// Faults on the endpoint come back typed: a throttle is retried away, a
// broken answer is malformed, a hang is no answer; none is a reading.
func TestExchangeFaultsAreTyped(t *testing.T) {
	e, _ := exchangeEnv(t, "Exchange Administrator")
	add := func(kind simcloud.FaultKind, times int) {
		t.Helper()
		if err := e.srv.AddFault(simcloud.Fault{Kind: kind, Endpoint: "exchange", Times: times}); err != nil {
			t.Fatal(err)
		}
	}
	add(simcloud.FaultThrottle, 1)
	if _, err := e.client.TransportConfig(ctxT(t)); err != nil {
		t.Fatalf("one 429 is retried: %v", err)
	}
	add(simcloud.FaultMalformed, 1)
	if _, err := e.client.TransportConfig(ctxT(t)); !errors.Is(err, graphclient.ErrExchangeMalformed) {
		t.Fatalf("malformed: %v", err)
	}
	add(simcloud.FaultEmptyError, 1)
	var xe *graphclient.ExchangeError
	if _, err := e.client.TransportConfig(ctxT(t)); !errors.As(err, &xe) || xe.Status != 500 {
		t.Fatalf("empty error: %v", err)
	}
	add(simcloud.FaultHang, 1)
	if _, err := e.client.TransportConfig(ctxT(t)); !errors.Is(err, graphclient.ErrUnreachable) {
		t.Fatalf("hang: %v", err)
	}
	add(simcloud.FaultUnavailable, 0)
	if _, err := e.client.TransportConfig(ctxT(t)); !errors.As(err, &xe) || xe.Status != 503 {
		t.Fatalf("unavailable for good: %v", err)
	}
}

// A cloud whose Exchange endpoint apppass does not know is not asked.
func TestExchangeUnknownCloud(t *testing.T) {
	sc, err := simcloud.LoadScenario("classic")
	if err != nil {
		t.Fatal(err)
	}
	e := newEnvFor(t, sc, demo.Options{}, func(c *graphclient.Config) { c.Cloud.ExchangeRoot = "" })
	e.signIn(t)
	if _, err := e.client.TransportConfig(ctxT(t)); !errors.Is(err, graphclient.ErrExchangeUnavailable) {
		t.Fatalf("want ErrExchangeUnavailable, got %v", err)
	}
}

// invokeTrip sees every request to InvokeCommand and may rewrite its answer.
type invokeTrip struct {
	next    http.RoundTripper
	seen    []string // each InvokeCommand request's URL
	rewrite func(body []byte) []byte
}

func (t *invokeTrip) RoundTrip(r *http.Request) (*http.Response, error) {
	if !strings.Contains(r.URL.Path, "/InvokeCommand") {
		return t.next.RoundTrip(r)
	}
	t.seen = append(t.seen, r.URL.String())
	resp, err := t.next.RoundTrip(r)
	if err != nil || t.rewrite == nil {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	body = t.rewrite(body)
	resp.Body, resp.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
	resp.Header.Del("Content-Length")
	return resp, nil
}

// The bulk read follows @odata.nextLink to the last page: every mailbox
// once, a request per page; a link off Exchange's InvokeCommand is not
// followed (the token would go with it) and the read is malformed.
func TestCASMailboxesFollowsPages(t *testing.T) {
	e, sc := exchangeEnv(t, "View-Only Organization Management")
	trip := &invokeTrip{next: graphclient.Transport(e.client)}
	if err := graphclient.SetTransport(e.client, trip); err != nil {
		t.Fatal(err)
	}
	graphclient.SetExchangePageSize(e.client, 1)
	all, err := e.client.CASMailboxes(ctxT(t))
	if err != nil || len(all) != len(sc.Users) {
		t.Fatalf("%d mailboxes of %d: %v", len(all), len(sc.Users), err)
	}
	for i, u := range sc.Users {
		if !strings.EqualFold(all[i].PrimarySMTPAddress, u.UserPrincipalName) || all[i].UserID == "" {
			t.Fatalf("mailbox %d: %+v, want %s with its user id", i, all[i], u.UserPrincipalName)
		}
	}
	if len(trip.seen) != len(sc.Users) || !strings.Contains(trip.seen[1], "skiptoken") {
		t.Fatalf("want one request a page, the later ones at the links: %v", trip.seen)
	}
	trip.seen = nil
	trip.rewrite = func(body []byte) []byte {
		return regexp.MustCompile(`https://[^/"]+/adminapi`).ReplaceAll(body, []byte("https://elsewhere.example/adminapi"))
	}
	if _, err := e.client.CASMailboxes(ctxT(t)); !errors.Is(err, graphclient.ErrExchangeMalformed) || len(trip.seen) != 1 {
		t.Fatalf("a link elsewhere: %v after %d requests", err, len(trip.seen))
	}
}

// In a tenant that refuses Graph Command Line Tools a token for Exchange
// Online (AADSTS65002), the reads fail; with the customer's own app
// registration signed in as the same admin (ExchangeAppConfig, a second
// real MSAL client) they read, and a failed app sign-in fails them again.
func TestExchangeThroughOwnAppRegistration(t *testing.T) {
	sc, err := simcloud.LoadScenario("classic")
	if err != nil {
		t.Fatal(err)
	}
	sc.Tenant.SMTPOAuthNeedsOwnApp = true
	for i := range sc.Users {
		if sc.Users[i].UserPrincipalName == sc.Admin {
			sc.Users[i].Roles = []string{"Exchange Administrator"}
		}
	}
	e := newEnvFor(t, sc, demo.Options{})
	admin := e.signIn(t)
	if _, err := e.client.TransportConfig(ctxT(t)); err == nil || !strings.Contains(err.Error(), "65002") {
		t.Fatalf("Graph Command Line Tools for Exchange: %v", err)
	}
	if _, err := graphclient.ExchangeAppConfig(e.cfg, "not-a-guid", admin.UserPrincipalName); err == nil || !strings.Contains(err.Error(), "--exchange-client-id") {
		t.Fatalf("a bad client id: %v", err)
	}
	xcfg, err := graphclient.ExchangeAppConfig(e.cfg, "5f1c2a9e-0000-4000-8000-00000000abcd", admin.UserPrincipalName)
	if err != nil {
		t.Fatal(err)
	}
	app, err := graphclient.New(xcfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.cloud.SignIn(ctxT(t), app); err != nil {
		t.Fatal(err)
	}
	e.client.UseExchangeTokens(app)
	if tc, err := e.client.TransportConfig(ctxT(t)); err != nil || tc.SMTPClientAuthenticationDisabled != (sc.Tenant.SMTPAuth == simcloud.SMTPAuthDisabled) {
		t.Fatalf("through the own app: %+v %v", tc, err)
	}
	e.client.UseExchangeTokens(graphclient.FailedTokenSource{Err: errors.New("the sign-in was declined")})
	if _, err := e.client.TransportConfig(ctxT(t)); err == nil || !strings.Contains(err.Error(), "declined") {
		t.Fatalf("after a failed app sign-in: %v", err)
	}
}
