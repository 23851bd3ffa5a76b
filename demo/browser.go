package demo

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"
)

// browser is the simulated person's browser: it opens a sign-in page the
// way a person would, some seconds after apppass asks (so a trainer can
// talk through the screen), or at once when asked to approve. simcloud
// signs the person at the browser in as soon as the page opens.
type browser struct {
	client *http.Client
	delay  time.Duration // 0: only when asked to approve

	mu      sync.Mutex
	pending string // the page apppass asked to open, not yet opened
	timer   *time.Timer
}

func newBrowser(roots *x509.CertPool, delay time.Duration) *browser {
	return &browser{delay: delay, client: &http.Client{
		Timeout:   30 * time.Second,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}},
	}}
}

// SetPerson makes the account with this UPN the person at the browser: who
// approves device codes and signs in on the sign-in page (the scenario's
// admin until then).
func (c *Cloud) SetPerson(upn string) error { return c.Server.SetPerson(upn) }

// OpenSignIn is the simulated browser as an opener for a browser sign-in:
// it opens the page after Options.ApproveAfter, or when ApproveSignIn is
// called (never by itself when ApproveAfter is 0).
func (c *Cloud) OpenSignIn(url string) error {
	b := c.browser
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.timer != nil {
		b.timer.Stop()
	}
	b.pending = url
	if b.delay > 0 {
		b.timer = time.AfterFunc(b.delay, func() { b.openPending() })
	}
	return nil
}

// ApproveSignIn plays the person at the browser now: it approves pending
// device codes and opens the sign-in page apppass asked for.
func (c *Cloud) ApproveSignIn() {
	c.Server.ApproveDeviceCodes()
	c.browser.openPending()
}

// openPending opens the page waiting to be opened, if any. A page that
// fails leaves the sign-in waiting, as a person who closed the tab would.
func (b *browser) openPending() {
	b.mu.Lock()
	url := b.pending
	b.pending = ""
	b.mu.Unlock()
	if url != "" {
		b.open(context.Background(), url)
	}
}

// stop forgets a page not yet opened.
func (b *browser) stop() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.timer != nil {
		b.timer.Stop()
	}
	b.pending = ""
}

// Browse opens a page as the simulated browser, following redirects, and
// fails when the last answer is an error.
func (c *Cloud) Browse(ctx context.Context, url string) error { return c.browser.open(ctx, url) }

func (b *browser) open(ctx context.Context, url string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := b.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	if resp.StatusCode >= 400 {
		return fmt.Errorf("the sign-in page answered %s", resp.Status)
	}
	return nil
}
