package graphclient_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/apppass/apppass/graphclient"
)

func TestTokenProviderRefusesOtherHostsAndHTTP(t *testing.T) {
	e := newEnv(t, "classic")
	e.signIn(t)
	p, host := graphclient.GraphTokenProvider(e.client, e.cfg.Cloud, "127.0.0.1")
	for _, raw := range []string{"http://" + host + "/v1.0/me", "https://evil.example/v1.0/me", "https://127.0.0.1:1/v1.0/me"} {
		u, _ := url.Parse(raw)
		if tok, err := p.GetAuthorizationToken(context.Background(), u, nil); err == nil || tok != "" {
			t.Errorf("%s: a token was handed out", raw)
		}
	}
	u, _ := url.Parse("https://" + host + "/v1.0/me")
	if tok, err := p.GetAuthorizationToken(context.Background(), u, nil); err != nil || tok == "" {
		t.Fatalf("the Graph host got no token: %v", err)
	}
}
