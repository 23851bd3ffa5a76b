// Package simcloud is a simulated Microsoft cloud for apppass's demo mode and
// tests: Entra ID's sign-in endpoints, the Microsoft Graph endpoints apppass
// calls, and an SMTP AUTH server, all on 127.0.0.1 and all speaking
// Microsoft's wire formats. It uses the standard library only.
package simcloud

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Options tune a Server. The zero value suits tests: device codes wait for
// ApproveDeviceCodes (or the code entered on the /devicelogin page) and
// throttling asks for no wait.
type Options struct {
	// ApproveAfter approves each device code this long after it is issued
	// (0: only ApproveDeviceCodes or the /devicelogin page approves).
	ApproveAfter time.Duration
	// RetryAfter is the Retry-After (whole seconds) of throttling faults.
	RetryAfter int
	// Port is the HTTPS port on 127.0.0.1 (0: a free one).
	Port int
	// TokenLifetime is the access token lifetime (default one hour).
	TokenLifetime time.Duration
	// Clock is the simulated time (nil: the scenario's asOf plus the real
	// time since New). Tests pass a ManualClock's Now and advance it.
	Clock func() time.Time
	// SignInAtOnce makes the authorize page sign the person at the browser
	// in without a form, and play the browser's script for a form_post
	// answer: the demo's way, so that a browser command that only fetches
	// the page (curl) completes the sign-in. Off, the page asks for a name
	// and password, as Entra does.
	SignInAtOnce bool
}

// Server is one simulated cloud with one scenario's tenant.
type Server struct {
	scenario *Scenario
	opts     Options
	dir      *directory
	faults   faultSet
	tokens   tokenStore
	codes    deviceCodes
	auths    authorizations
	clock    func() time.Time
	// graphRequests counts HTTP requests to Graph (see GraphRequests).
	graphRequests atomic.Int64
	// exchangeRequests counts HTTP requests to Exchange's admin endpoint.
	exchangeRequests atomic.Int64
	// limits are Graph's documented service limits; throttled counts their 429s.
	limits    throttles
	throttled atomic.Int64
	// reports holds the usage reports' CSV downloads.
	reports downloads
	// hangs is told of every request a hang fault holds (see NotifyHangs).
	hangs atomic.Pointer[func(clientRequestID string)]

	mu       sync.Mutex
	person   string // UPN of the person at the browser ("" : the admin)
	httpSrv  *http.Server
	smtp     *smtpServer
	endpoint Endpoints
}

// Endpoints are the addresses of a started Server and the certificates to trust.
type Endpoints struct {
	// Authority is the Entra authority host root, such as https://127.0.0.1:51234.
	Authority string
	// GraphRoot is the Graph service root, such as https://127.0.0.1:51234.
	GraphRoot string
	// ExchangeRoot is the Exchange Online host root, whose
	// /adminapi/beta/{tenantId}/InvokeCommand answers admin cmdlets.
	ExchangeRoot string
	// SMTPAddr is the SMTP AUTH server's host:port.
	SMTPAddr string
	// RootCAs trusts exactly the simulator's certificate.
	RootCAs *x509.CertPool
	// Certificate is that certificate, for clients in other processes.
	Certificate *x509.Certificate
}

// New builds a Server for a scenario; the scenario's faults start active.
func New(sc *Scenario, opts Options) *Server {
	if opts.TokenLifetime <= 0 {
		opts.TokenLifetime = time.Hour
	}
	s := &Server{scenario: sc, opts: opts, clock: opts.Clock}
	if s.clock == nil {
		started := time.Now()
		s.clock = func() time.Time { return sc.AsOfTime().Add(time.Since(started)) }
	}
	s.dir = newDirectory(sc, s.Now)
	s.tokens.init()
	for _, f := range sc.Faults {
		s.faults.add(f)
	}
	return s
}

// Scenario returns the scenario the server was built from.
func (s *Server) Scenario() *Scenario { return s.scenario }

// Now is the simulated time: by default the scenario's date plus the time
// since start, or what Options.Clock says.
func (s *Server) Now() time.Time { return s.clock().UTC() }

// Handler serves Entra and Graph over plain HTTP (the caller adds TLS).
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{tenant}/v2.0/.well-known/openid-configuration", s.knownTenant(s.openIDConfiguration))
	mux.HandleFunc("GET /{tenant}/discovery/v2.0/keys", s.knownTenant(s.jwks))
	mux.HandleFunc("GET /common/discovery/instance", s.instanceDiscovery)
	mux.HandleFunc("POST /{tenant}/oauth2/v2.0/devicecode", s.knownTenant(s.deviceCode))
	mux.HandleFunc("POST /{tenant}/oauth2/v2.0/token", s.knownTenant(s.token))
	mux.HandleFunc("/{tenant}/oauth2/v2.0/logout", s.knownTenant(s.logout))
	mux.HandleFunc("GET /{tenant}/oauth2/v2.0/authorize", s.knownTenant(s.authorizeRequest))
	mux.HandleFunc("POST /{tenant}/login", s.knownTenant(s.login))
	mux.HandleFunc("GET /common/UserRealm/{upn}", s.userRealm)
	mux.HandleFunc("GET /devicelogin", s.deviceLoginForm)
	mux.HandleFunc("POST /devicelogin", s.deviceLogin)
	mux.HandleFunc("GET /reportsdownload/{token}", s.reports.serve)
	mux.HandleFunc("POST /adminapi/beta/{tenant}/InvokeCommand", s.exchangeAdmin)
	// Graph's version roots would clash with the {tenant} patterns, so they
	// are routed before the mux.
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/v1.0/") || strings.HasPrefix(r.URL.Path, "/beta/") {
			s.graph(w, r)
			return
		}
		mux.ServeHTTP(w, r)
	})
}

