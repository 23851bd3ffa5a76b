package graphclient

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/apppass/apppass/termsafe"

	jsonserialization "github.com/microsoft/kiota-serialization-json-go"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"
)

// Graph error codes apppass acts on (M365-FACTS.md section 5).
const (
	CodeRequestDenied   = "Authorization_RequestDenied"
	CodeNotFound        = "Request_ResourceNotFound"
	CodeLicenceRequired = "Authentication_RequestFromNonPremiumTenantOrB2CTenant"
)

// GraphError is a failed Graph call: the HTTP status, Graph's code and
// message, and the request id an admin can quote to Microsoft support.
type GraphError struct {
	Status    int
	Code      string
	Message   string
	RequestID string
	// RetryAfter is the wait Graph asked for on 429/503, if any.
	RetryAfter time.Duration
	// retryAfterSent tells Retry-After: 0 from no Retry-After at all.
	retryAfterSent bool
}

func (e *GraphError) Error() string {
	msg := e.Message
	if msg == "" {
		msg = http.StatusText(e.Status)
	}
	s := fmt.Sprintf("Microsoft Graph answered %d", e.Status)
	if e.Code != "" {
		s += " " + e.Code
	}
	s += ": " + msg
	if e.RequestID != "" {
		s += " (request-id " + e.RequestID + ")"
	}
	return s
}

// ErrMalformedResponse marks a Graph answer apppass could not decode.
var ErrMalformedResponse = errors.New("Microsoft Graph sent an answer that is not the JSON it documents")

// ErrUnreachable marks a call that got no answer (connection refused or
// dropped, DNS failure, timeout).
var ErrUnreachable = errors.New("no answer from Microsoft")

const maxRetryAfterSeconds = 24 * 60 * 60

// parseGraphError reads Graph's error body through the SDK's ODataError
// type, guarding every field: an empty or broken body still yields the status
// and the request id from the headers.
func parseGraphError(status int, header http.Header, body []byte) *GraphError {
	e := &GraphError{Status: status, RequestID: termsafe.Clean(header.Get("request-id"))}
	if secs, err := strconv.Atoi(header.Get("Retry-After")); err == nil && secs >= 0 {
		// A day is already "come back tomorrow"; more would overflow Duration.
		e.RetryAfter = time.Duration(min(secs, maxRetryAfterSeconds)) * time.Second
		e.retryAfterSent = true
	}
	if len(body) == 0 {
		return e
	}
	node, err := jsonserialization.NewJsonParseNode(body)
	if err != nil {
		e.Message = "the error body is not JSON"
		return e
	}
	parsed, err := node.GetObjectValue(odataerrors.CreateODataErrorFromDiscriminatorValue)
	odata, ok := parsed.(*odataerrors.ODataError)
	if err != nil || !ok || odata == nil {
		return e
	}
	// ODataError.Error() panics without error.message: read the parts ourselves.
	main := odata.GetErrorEscaped()
	if main == nil {
		return e
	}
	e.Code = termsafe.Clean(deref(main.GetCode()))
	e.Message = termsafe.Clean(deref(main.GetMessage()))
	if inner := main.GetInnerError(); inner != nil {
		if id := deref(inner.GetRequestId()); id != "" {
			e.RequestID = termsafe.Clean(id)
		}
	}
	return e
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func asGraphError(err error) (*GraphError, bool) {
	var g *GraphError
	ok := errors.As(err, &g)
	return g, ok
}

// IsForbidden reports a 403 for a missing role or scope (not a licence).
func IsForbidden(err error) bool {
	g, ok := asGraphError(err)
	return ok && g.Status == http.StatusForbidden && g.Code != CodeLicenceRequired
}

// IsLicenceRequired reports that the tenant lacks the licence (Entra ID P1) the call needs.
func IsLicenceRequired(err error) bool {
	g, ok := asGraphError(err)
	return ok && g.Code == CodeLicenceRequired
}

// IsNotFound reports that the object does not exist.
func IsNotFound(err error) bool {
	g, ok := asGraphError(err)
	return ok && g.Status == http.StatusNotFound
}

// IsThrottled reports a 429 (Too Many Requests) that outlasted the retries.
func IsThrottled(err error) bool {
	g, ok := asGraphError(err)
	return ok && g.Status == http.StatusTooManyRequests
}

// IsUnavailable reports a 503 or 504 that outlasted the retries: the
// service is down or overloaded, which is not throttling.
func IsUnavailable(err error) bool {
	g, ok := asGraphError(err)
	return ok && (g.Status == http.StatusServiceUnavailable || g.Status == http.StatusGatewayTimeout)
}

// RequestID returns the Graph request id carried by err, if any.
func RequestID(err error) string {
	if g, ok := asGraphError(err); ok {
		return g.RequestID
	}
	return ""
}
