package graphclient_test

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/apppass/apppass/graphclient"
)

// lateAnswer waits until the caller has given up, then answers an empty 200:
// what a server cut off by a time-out may still send.
type lateAnswer struct{}

func (lateAnswer) RoundTrip(r *http.Request) (*http.Response, error) {
	<-r.Context().Done()
	return &http.Response{StatusCode: http.StatusOK, Proto: "HTTP/1.1", Header: http.Header{},
		Body: io.NopCloser(strings.NewReader("")), Request: r}, nil
}

func TestAnswerAfterTimeoutIsNoAnswer(t *testing.T) {
	// The real time-out, not the tests' signal: lateAnswer answers only
	// after it, however slow the machine.
	e := newEnv(t, "classic", func(c *graphclient.Config) { c.Deadline, c.RequestTimeout = nil, 20*time.Millisecond })
	e.signIn(t)
	if err := graphclient.SetTransport(e.client, lateAnswer{}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.Organization(ctxT(t)); !errors.Is(err, graphclient.ErrUnreachable) || errors.Is(err, graphclient.ErrMalformedResponse) {
		t.Fatalf("got %v, want ErrUnreachable", err)
	}
}
