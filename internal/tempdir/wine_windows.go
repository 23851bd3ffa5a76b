package tempdir

import "syscall"

// underWine reports whether this Windows program runs under Wine, whose
// ntdll exports wine_get_version (Wine's documented way to tell).
func underWine() bool {
	return syscall.NewLazyDLL("ntdll.dll").NewProc("wine_get_version").Find() == nil
}
