//go:build !windows

package tempdir

// underWine is false: Wine runs Windows programs only.
func underWine() bool { return false }
