// Package appdirs says where apppass keeps its files on each operating
// system: the token cache and the journal. The rules are plain functions of
// an Env, so every platform's folders are tested on any machine.
package appdirs

import (
	"errors"
	"os"
	"runtime"
	"strings"
)

// Name is the folder apppass keeps its files in, inside the platform's own.
const Name = "apppass"

// Env is what the folders depend on.
type Env struct {
	// GOOS is the operating system, as runtime.GOOS names it.
	GOOS string
	// Getenv reads an environment variable ("" when unset).
	Getenv func(key string) string
}

// System is the Env of the running program.
func System() Env { return Env{GOOS: runtime.GOOS, Getenv: os.Getenv} }

// Cache is the folder of the token cache, the folders os.UserCacheDir
// names: %LOCALAPPDATA%\apppass on Windows, ~/Library/Caches/apppass on
// macOS, and $XDG_CACHE_HOME/apppass (by default ~/.cache/apppass)
// elsewhere.
func (e Env) Cache() (string, error) {
	switch e.GOOS {
	case "windows":
		return e.localAppData()
	case "darwin":
		return e.underHome("Library", "Caches", Name)
	}
	return e.xdg("XDG_CACHE_HOME", ".cache")
}

// State is the folder of the journal, which must outlive any cache
// clean-up: %LOCALAPPDATA%\apppass on Windows (beside the token cache),
// ~/Library/Application Support/apppass on macOS, and
// $XDG_STATE_HOME/apppass (by default ~/.local/state/apppass) elsewhere.
func (e Env) State() (string, error) {
	switch e.GOOS {
	case "windows":
		return e.localAppData()
	case "darwin":
		return e.underHome("Library", "Application Support", Name)
	}
	return e.xdg("XDG_STATE_HOME", ".local", "state")
}

// Join joins a folder and names with the separator of e's system.
func (e Env) Join(dir string, names ...string) string {
	sep := "/"
	if e.GOOS == "windows" {
		sep = `\`
	}
	return strings.TrimRight(dir, `/\`) + sep + strings.Join(names, sep) // a root, "/" or `C:\`, keeps one
}

// localAppData is %LOCALAPPDATA%\apppass: Windows keeps it per user, out
// of the roaming profile, readable only by the user and administrators.
func (e Env) localAppData() (string, error) {
	dir := e.Getenv("LOCALAPPDATA")
	if dir == "" {
		return "", errors.New(`%LOCALAPPDATA% is not set: apppass keeps its token cache and journal in %LOCALAPPDATA%\apppass`)
	}
	return e.Join(dir, Name), nil
}

func (e Env) underHome(names ...string) (string, error) {
	home := e.Getenv("HOME")
	if home == "" {
		return "", errors.New("$HOME is not set: apppass keeps its files under your home folder")
	}
	return e.Join(home, names...), nil
}

// xdg follows the XDG base directory rules: the variable when it holds an
// absolute path (a relative one is ignored, as the specification says),
// else the default under the home folder.
func (e Env) xdg(variable string, defaultUnderHome ...string) (string, error) {
	if dir := e.Getenv(variable); strings.HasPrefix(dir, "/") {
		return e.Join(dir, Name), nil
	}
	return e.underHome(append(defaultUnderHome, Name)...)
}
