package graphclient

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/apppass/apppass/termsafe"

	msalerrors "github.com/AzureAD/microsoft-authentication-library-for-go/apps/errors"
)

// EntraError is an error answer of Entra's token endpoint. Decisions key off
// Error and Codes, never off Description's text.
type EntraError struct {
	OAuthError    string `json:"error"`
	Description   string `json:"error_description"`
	Codes         []int  `json:"error_codes"`
	SubError      string `json:"suberror"`
	CorrelationID string `json:"correlation_id"`
	TraceID       string `json:"trace_id"`
	Timestamp     string `json:"timestamp"`
}

func (e *EntraError) Error() string {
	if e.OAuthError == "" { // an answer sent back to the browser: only the code is known
		return fmt.Sprintf("Entra ID refused the sign-in (AADSTS%d)", e.Code())
	}
	if e.Code() != 0 {
		return fmt.Sprintf("Entra ID refused the sign-in: %s (AADSTS%d)", e.OAuthError, e.Code())
	}
	return "Entra ID refused the sign-in: " + e.OAuthError
}

// Code is the first AADSTS code, or 0.
func (e *EntraError) Code() int {
	if len(e.Codes) == 0 {
		return 0
	}
	return e.Codes[0]
}

// HasCode reports whether the answer carries the AADSTS code.
func (e *EntraError) HasCode(code int) bool {
	for _, c := range e.Codes {
		if c == code {
			return true
		}
	}
	return false
}

// LookupURL is Microsoft's page that explains the code.
func (e *EntraError) LookupURL() string {
	return fmt.Sprintf("https://login.microsoftonline.com/error?code=%d", e.Code())
}

// ParseEntraError decodes an Entra token-endpoint error body.
func ParseEntraError(body []byte) (*EntraError, bool) {
	var e EntraError
	if err := json.Unmarshal(body, &e); err != nil || e.OAuthError == "" {
		return nil, false
	}
	termsafe.CleanAll(&e) // Entra's words enter here
	return &e, true
}

// AsEntraError finds Entra's error answer inside an MSAL error. MSAL returns
// errors.CallErr by value, and its body can be read once, so the JSON MSAL
// embeds in the message is the fallback.
func AsEntraError(err error) (*EntraError, bool) {
	if err == nil {
		return nil, false
	}
	var already *EntraError
	if errors.As(err, &already) {
		return already, true
	}
	var call msalerrors.CallErr
	if errors.As(err, &call) && call.Resp != nil && call.Resp.Body != nil {
		body, readErr := io.ReadAll(call.Resp.Body)
		call.Resp.Body = io.NopCloser(bytes.NewReader(body))
		if readErr == nil {
			if e, ok := ParseEntraError(body); ok {
				return e, true
			}
		}
	}
	msg := err.Error()
	if i := strings.Index(msg, "{"); i >= 0 {
		if j := strings.LastIndex(msg, "}"); j > i {
			return ParseEntraError([]byte(msg[i : j+1]))
		}
	}
	return nil, false
}
