//go:build !windows

package graphclient

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/cache"
)

// CacheProtection says in a sentence how this build protects the token
// cache at rest.
func CacheProtection() string {
	return "The token cache is a file only your user account can read (mode 0600, in a 0700 folder). " +
		"It is not encrypted: an administrator of this computer, or anyone holding its disk, can read it."
}

// newTokenCache is MSAL's token cache in the file at path. Without cgo
// (release builds have none) Linux and macOS builds cannot reach the
// system's keyring, so the file's mode is its protection, as it is for
// Azure CLI.
func newTokenCache(path string) (cache.ExportReplace, error) {
	return fileCache{path: path}, nil
}

// fileCache is MSAL's token cache kept in one file, readable only by its
// owner (0600) and replaced atomically so a crash never leaves half a file.
type fileCache struct {
	path string
}

// Replace loads the file into MSAL's cache; a missing file is an empty cache.
func (f fileCache) Replace(ctx context.Context, c cache.Unmarshaler, _ cache.ReplaceHints) error {
	data, err := os.ReadFile(f.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading the token cache: %w", err)
	}
	return c.Unmarshal(data)
}

// Export writes MSAL's cache to the file.
func (f fileCache) Export(ctx context.Context, c cache.Marshaler, _ cache.ExportHints) error {
	data, err := c.Marshal()
	if err != nil {
		return err
	}
	return writeFileAtomic(f.path, data)
}

// writeFileAtomic writes data to a new 0600 file beside path and renames it
// over path.
func writeFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := PrivateDir(dir); err != nil {
		return fmt.Errorf("the token cache folder: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".msal-*.tmp") // CreateTemp makes the file 0600
	if err != nil {
		return fmt.Errorf("writing the token cache: %w", err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("writing the token cache: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("writing the token cache: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing the token cache: %w", err)
	}
	if err := os.Chmod(tmp.Name(), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
