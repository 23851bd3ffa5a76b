//go:build !windows

package graphclient

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/apppass/apppass/filelock"

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
	return &fileCache{path: path}, nil
}

// fileCache is MSAL's token cache kept in one file, readable only by its
// owner (0600) and replaced atomically so a crash never leaves half a file.
// Reads and writes hold a lock file (filelock) shared with every other
// apppass process, and a write merges what another process wrote since
// this one read (mergeCache), so two runs never drop each other's tokens.
type fileCache struct {
	path string
	mu   sync.Mutex
	base []byte // the file as this process last read or wrote it
}

// maxCacheFile bounds what apppass reads of the token cache: MSAL's cache
// of a few accounts is a few kilobytes.
const maxCacheFile = 4 << 20

// Replace loads the file into MSAL's cache; a missing file is an empty cache.
func (f *fileCache) Replace(ctx context.Context, c cache.Unmarshaler, _ cache.ReplaceHints) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	lock, err := f.lock()
	if err != nil {
		return err
	}
	data, err := readCacheFile(f.path)
	lock.Unlock()
	if err != nil {
		return err
	}
	f.base = data
	if data == nil {
		return nil
	}
	return c.Unmarshal(data)
}

// Export writes MSAL's cache to the file, merged with what another
// process wrote there since this one read it.
func (f *fileCache) Export(ctx context.Context, c cache.Marshaler, _ cache.ExportHints) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	data, err := c.Marshal()
	if err != nil {
		return err
	}
	lock, err := f.lock()
	if err != nil {
		return err
	}
	defer lock.Unlock()
	theirs, err := readCacheFile(f.path)
	if err != nil {
		return err
	}
	data = mergeCache(f.base, data, theirs)
	if err := writeFileAtomic(f.path, data); err != nil {
		return err
	}
	f.base = data
	return nil
}

func (f *fileCache) lock() (*filelock.Lock, error) {
	if err := PrivateDir(filepath.Dir(f.path)); err != nil {
		return nil, fmt.Errorf("the token cache folder: %w", err)
	}
	lock, err := filelock.Acquire(f.path + ".lock")
	if err != nil {
		return nil, fmt.Errorf("the token cache: %w", err)
	}
	return lock, nil
}

// readCacheFile reads the token cache (nil when there is none): only a
// regular file, at most maxCacheFile bytes, tightened to 0600 if another
// program left it readable by others. A FIFO or a device (/dev/zero) is
// refused before it is opened, so apppass never blocks or reads forever.
func readCacheFile(path string) ([]byte, error) {
	info, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the token cache: %w", err)
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("the token cache %s is not a regular file (%s); apppass will not read it: remove it and sign in again", path, info.Mode().Type())
	}
	if info.Size() > maxCacheFile {
		return nil, fmt.Errorf("the token cache %s is %d bytes, more than a token cache holds (%d); remove it and sign in again", path, info.Size(), maxCacheFile)
	}
	if info.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(path, 0o600); err != nil {
			return nil, fmt.Errorf("the token cache %s is readable by others (%v) and could not be made private: %w", path, info.Mode().Perm(), err)
		}
	}
	file, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading the token cache: %w", err)
	}
	defer file.Close()
	if info, err := file.Stat(); err != nil || !info.Mode().IsRegular() {
		return nil, fmt.Errorf("the token cache %s is not a regular file; apppass will not read it", path)
	}
	data, err := io.ReadAll(io.LimitReader(file, maxCacheFile+1))
	if err != nil {
		return nil, fmt.Errorf("reading the token cache: %w", err)
	}
	if len(data) > maxCacheFile {
		return nil, fmt.Errorf("the token cache %s grew past %d bytes while apppass read it; remove it and sign in again", path, maxCacheFile)
	}
	return data, nil
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
