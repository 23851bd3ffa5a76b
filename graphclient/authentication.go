package graphclient

import (
	"context"
	"fmt"
	"strings"

	abs "github.com/microsoft/kiota-abstractions-go"
)

// MFAState is a per-user MFA state as Graph spells it.
type MFAState string

// The per-user MFA states.
const (
	MFADisabled MFAState = "disabled"
	MFAEnabled  MFAState = "enabled"
	MFAEnforced MFAState = "enforced"
)

// ParseMFAState validates a state read from Graph or typed by a person.
func ParseMFAState(s string) (MFAState, error) {
	switch st := MFAState(strings.ToLower(s)); st {
	case MFADisabled, MFAEnabled, MFAEnforced:
		return st, nil
	}
	return "", fmt.Errorf("%w: unknown per-user MFA state %q", ErrMalformedResponse, s)
}

// PerUserMFAState reads a user's per-user MFA state (beta).
func (c *Client) PerUserMFAState(ctx context.Context, userID string) (MFAState, error) {
	var res struct {
		State string `json:"perUserMfaState"`
	}
	if err := c.getJSON(ctx, mfaStateCall(userID), &res); err != nil {
		return "", err
	}
	return ParseMFAState(res.State)
}

// SetPerUserMFAState changes a user's per-user MFA state (beta; needs the
// Authentication Policy Administrator role). Read it back to verify.
func (c *Client) SetPerUserMFAState(ctx context.Context, userID string, state MFAState) error {
	if _, err := ParseMFAState(string(state)); err != nil {
		return err
	}
	_, err := c.do(ctx, call{method: abs.PATCH, version: "beta", path: userPath(userID) + "/authentication/requirements",
		body: map[string]string{"perUserMfaState": string(state)}})
	return err
}

// AuthMethod is a registered authentication method. Kind is the short name
// (password, microsoftAuthenticator, phone, fido2, softwareOath, ...).
// No app-password kind exists: Graph cannot see app passwords.
type AuthMethod struct {
	ID        string
	Kind      string
	ODataType string
}

// CanAnswerMFA reports whether the method can satisfy an MFA prompt.
func (m AuthMethod) CanAnswerMFA() bool { return m.Kind != "password" }

// AuthenticationMethods lists a user's registered methods.
func (c *Client) AuthenticationMethods(ctx context.Context, userID string) ([]AuthMethod, error) {
	raw, err := getAll[struct {
		Type string `json:"@odata.type"`
		ID   string `json:"id"`
	}](ctx, c, methodsCall(userID))
	if err != nil {
		return nil, err
	}
	methods := make([]AuthMethod, 0, len(raw))
	for _, r := range raw {
		kind := strings.TrimSuffix(strings.TrimPrefix(r.Type, "#microsoft.graph."), "AuthenticationMethod")
		methods = append(methods, AuthMethod{ID: r.ID, Kind: kind, ODataType: r.Type})
	}
	return methods, nil
}

// CheckPassword makes one resource-owner password sign-in (ROPC) as upn,
// the sharpest test of "is the password right and is MFA what blocks it".
// It returns nil when the sign-in succeeded and an *EntraError when Entra
// refused (50076, 50079 and 53003 prove the password right). It is never
// retried, and its tokens are never cached: every attempt counts toward
// smart lockout, so callers must ask first and try at most once.
func (c *Client) CheckPassword(ctx context.Context, upn, password string) error {
	probe, err := newPasswordProbe(c.cfg, c.httpClient)
	if err != nil {
		return err
	}
	//lint:ignore SA1019 MSAL marks ROPC deprecated; it is still the only way to test a password (a deliberate, single, asked-for attempt).
	_, err = probe.AcquireTokenByUsernamePassword(ctx, []string{"User.Read"}, upn, password)
	if err != nil {
		return signInError(err)
	}
	return nil
}
