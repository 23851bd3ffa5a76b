package graphclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/public"
	"github.com/google/uuid"

	"github.com/apppass/apppass/termsafe"
)

// Exchange Online's admin endpoint, the REST interface Exchange Online
// PowerShell v3 uses (M365-FACTS.md section 9). Microsoft does not document
// it as a public API: every answer is checked for the shape apppass reads,
// and anything else is ErrExchangeMalformed, never a guess.

// Exchange roles, as the admin endpoint's RBAC names them.
const (
	ExchangeReadRoles  = "View-Only Organization Management or Exchange Administrator"
	ExchangeWriteRoles = "Exchange Administrator"
)

// ErrExchangeUnavailable marks a cloud whose Exchange admin endpoint apppass
// does not know, so the switches are not read.
var ErrExchangeUnavailable = errors.New("apppass does not know Exchange Online's admin endpoint in this cloud")

// ErrExchangeMalformed marks an Exchange answer in a shape apppass does not read.
var ErrExchangeMalformed = errors.New("Exchange Online's admin endpoint sent an answer in a shape apppass does not read")

// ExchangeError is a refused Exchange admin call: the HTTP status, the
// endpoint's code and message, and, for a missing role, the roles that
// would do.
type ExchangeError struct {
	Status  int
	Code    string
	Message string
	// NeededRoles names the Exchange roles the cmdlet needs (set on 403).
	NeededRoles string
	// RetryAfter is the wait asked for on 429/503, if any.
	RetryAfter time.Duration
}

func (e *ExchangeError) Error() string {
	msg := e.Message
	if msg == "" {
		msg = http.StatusText(e.Status)
	}
	s := fmt.Sprintf("Exchange Online answered %d", e.Status)
	if e.Code != "" {
		s += " " + e.Code
	}
	s += ": " + msg
	if e.NeededRoles != "" {
		s += " (needs " + e.NeededRoles + ")"
	}
	return s
}

// IsExchangeForbidden reports a missing Exchange role; the error's
// NeededRoles says which.
func IsExchangeForbidden(err error) bool {
	var e *ExchangeError
	return errors.As(err, &e) && e.Status == http.StatusForbidden
}

// CASMailbox is one mailbox's client access settings, as Get-CASMailbox reads them.
type CASMailbox struct {
	// PrimarySMTPAddress is the mailbox's address (cleaned outside text).
	PrimarySMTPAddress string
	// UserID is the mailbox's Entra user object id
	// (ExternalDirectoryObjectId), "" when the row has none.
	UserID string
	// SMTPClientAuthenticationDisabled is the mailbox's switch: true off,
	// false on, nil ($null) inheriting the organisation's.
	SMTPClientAuthenticationDisabled *bool
}

// TransportConfig is the organisation's SMTP AUTH switch (Get-TransportConfig).
type TransportConfig struct {
	SMTPClientAuthenticationDisabled bool
}

// AuthenticationPolicy is one Exchange authentication policy (Get-AuthenticationPolicy).
type AuthenticationPolicy struct {
	// Name is the policy's name (cleaned outside text).
	Name string
	// AllowBasicAuthSMTP is whether the policy lets Basic auth through for SMTP AUTH.
	AllowBasicAuthSMTP bool
}

// CASMailbox reads one mailbox's SMTP AUTH switch.
func (c *Client) CASMailbox(ctx context.Context, upn string) (CASMailbox, error) {
	if err := ValidateUPN(upn); err != nil {
		return CASMailbox{}, err
	}
	// Rows as raw fields: JSON null ($null, inherit) must tell from absent.
	var rows []map[string]json.RawMessage
	if err := c.invoke(ctx, "Get-CASMailbox", map[string]any{"Identity": upn}, ExchangeReadRoles, &rows); err != nil {
		return CASMailbox{}, err
	}
	if len(rows) != 1 {
		return CASMailbox{}, fmt.Errorf("%w: Get-CASMailbox gave %d rows for one mailbox", ErrExchangeMalformed, len(rows))
	}
	return casMailbox(rows[0])
}

