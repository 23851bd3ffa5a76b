// Package graphclient signs in to Entra ID with MSAL Go and calls Microsoft
// Graph through msgraph-sdk-go-core's request adapter, behind typed methods
// and typed errors. The same code serves the real cloud, the demo and the
// tests; only Config differs.
package graphclient

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/public"
	abs "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoft/kiota-abstractions-go/serialization"
	khttp "github.com/microsoft/kiota-http-go"
	jsonserialization "github.com/microsoft/kiota-serialization-json-go"
	msgraphgocore "github.com/microsoftgraph/msgraph-sdk-go-core"
)

// Client is a signed-in (or signing-in) session with one tenant.
type Client struct {
	cfg         Config
	msal        public.Client
	environment string // authority host:port, MSAL's cache key
	httpClient  *http.Client
	adapter     *msgraphgocore.GraphRequestAdapterBase
	// pace keeps Graph calls within Microsoft's documented limits.
	pace *pacer
	// requests counts the HTTP requests sent to Graph (Requests).
	requests atomic.Int64
	// exchangePage is the page size asked of Exchange's admin endpoint
	// (0: exchangeDefaultPage); tests ask for small pages.
	exchangePage int

	mu          sync.Mutex
	account     public.Account
	displayName string
	// exchangeTokens, when set, gives the tokens for Exchange's admin
	// endpoint (UseExchangeTokens).
	exchangeTokens TokenSource
}

// The SDK's root package would register these; apppass does not import it.
var registerFactories sync.Once

// New builds a Client. It makes no network call.
func New(cfg Config) (*Client, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	registerFactories.Do(func() {
		abs.RegisterDefaultSerializer(func() serialization.SerializationWriterFactory {
			return jsonserialization.NewJsonSerializationWriterFactory()
		})
		abs.RegisterDefaultDeserializer(func() serialization.ParseNodeFactory {
			return jsonserialization.NewJsonParseNodeFactory()
		})
	})
	env, _ := cfg.Cloud.authorityHostPort()
	c := &Client{cfg: cfg, environment: env, httpClient: baseHTTPClient(cfg.RootCAs), pace: newPacer(cfg.Clock, cfg.Wait)}

	opts := msalOptions(cfg, c.httpClient)
	if cfg.CachePath != "" {
		tokenCache, err := newTokenCache(cfg.CachePath)
		if err != nil {
			return nil, err
		}
		opts = append(opts, public.WithCache(tokenCache))
	}
	c.msal, err = public.New(cfg.ClientID, opts...)
	if err != nil {
		return nil, fmt.Errorf("setting up sign-in: %w", err)
	}
	c.adapter, err = c.newAdapter()
	if err != nil {
		return nil, fmt.Errorf("setting up Microsoft Graph: %w", err)
	}
	return c, nil
}

// msalOptions are the public-client options every MSAL client of cfg shares.
func msalOptions(cfg Config, httpClient *http.Client) []public.Option {
	opts := []public.Option{
		public.WithAuthority(cfg.Cloud.AuthorityHost + "/" + cfg.Tenant),
		public.WithHTTPClient(httpClient),
	}
	if !cfg.Cloud.isMicrosoftAuthority() {
		// Instance discovery would ask login.microsoftonline.com about a host it does not know.
		opts = append(opts, public.WithInstanceDiscovery(false))
	}
	return opts
}

// baseHTTPClient trusts the system roots, or only rootCAs when given.
func baseHTTPClient(rootCAs *x509.CertPool) *http.Client {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.TLSClientConfig = &tls.Config{RootCAs: rootCAs, MinVersion: tls.VersionTLS12}
	return &http.Client{Transport: transport, Timeout: 60 * time.Second}
}

// newAdapter builds the Graph request adapter: kiota's middleware (retry,
// redirect, compression, ...) over our transport, with our retry policy.
func (c *Client) newAdapter() (*msgraphgocore.GraphRequestAdapterBase, error) {
	// apppass retries itself (retry.go): kiota's handler would wait on the
	// real clock and knows nothing of the limits the pacer keeps.
	retry := &khttp.RetryHandlerOptions{
		MaxRetries:  1,
		ShouldRetry: func(time.Duration, int, *http.Request, *http.Response) bool { return false },
	}
	// Request compression is off: when kiota retries a gzipped PATCH the
	// re-sent body is broken, and a throttled write must retry cleanly.
	kiota, err := khttp.GetDefaultMiddlewaresWithOptions(retry, khttp.NewCompressionOptionsReference(false))
	if err != nil {
		return nil, err
	}
	graphOpts := msgraphgocore.GraphClientOptions{GraphServiceVersion: "v1.0", GraphServiceLibraryVersion: "apppass"}
	middleware := append([]khttp.Middleware{msgraphgocore.NewGraphTelemetryHandler(&graphOpts), oneRequestID{}}, kiota...)
	httpClient := &http.Client{Transport: khttp.NewCustomTransportWithParentTransport(c.httpClient.Transport, middleware...)}
	host, _ := c.cfg.Cloud.graphHost()
	auth, err := newTokenProvider(c, host)
	if err != nil {
		return nil, err
	}
	return msgraphgocore.NewGraphRequestAdapterBaseWithParseNodeFactoryAndSerializationWriterFactoryAndHttpClient(
		auth, graphOpts, jsonserialization.NewJsonParseNodeFactory(), jsonserialization.NewJsonSerializationWriterFactory(), httpClient)
}

// isNetworkError reports errors that mean no answer came back.
func isNetworkError(err error) bool {
	var netErr net.Error
	var opErr *net.OpError
	return errors.As(err, &netErr) || errors.As(err, &opErr)
}
