package graphclient

import (
	"os"

	"github.com/apppass/apppass/appdirs"
)

// The token cache holds the access, refresh and ID tokens MSAL keeps
// between runs. How it is protected at rest depends on the platform:
// cache_windows.go encrypts it with DPAPI, cache_other.go keeps it in a
// file only its owner can read. CacheProtection says which, to the person.

// CachePath is the token cache file of one environment (a cloud's name)
// in the cache folder of the platform env describes; each cloud has its
// own file. On Windows the file holds DPAPI-encrypted bytes, not JSON, and
// its name says so.
func CachePath(env appdirs.Env, environment string) (string, error) {
	dir, err := env.Cache()
	if err != nil {
		return "", err
	}
	ext := ".json"
	if env.GOOS == "windows" {
		ext = ".dpapi"
	}
	return env.Join(dir, "msal-"+environment+ext), nil
}

// DefaultCachePath is CachePath on this machine.
func DefaultCachePath(environment string) (string, error) {
	return CachePath(appdirs.System(), environment)
}

// PrivateDir makes dir (and its parents) if needed and makes sure only its
// owner can enter it: a folder that already exists with a looser mode, such
// as 0755, is tightened to 0700. Windows has no mode bits: there the folder
// is private because it is in the user's profile (%LOCALAPPDATA%).
func PrivateDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	info, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if info.Mode().Perm()&0o077 != 0 {
		return os.Chmod(dir, 0o700)
	}
	return nil
}