// CASMailboxes reads every mailbox's SMTP AUTH switch in one listing
// (Get-CASMailbox -ResultSize Unlimited, paged): the scan's bulk read, a
// request per thousand mailboxes rather than one per account.
func (c *Client) CASMailboxes(ctx context.Context) ([]CASMailbox, error) {
	var rows []map[string]json.RawMessage
	if err := c.invoke(ctx, "Get-CASMailbox", map[string]any{"ResultSize": "Unlimited"}, ExchangeReadRoles, &rows); err != nil {
		return nil, err
	}
	out := make([]CASMailbox, 0, len(rows))
	for _, row := range rows {
		mb, err := casMailbox(row)
		if err != nil {
			return nil, err
		}
		out = append(out, mb)
	}
	return out, nil
}

// casMailbox reads one Get-CASMailbox row; a row without the switch, or
// with it neither true, false nor null, is not guessed at.
func casMailbox(row map[string]json.RawMessage) (CASMailbox, error) {
	raw, present := row["SmtpClientAuthenticationDisabled"]
	var disabled *bool
	if !present || json.Unmarshal(raw, &disabled) != nil {
		return CASMailbox{}, fmt.Errorf("%w: SmtpClientAuthenticationDisabled is neither true, false nor null", ErrExchangeMalformed)
	}
	var address string
	if json.Unmarshal(row["PrimarySmtpAddress"], &address) != nil {
		return CASMailbox{}, fmt.Errorf("%w: PrimarySmtpAddress is not text", ErrExchangeMalformed)
	}
	var userID string
	if raw, ok := row["ExternalDirectoryObjectId"]; ok && json.Unmarshal(raw, &userID) != nil {
		return CASMailbox{}, fmt.Errorf("%w: ExternalDirectoryObjectId is not text", ErrExchangeMalformed)
	}
	return CASMailbox{PrimarySMTPAddress: termsafe.Clean(address), UserID: termsafe.Clean(userID), SMTPClientAuthenticationDisabled: disabled}, nil
}

// TransportConfig reads the organisation's SMTP AUTH switch.
func (c *Client) TransportConfig(ctx context.Context) (TransportConfig, error) {
	var rows []struct {
		Disabled *bool `json:"SmtpClientAuthenticationDisabled"`
	}
	if err := c.invoke(ctx, "Get-TransportConfig", nil, ExchangeReadRoles, &rows); err != nil {
		return TransportConfig{}, err
	}
	if len(rows) != 1 || rows[0].Disabled == nil {
		return TransportConfig{}, fmt.Errorf("%w: Get-TransportConfig gave no SmtpClientAuthenticationDisabled", ErrExchangeMalformed)
	}
	return TransportConfig{SMTPClientAuthenticationDisabled: *rows[0].Disabled}, nil
}

// AuthenticationPolicies lists the organisation's authentication policies.
func (c *Client) AuthenticationPolicies(ctx context.Context) ([]AuthenticationPolicy, error) {
	var rows []struct {
		Name  string `json:"Name"`
		Basic *bool  `json:"AllowBasicAuthSmtp"`
	}
	if err := c.invoke(ctx, "Get-AuthenticationPolicy", nil, ExchangeReadRoles, &rows); err != nil {
		return nil, err
	}
	out := make([]AuthenticationPolicy, 0, len(rows))
	for _, r := range rows {
		if r.Basic == nil {
			return nil, fmt.Errorf("%w: an authentication policy without AllowBasicAuthSmtp", ErrExchangeMalformed)
		}
		out = append(out, AuthenticationPolicy{Name: termsafe.Clean(r.Name), AllowBasicAuthSMTP: *r.Basic})
	}
	return out, nil
}

