//go:build windows

package graphclient_test

import (
	"os"
	"strings"
	"testing"
)

// assertProtectedAtRest: on Windows the token cache file holds DPAPI's
// ciphertext, never the tokens themselves.
func assertProtectedAtRest(t *testing.T, path, secret string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) == 0 || strings.Contains(string(data), secret) || strings.Contains(string(data), `"AccessToken"`) {
		t.Errorf("the token cache file is not encrypted: %q", data)
	}
}

func assertProtectionSaid(t *testing.T, said string) {
	t.Helper()
	if !strings.Contains(said, "DPAPI") || strings.Contains(said, "not encrypted") {
		t.Errorf("CacheProtection %q does not say DPAPI", said)
	}
}
