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
	raw, present := rows[0]["SmtpClientAuthenticationDisabled"]
	var disabled *bool
	if !present || json.Unmarshal(raw, &disabled) != nil {
		return CASMailbox{}, fmt.Errorf("%w: SmtpClientAuthenticationDisabled is neither true, false nor null", ErrExchangeMalformed)
	}
	var address string
	if json.Unmarshal(rows[0]["PrimarySmtpAddress"], &address) != nil {
		return CASMailbox{}, fmt.Errorf("%w: PrimarySmtpAddress is not text", ErrExchangeMalformed)
	}
	return CASMailbox{PrimarySMTPAddress: termsafe.Clean(address), SMTPClientAuthenticationDisabled: disabled}, nil
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

// invoke runs one cmdlet and decodes its value array into rows, retrying
// 429 and 503 as Graph calls are (Retry-After on the configured clock).
func (c *Client) invoke(ctx context.Context, cmdlet string, params map[string]any, roles string, rows any) error {
	for attempt := 0; ; attempt++ {
		data, err := c.invokeOnce(ctx, cmdlet, params, roles)
		wait, again := c.exchangeRetryWait(err, attempt)
		if again {
			if werr := c.cfg.Wait(ctx, c.cfg.Clock().Add(wait)); werr != nil {
				return werr
			}
			continue
		}
		if err != nil {
			return err
		}
		var answer struct {
			Value *json.RawMessage `json:"value"`
		}
		if json.Unmarshal(data, &answer) != nil || answer.Value == nil || json.Unmarshal(*answer.Value, rows) != nil {
			return fmt.Errorf("%w: %s's answer has no value array of rows", ErrExchangeMalformed, cmdlet)
		}
		return nil
	}
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

// invokeOnce sends one InvokeCommand request with an Exchange token.
func (c *Client) invokeOnce(parent context.Context, cmdlet string, params map[string]any, roles string) ([]byte, error) {
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
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint.String(), bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
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
// and cache as Graph's, for the signed-in account.
func (c *Client) exchangeToken(ctx context.Context, scope string) (string, error) {
	c.mu.Lock()
	a := c.account
	c.mu.Unlock()
	if a.HomeAccountID == "" {
		return "", ErrNotSignedIn
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