// SetCASMailboxSMTPAuth sets a mailbox's SmtpClientAuthenticationDisabled:
// false turns SMTP AUTH on for it, nil hands it back to the organisation's.
func (c *Client) SetCASMailboxSMTPAuth(ctx context.Context, upn string, disabled *bool) error {
	if err := ValidateUPN(upn); err != nil {
		return err
	}
	var value any
	if disabled != nil {
		value = *disabled
	}
	var rows []json.RawMessage
	return c.invoke(ctx, "Set-CASMailbox", map[string]any{"Identity": upn, "SmtpClientAuthenticationDisabled": value}, ExchangeWriteRoles, &rows)
}

// invoke runs one cmdlet and decodes its value array into rows, following
// @odata.nextLink (the same body POSTed to the link, as Exchange Online
// PowerShell's REST clients do) until the last page, and retrying 429 and
// 503 as Graph calls are (Retry-After on the configured clock).
func (c *Client) invoke(ctx context.Context, cmdlet string, params map[string]any, roles string, rows any) error {
	var all []json.RawMessage
	next := "" // the first page is InvokeCommand itself
	for page := 0; ; page++ {
		data, err := c.invokePage(ctx, next, cmdlet, params, roles)
		if err != nil {
			return err
		}
		var answer struct {
			Value    *[]json.RawMessage `json:"value"`
			NextLink string             `json:"@odata.nextLink"`
		}
		if json.Unmarshal(data, &answer) != nil || answer.Value == nil {
			return fmt.Errorf("%w: %s's answer has no value array of rows", ErrExchangeMalformed, cmdlet)
		}
		all = append(all, *answer.Value...)
		if answer.NextLink == "" {
			break
		}
		if answer.NextLink == next || page+1 >= maxExchangePages {
			return fmt.Errorf("%w: %s's pages do not end", ErrExchangeMalformed, cmdlet)
		}
		next = answer.NextLink
	}
	joined, err := json.Marshal(all)
	if err != nil || json.Unmarshal(joined, rows) != nil {
		return fmt.Errorf("%w: %s's rows are not in the shape apppass reads", ErrExchangeMalformed, cmdlet)
	}
	return nil
}

// maxExchangePages bounds one listing: at 1,000 rows a page, a million
// mailboxes. An answer that links on past it is not believed.
const maxExchangePages = 1000

// invokePage sends one page's request, retrying what may be retried.
func (c *Client) invokePage(ctx context.Context, link, cmdlet string, params map[string]any, roles string) ([]byte, error) {
	for attempt := 0; ; attempt++ {
		data, err := c.invokeOnce(ctx, link, cmdlet, params, roles)
		wait, again := c.exchangeRetryWait(err, attempt)
		if !again {
			return data, err
		}
		if werr := c.cfg.Wait(ctx, c.cfg.Clock().Add(wait)); werr != nil {
			return nil, werr
		}
	}
}

// exchangeDefaultPage is the page size apppass asks Exchange for, as
// Exchange Online PowerShell's REST clients do.
const exchangeDefaultPage = 1000

func (c *Client) exchangePageSize() int {
	if c.exchangePage > 0 {
		return c.exchangePage
	}
	return exchangeDefaultPage
}

// exchangeRetryWait is retryWait for Exchange: 429, 503 and 504, at most
// Retry.MaxRetries times, after Retry-After or 1 s doubling.
func (c *Client) exchangeRetryWait(err error, attempt int) (time.Duration, bool) {
	var e *ExchangeError
	if !errors.As(err, &e) || (e.Status != http.StatusTooManyRequests && e.Status != http.StatusServiceUnavailable && e.Status != http.StatusGatewayTimeout) {
		return 0, false
	}
	wait := e.RetryAfter
	if wait <= 0 {
		wait = time.Second << min(attempt, 5)
	}
	if attempt >= c.cfg.Retry.MaxRetries || wait > c.cfg.Retry.MaxWait {
		return 0, false
	}
	return wait, true
}

