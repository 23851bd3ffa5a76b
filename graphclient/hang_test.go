package graphclient

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
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
	e := newEnv(t, "classic", func(c *Config) { c.RequestTimeout = 20 * time.Millisecond })
	e.signIn(t)
	e.client.httpClient.Transport = lateAnswer{}
	adapter, err := e.client.newAdapter()
	if err != nil {
		t.Fatal(err)
	}
	e.client.adapter = adapter
	if _, err := e.client.Organization(ctxT(t)); !errors.Is(err, ErrUnreachable) || errors.Is(err, ErrMalformedResponse) {
		t.Fatalf("got %v, want ErrUnreachable", err)
	}
}
