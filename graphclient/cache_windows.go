//go:build windows

package graphclient

import (
	"fmt"

	extcache "github.com/AzureAD/microsoft-authentication-extensions-for-go/cache"
	"github.com/AzureAD/microsoft-authentication-extensions-for-go/cache/accessor"
	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/cache"
)

// CacheProtection says in a sentence how this build protects the token
// cache at rest.
func CacheProtection() string {
	return "The token cache is encrypted with Windows DPAPI for your Windows account: " +
		"other accounts on this computer, and anyone who copies the file elsewhere, cannot read it."
}

// newTokenCache is MSAL's token cache in the file at path, encrypted with
// DPAPI by Microsoft's MSAL extensions for Go, which also lock the file so
// two apppass processes never write it at once.
func newTokenCache(path string) (cache.ExportReplace, error) {
	storage, err := accessor.New(path)
	if err != nil {
		return nil, fmt.Errorf("the token cache: %w", err)
	}
	// The extension notes each write's time in this file, to skip rereading
	// (and decrypting) a cache nobody changed.
	c, err := extcache.New(storage, path+".timestamp")
	if err != nil {
		return nil, fmt.Errorf("the token cache: %w", err)
	}
	return c, nil
}
