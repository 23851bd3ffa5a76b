//go:build !windows

// The merge serves the 0600 file (cache_other.go); on Windows the cache
// goes through Microsoft's MSAL extensions instead (cache_windows.go).

package graphclient

import (
	"bytes"
	"encoding/json"
)

// mergeCache is what a process writes to the token cache file: ours (its
// MSAL cache now), plus what another process changed in the file (theirs)
// since this one read it (base). MSAL's cache is an object of sections
// (AccessToken, RefreshToken, Account, ...), each an object of entries by
// key; the merge is per entry, three-way:
//   - an entry we changed or added is ours;
//   - an entry we removed (logout) stays removed;
//   - an entry we did not touch takes theirs, changed, added or removed.
//
// If any of the three is not that shape, ours is written as it is.
func mergeCache(base, ours, theirs []byte) []byte {
	if theirs == nil || bytes.Equal(theirs, base) {
		return ours
	}
	b, okB := sections(base)
	o, okO := sections(ours)
	t, okT := sections(theirs)
	if !okO || !okT || (!okB && base != nil) {
		return ours
	}
	out := map[string]map[string]json.RawMessage{}
	for _, name := range union(o, t) {
		merged := map[string]json.RawMessage{}
		bs, os, ts := b[name], o[name], t[name]
		for key, v := range os {
			if bv, was := bs[key]; was && bytes.Equal(bv, v) {
				if tv, there := ts[key]; there {
					merged[key] = tv // untouched by us: theirs, perhaps refreshed
				}
				continue // untouched by us and removed by them
			}
			merged[key] = v // ours: added or changed here
		}
		for key, tv := range ts {
			if _, mine := os[key]; mine {
				continue
			}
			if _, was := bs[key]; !was {
				merged[key] = tv // added by them
			}
		}
		out[name] = merged
	}
	data, err := json.Marshal(out)
	if err != nil {
		return ours
	}
	return data
}

// sections reads an MSAL cache as sections of entries; ok is false when
// it is not that shape.
func sections(data []byte) (map[string]map[string]json.RawMessage, bool) {
	if data == nil {
		return nil, false
	}
	var top map[string]json.RawMessage
	if json.Unmarshal(data, &top) != nil {
		return nil, false
	}
	out := map[string]map[string]json.RawMessage{}
	for name, raw := range top {
		var entries map[string]json.RawMessage
		if json.Unmarshal(raw, &entries) != nil {
			return nil, false
		}
		out[name] = entries
	}
	return out, true
}

func union(a, b map[string]map[string]json.RawMessage) []string {
	var names []string
	for n := range a {
		names = append(names, n)
	}
	for n := range b {
		if _, ok := a[n]; !ok {
			names = append(names, n)
		}
	}
	return names
}
