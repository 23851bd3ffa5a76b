package graphclient

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/public"
)

// Account is who is signed in.
type Account struct {
	UserPrincipalName string
	DisplayName       string
	ObjectID          string
	TenantID          string
}

// ErrNotSignedIn means there is no usable account in the cache: sign in with a device code.
var ErrNotSignedIn = errors.New("not signed in")

// DeviceCode is a started device-code sign-in: show UserCode and
// VerificationURL, then call Client.FinishDeviceCode.
type DeviceCode struct {
	UserCode        string
	VerificationURL string
	// Message is Entra's own instruction text.
	Message   string
	ExpiresAt time.Time
	pending   public.DeviceCode
}

// StartDeviceCode asks Entra for a device code.
func (c *Client) StartDeviceCode(ctx context.Context) (*DeviceCode, error) {
	dc, err := c.msal.AcquireTokenByDeviceCode(ctx, c.cfg.Scopes)
	if err != nil {
		return nil, signInError(err)
	}
	return &DeviceCode{
		UserCode:        dc.Result.UserCode,
		VerificationURL: dc.Result.VerificationURL,
		Message:         dc.Result.Message,
		ExpiresAt:       dc.Result.ExpiresOn,
		pending:         dc,
	}, nil
}

// FinishDeviceCode waits until the person has entered the code and signed
// in, the code expires or is declined, or ctx is cancelled.
func (c *Client) FinishDeviceCode(ctx context.Context, dc *DeviceCode) (Account, error) {
	res, err := dc.pending.AuthenticationResult(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return Account{}, ctx.Err()
		}
		return Account{}, signInError(err)
	}
	c.setAccount(res.Account, res.IDToken.Name)
	return c.Account(), nil
}

// SignInSilent signs in from the token cache, refreshing tokens as needed.
// It returns ErrNotSignedIn when no cached account of this cloud can.
func (c *Client) SignInSilent(ctx context.Context) (Account, error) {
	accounts, err := c.cachedAccounts(ctx)
	if err != nil {
		return Account{}, err
	}
	for _, a := range accounts {
		if res, err := c.msal.AcquireTokenSilent(ctx, c.cfg.Scopes, public.WithSilentAccount(a)); err == nil {
			c.setAccount(a, res.IDToken.Name)
			return c.Account(), nil
		}
	}
	return Account{}, ErrNotSignedIn
}

// SignOut removes this cloud's accounts and their tokens from the cache.
func (c *Client) SignOut(ctx context.Context) error {
	accounts, err := c.cachedAccounts(ctx)
	if err != nil {
		return err
	}
	for _, a := range accounts {
		if err := c.msal.RemoveAccount(ctx, a); err != nil {
			return fmt.Errorf("signing out %s: %w", a.PreferredUsername, err)
		}
	}
	c.mu.Lock()
	c.account, c.displayName = public.Account{}, ""
	c.mu.Unlock()
	return nil
}

// cachedAccounts lists cached accounts of this authority only: MSAL keys
// them by host:port, and another cloud's account is of no use here.
func (c *Client) cachedAccounts(ctx context.Context) ([]public.Account, error) {
	all, err := c.msal.Accounts(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the token cache: %w", err)
	}
	var mine []public.Account
	for _, a := range all {
		if strings.EqualFold(a.Environment, c.environment) {
			mine = append(mine, a)
		}
	}
	return mine, nil
}

func (c *Client) setAccount(a public.Account, displayName string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.account, c.displayName = a, displayName
}

// Account returns the signed-in account (zero before sign-in).
func (c *Client) Account() Account {
	c.mu.Lock()
	defer c.mu.Unlock()
	a := c.account
	oid, tid, _ := strings.Cut(a.HomeAccountID, ".")
	return Account{UserPrincipalName: a.PreferredUsername, DisplayName: c.displayName, ObjectID: oid, TenantID: tid}
}

// AccessToken returns an access token for the client's scopes, for a
// service other than Graph (SMTP AUTH with XOAUTH2). The caller uses it
// at once and never stores, logs or shows it.
func (c *Client) AccessToken(ctx context.Context) (string, error) { return c.token(ctx, "") }

// token returns an access token for Graph, honouring a continuous access
// evaluation claims challenge (base64, as Graph sends it).
func (c *Client) token(ctx context.Context, claimsB64 string) (string, error) {
	c.mu.Lock()
	a := c.account
	c.mu.Unlock()
	if a.HomeAccountID == "" {
		return "", ErrNotSignedIn
	}
	opts := []public.AcquireSilentOption{public.WithSilentAccount(a)}
	if claimsB64 != "" {
		claims, err := decodeClaims(claimsB64)
		if err != nil {
			return "", fmt.Errorf("Graph sent a claims challenge apppass cannot read: %w", err)
		}
		opts = append(opts, public.WithClaims(claims))
	}
	res, err := c.msal.AcquireTokenSilent(ctx, c.cfg.Scopes, opts...)
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrNotSignedIn, signInError(err))
	}
	return res.AccessToken, nil
}

func decodeClaims(s string) (string, error) {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			return string(b), nil
		}
	}
	return "", errors.New("claims are not base64")
}

// signInError turns an MSAL error into an *EntraError when Entra answered,
// so that callers can key off its codes.
func signInError(err error) error {
	if e, ok := AsEntraError(err); ok {
		return e
	}
	if isNetworkError(err) {
		return fmt.Errorf("%w: %w", ErrUnreachable, err)
	}
	return err
}
