package graphclient

import (
	"context"
	"html"
	"regexp"
	"strconv"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/public"
)

// BrowserSignIn is a started browser sign-in: MSAL's interactive flow
// (authorization code with PKCE, the answer coming back to a loopback
// address MSAL listens on). Show URL, then call Client.FinishBrowserSignIn.
type BrowserSignIn struct {
	// URL is the sign-in page, for the person to open by hand when the
	// browser did not open. It carries no secret: the PKCE verifier stays
	// in MSAL.
	URL string
	// OpenErr says why the browser could not be opened; nil when it was.
	// MSAL keeps listening, so the page opened by hand still works.
	OpenErr error
	done    <-chan interactiveResult
}

type interactiveResult struct {
	res public.AuthResult
	err error
}

type openedPage struct {
	url string
	err error
}

// StartBrowserSignIn starts MSAL's interactive sign-in and asks open to
// show the sign-in page. It returns once the page's address is known, or
// MSAL's error when it fails before that. ctx governs the whole sign-in:
// cancel it to stop waiting (for example to sign in with a code instead).
func (c *Client) StartBrowserSignIn(ctx context.Context, open func(url string) error) (*BrowserSignIn, error) {
	pages := make(chan openedPage, 1)
	done := make(chan interactiveResult, 1)
	go func() {
		opts := []public.AcquireInteractiveOption{public.WithOpenURL(func(u string) error {
			pages <- openedPage{url: u, err: open(u)}
			return nil // keep listening: the person can open the address by hand
		})}
		if c.cfg.LoginHint != "" {
			opts = append(opts, public.WithLoginHint(c.cfg.LoginHint))
		}
		res, err := c.msal.AcquireTokenInteractive(ctx, c.cfg.Scopes, opts...)
		done <- interactiveResult{res: res, err: err}
	}()
	select {
	case p := <-pages:
		return &BrowserSignIn{URL: p.url, OpenErr: p.err, done: done}, nil
	case r := <-done:
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, browserError(r.err)
	}
}

// FinishBrowserSignIn waits until the browser has sent the answer back and
// MSAL has redeemed it, the sign-in fails, or ctx is cancelled.
func (c *Client) FinishBrowserSignIn(ctx context.Context, b *BrowserSignIn) (Account, error) {
	select {
	case r := <-b.done:
		if r.err != nil {
			if ctx.Err() != nil {
				return Account{}, ctx.Err()
			}
			return Account{}, browserError(r.err)
		}
		c.setAccount(r.res.Account, r.res.IDToken.Name)
		return c.Account(), nil
	case <-ctx.Done():
		return Account{}, ctx.Err()
	}
}

// aadstsPrefix finds the code at the start of an error description.
var aadstsPrefix = regexp.MustCompile(`^AADSTS(\d+):`)

// browserError turns MSAL's interactive errors into an *EntraError where
// Entra answered. An error sent back to the loopback address reaches MSAL
// only as its HTML-escaped error_description ("AADSTS65004: ..."), so the
// code is read from there; token-endpoint errors carry Entra's JSON.
func browserError(err error) error {
	if e, ok := AsEntraError(err); ok {
		return e
	}
	desc := html.UnescapeString(err.Error())
	if m := aadstsPrefix.FindStringSubmatch(desc); m != nil {
		code, _ := strconv.Atoi(m[1])
		return &EntraError{Description: desc, Codes: []int{code}}
	}
	return signInError(err)
}
