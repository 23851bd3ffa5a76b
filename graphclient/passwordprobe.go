package graphclient

import (
	"net/http"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/public"
)

// newPasswordProbe builds a separate public client with only MSAL's
// in-memory cache, so the account's tokens from a password check never reach
// the token cache file and are gone with the probe.
func newPasswordProbe(cfg Config, httpClient *http.Client) (public.Client, error) {
	return public.New(cfg.ClientID, msalOptions(cfg, httpClient)...)
}