// Start listens on 127.0.0.1 (HTTPS on Options.Port or a free port, SMTP
// on a free port) and returns where. Close stops both.
func (s *Server) Start() (Endpoints, error) {
	cert, pool, err := newCertificate()
	if err != nil {
		return Endpoints{}, err
	}
	tlsConfig := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	ln, err := tls.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(s.opts.Port)), tlsConfig)
	if err != nil {
		return Endpoints{}, err
	}
	smtp, err := startSMTP(s.dir, tlsConfig, s.smtpOAuth)
	if err != nil {
		ln.Close()
		return Endpoints{}, err
	}
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second, ErrorLog: quietLog()}
	go srv.Serve(ln)
	root := "https://" + ln.Addr().String()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.httpSrv, s.smtp = srv, smtp
	s.endpoint = Endpoints{Authority: root, GraphRoot: root, ExchangeRoot: root, SMTPAddr: smtp.addr(), RootCAs: pool, Certificate: cert.Leaf}
	return s.endpoint, nil
}

// Close stops a started server; hung requests are cut off.
func (s *Server) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var errs []error
	if s.httpSrv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		if err := s.httpSrv.Shutdown(ctx); err != nil {
			errs = append(errs, s.httpSrv.Close())
		}
	}
	if s.smtp != nil {
		errs = append(errs, s.smtp.close())
	}
	return errors.Join(errs...)
}

// AddFault activates a fault.
func (s *Server) AddFault(f Fault) error {
	if err := f.validate(); err != nil {
		return err
	}
	s.faults.add(f)
	return nil
}

// ClearFaults removes every active fault.
func (s *Server) ClearFaults() { s.faults.clear() }

// CreateAppPassword plays the account owner on the Security info page: it
// returns a new app password, or why the option is not offered.
func (s *Server) CreateAppPassword(upn string) (string, error) {
	return s.dir.createAppPassword(upn)
}

// UserSnapshot is what tests and the demo may read of an account's state.
type UserSnapshot struct {
	PerUserMFAState   string
	SessionsValidFrom time.Time
	AppPasswords      int
	Methods           []string
	// SMTPClientAuthenticationDisabled is the mailbox's own SMTP AUTH
	// switch (nil inherits the organisation's), a copy.
	SMTPClientAuthenticationDisabled *bool
}

// User returns a copy of an account's current state.
func (s *Server) User(upn string) (UserSnapshot, bool) {
	s.dir.mu.Lock()
	defer s.dir.mu.Unlock()
	u := s.dir.byUPN(upn)
	if u == nil {
		return UserSnapshot{}, false
	}
	var smtpOff *bool
	if u.SMTPClientAuthenticationDisabled != nil {
		v := *u.SMTPClientAuthenticationDisabled
		smtpOff = &v
	}
	return UserSnapshot{
		SMTPClientAuthenticationDisabled: smtpOff,
		PerUserMFAState:                  u.PerUserMFAState,
		SessionsValidFrom:                u.sessionsValidFrom,
		AppPasswords:                     len(u.appPasswords),
		Methods:                          append([]string(nil), u.Methods...),
	}, true
}

// GraphRequests counts the HTTP requests Graph has received since the
// server was built, whatever their answer: the round trips a client made.
// A $batch counts once, however many requests it carries. Benchmarks report
// it; with a latency fault on every endpoint, round trips are what a
// client's time is made of.
func (s *Server) GraphRequests() int { return int(s.graphRequests.Load()) }

// ExchangeRequests counts the HTTP requests Exchange's admin endpoint
// (InvokeCommand, every page) has received since the server started.
func (s *Server) ExchangeRequests() int { return int(s.exchangeRequests.Load()) }

// SMTPAuth runs the tenant's decision for a Basic-auth SMTP sign-in without a
// network round trip and returns Exchange's reply line.
func (s *Server) SMTPAuth(upn, secret string) string { return s.dir.smtpAuth(upn, secret) }

// quietLog drops net/http's own error log: hung-up clients are expected here.
func quietLog() *log.Logger { return log.New(io.Discard, "", 0) }

// AllowAppPasswords plays an admin ticking "allow users to create app
// passwords" on the legacy MFA service settings page (no API does it).
func (s *Server) AllowAppPasswords() {
	s.dir.mu.Lock()
	defer s.dir.mu.Unlock()
	s.scenario.Tenant.AllowAppPasswords = true
}

// SignInAttempts counts an account's rows in the sign-in log, so tests can
// prove a password was or was not tried.
func (s *Server) SignInAttempts(upn string) int {
	s.dir.mu.Lock()
	defer s.dir.mu.Unlock()
	s.dir.runAppUntil(s.dir.now())
	n := 0
	for _, e := range s.dir.signIns {
		if strings.EqualFold(e.UPN, upn) {
			n++
		}
	}
	return n
}