// invokeOnce sends one InvokeCommand request with an Exchange token: to
// InvokeCommand, or to link, a next page's address, which must be
// InvokeCommand's own (the token goes nowhere else).
func (c *Client) invokeOnce(parent context.Context, link, cmdlet string, params map[string]any, roles string) ([]byte, error) {
	root, scope := c.cfg.Cloud.ExchangeRoot, c.cfg.Cloud.ExchangeScope
	base, err := url.Parse(root)
	if root == "" || scope == "" || err != nil || base.Scheme != "https" || base.Host == "" {
		return nil, ErrExchangeUnavailable
	}
	account := c.Account()
	if account.TenantID == "" {
		return nil, ErrNotSignedIn
	}
	token, err := c.exchangeToken(parent, scope)
	if err != nil {
		return nil, err
	}
	if params == nil {
		params = map[string]any{}
	}
	body, err := json.Marshal(map[string]any{"CmdletInput": map[string]any{"CmdletName": cmdlet, "Parameters": params}})
	if err != nil {
		return nil, err
	}
	requestID := uuid.NewString()
	ctx, cancel := c.cfg.Deadline(parent, requestID)
	defer cancel()
	endpoint := base.JoinPath("adminapi", "beta", account.TenantID, "InvokeCommand")
	if link != "" {
		next, err := url.Parse(link)
		if err != nil || next.Scheme != "https" || !strings.EqualFold(next.Host, base.Host) || next.User != nil ||
			!strings.EqualFold(next.EscapedPath(), "/"+strings.TrimPrefix(endpoint.EscapedPath(), "/")) {
			return nil, fmt.Errorf("%w: %s's next page is not at InvokeCommand", ErrExchangeMalformed, cmdlet)
		}
		endpoint = next
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint.String(), bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Prefer", "odata.maxpagesize="+strconv.Itoa(c.exchangePageSize()))
	req.Header.Set(clientRequestIDHeader, requestID)
	resp, err := c.httpClient.Do(req)
	if err != nil {
		return nil, classify(parent, ctx, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	switch {
	case ctx.Err() != nil:
		return nil, classify(parent, ctx, ctx.Err())
	case err != nil:
		return nil, fmt.Errorf("%w: the answer was cut off: %w", ErrUnreachable, err)
	case resp.StatusCode >= 400:
		return nil, parseExchangeError(resp, data, roles)
	}
	return data, nil
}

// exchangeToken gets a token for Exchange Online from the same MSAL client
// and cache as Graph's, for the signed-in account, or from the app
// registration UseExchangeTokens named.
func (c *Client) exchangeToken(ctx context.Context, scope string) (string, error) {
	c.mu.Lock()
	a, src := c.account, c.exchangeTokens
	c.mu.Unlock()
	if a.HomeAccountID == "" {
		return "", ErrNotSignedIn
	}
	if src != nil {
		token, err := src.AccessToken(ctx)
		if err != nil {
			return "", fmt.Errorf("a token for Exchange Online from the app registration: %w", err)
		}
		return token, nil
	}
	res, err := c.msal.AcquireTokenSilent(ctx, []string{scope}, public.WithSilentAccount(a))
	if err != nil {
		return "", fmt.Errorf("a token for Exchange Online: %w", signInError(err))
	}
	return res.AccessToken, nil
}

// parseExchangeError reads the endpoint's {"error": {"code", "message"}};
// an empty or other body still yields the status.
func parseExchangeError(resp *http.Response, body []byte, roles string) *ExchangeError {
	e := &ExchangeError{Status: resp.StatusCode}
	var shape struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &shape) == nil {
		e.Code, e.Message = termsafe.Clean(shape.Error.Code), termsafe.Clean(shape.Error.Message)
	}
	if secs, err := strconv.Atoi(strings.TrimSpace(resp.Header.Get("Retry-After"))); err == nil && secs >= 0 && secs <= maxRetryAfterSeconds {
		e.RetryAfter = time.Duration(secs) * time.Second
	}
	if e.Status == http.StatusForbidden {
		e.NeededRoles = roles
	}
	return e
}
