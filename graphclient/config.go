package graphclient

import (
	"context"
	"crypto/x509"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"
)

// GraphCommandLineToolsClientID is Microsoft Graph Command Line Tools, the
// public client Graph PowerShell uses: apppass needs no app registration.
const GraphCommandLineToolsClientID = "14d82eec-204b-4c2f-b7e8-296a70dab67e"

// Scopes apppass asks for. An end user needs only the first set; an admin
// path asks for the rest, each the least privilege for its call.
var (
	EndUserScopes = []string{"User.Read", "UserAuthenticationMethod.Read"}
	AdminScopes   = []string{
		"User.Read", "User.Read.All", "Directory.Read.All", "Policy.Read.All",
		"Policy.ReadWrite.AuthenticationMethod", "UserAuthenticationMethod.Read.All",
		"User.RevokeSessions.All", "AuditLog.Read.All", "SharePointTenantSettings.Read.All",
	}
)

// Config chooses everything that differs between the real cloud, the demo
// and the tests. Nothing else does.
type Config struct {
	Cloud Cloud
	// Tenant is "organizations" (default), a tenant id or a verified domain.
	Tenant string
	// ClientID defaults to Microsoft Graph Command Line Tools.
	ClientID string
	// OAuthClientID is the app registration the OAuth SMTP test signs the
	// owner in with ("" uses ClientID). Microsoft documents SMTP OAuth with
	// the customer's own app; a first-party client such as Graph Command
	// Line Tools may be refused Exchange's SMTP.Send (AADSTS65002).
	OAuthClientID string
	// Scopes default to AdminScopes.
	Scopes []string
	// LoginHint fills in the account on the browser sign-in page (the
	// account owner's, when apppass asks them to sign in).
	LoginHint string
	// RootCAs, when set, is the only set of certificates trusted (the simulator's).
	RootCAs *x509.CertPool
	// CachePath is the token cache file; empty keeps tokens in memory only.
	CachePath string
	// Retry governs retries of throttled and unavailable Graph calls.
	Retry RetryPolicy
	// RequestTimeout bounds one Graph request, each retry on its own (default 30 s).
	RequestTimeout time.Duration
	// Deadline, when set, replaces RequestTimeout: it returns the context one
	// Graph call runs in, given the call's client-request-id. Tests end a call
	// that the simulator holds on a signal from it, not on a clock.
	Deadline DeadlineFunc
	// Clock is the time source (default time.Now): Graph's rate limits are
	// paced on it.
	Clock func() time.Time
	// Wait waits until Clock reads until, or ctx ends (default: a real
	// timer). The demo and tests pass their simulated clock's, so waiting
	// out Graph's limits and Retry-After costs them no real time.
	Wait func(ctx context.Context, until time.Time) error
}

// DeadlineFunc bounds one Graph call; the call counts as unanswered when
// the returned context ends before its parent does.
type DeadlineFunc func(ctx context.Context, clientRequestID string) (context.Context, context.CancelFunc)

// RetryPolicy governs retries of 429, 503 and 504 answers, which honour
// Graph's Retry-After; a 429 without one (Conditional Access sends none)
// waits the interval of the limit it hit, other answers without one 1 s,
// then 2 s, 4 s.
type RetryPolicy struct {
	// MaxRetries is how many times one call is retried (0: never).
	MaxRetries int
	// MaxWait is the longest Retry-After apppass will sit out; a longer one
	// comes back to the caller as a throttling error to show the person.
	MaxWait time.Duration
}

// DefaultRetry is the retry policy for the real cloud.
var DefaultRetry = RetryPolicy{MaxRetries: 3, MaxWait: 30 * time.Second}

var (
	guidPattern   = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	domainPattern = regexp.MustCompile(`^(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$`)
)

// ValidateTenant accepts "organizations", "common", a GUID or a domain name.
func ValidateTenant(t string) error {
	switch {
	case t == "organizations" || t == "common":
		return nil
	case guidPattern.MatchString(t) || domainPattern.MatchString(t):
		return nil
	}
	return fmt.Errorf("invalid tenant %q: give a tenant id (GUID), a verified domain such as contoso.onmicrosoft.com, or organizations", t)
}

// ValidateClientID accepts an application (client) id.
func ValidateClientID(id string) error {
	if guidPattern.MatchString(id) {
		return nil
	}
	return fmt.Errorf("invalid client id %q: an application (client) id is a GUID", id)
}

func (c Config) withDefaults() (Config, error) {
	if c.Tenant == "" {
		c.Tenant = "organizations"
	}
	if c.ClientID == "" {
		c.ClientID = GraphCommandLineToolsClientID
	}
	if len(c.Scopes) == 0 {
		c.Scopes = AdminScopes
	}
	if c.RequestTimeout <= 0 {
		c.RequestTimeout = 30 * time.Second
	}
	if c.Deadline == nil {
		timeout := c.RequestTimeout
		c.Deadline = func(ctx context.Context, _ string) (context.Context, context.CancelFunc) {
			return context.WithTimeout(ctx, timeout)
		}
	}
	if c.Clock == nil {
		c.Clock = time.Now
	}
	if c.Wait == nil {
		c.Wait = realWait
	}
	if err := ValidateTenant(c.Tenant); err != nil {
		return c, err
	}
	if err := ValidateClientID(c.ClientID); err != nil {
		return c, err
	}
	if c.OAuthClientID != "" {
		if err := ValidateClientID(c.OAuthClientID); err != nil {
			return c, fmt.Errorf("--oauth-client-id: %w", err)
		}
	}
	if _, err := c.Cloud.graphHost(); err != nil {
		return c, err
	}
	if _, err := c.Cloud.authorityHostPort(); err != nil {
		return c, err
	}
	return c, nil
}

// notInUPN are characters no user principal name has: controls, spaces,
// URL and Graph syntax, and invisible format characters (bidi overrides)
// that would make the name read other than it is.
func notInUPN(r rune) bool {
	return r <= ' ' || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || unicode.IsSpace(r) ||
		strings.ContainsRune(`/\?%"<>|,;:()[]`, r)
}

// ValidateUPN checks that s looks like a user principal name (name@domain;
// guests' name#EXT#@domain too) before it reaches a URL.
func ValidateUPN(s string) error {
	local, domain, ok := strings.Cut(s, "@")
	switch {
	case !ok || local == "" || strings.Contains(domain, "@"):
		return fmt.Errorf("invalid user %q: give the account's user principal name, like backup@contoso.com", s)
	case len(s) > 320:
		return fmt.Errorf("invalid user: a user principal name is at most 320 characters")
	case strings.ContainsFunc(s, notInUPN):
		return fmt.Errorf("invalid user %q: it contains a character no user principal name has", s)
	case !domainPattern.MatchString(domain):
		return fmt.Errorf("invalid user %q: %q is not a domain name", s, domain)
	}
	return nil
}
