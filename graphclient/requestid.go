package graphclient

import (
	"net/http"

	khttp "github.com/microsoft/kiota-http-go"
)

// clientRequestIDHeader is Graph's client-request-id: an id the client
// chooses for a call, which Graph echoes in its answers and errors.
const clientRequestIDHeader = "client-request-id"

// oneRequestID keeps the client-request-id apppass chose for a call. The
// Graph core's telemetry handler adds a second, fresh one to every request;
// Graph expects one, and apppass's own is the one its deadline knows.
type oneRequestID struct{}

// Intercept drops every client-request-id after the first.
func (oneRequestID) Intercept(pipeline khttp.Pipeline, index int, req *http.Request) (*http.Response, error) {
	if ids := req.Header.Values(clientRequestIDHeader); len(ids) > 1 {
		req.Header.Set(clientRequestIDHeader, ids[0])
	}
	return pipeline.Next(req, index)
}
