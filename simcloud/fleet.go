package simcloud

import (
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
)

// A fleet is a large tenant written in a few lines. A scenario's "fleet"
// section asks for so many service accounts and for mixes of legacy
// protocols, per-user MFA states, registered methods, group memberships and
// first-factor failures; the generator makes them real users of the
// directory (svc-0001@domain, ...) and gives each app legacy sign-ins in
// the log (fleet_signins.go). Every draw comes from a random source seeded
// by the scenario's name, so a scenario is the same tenant on every run and
// every machine, and a benchmark measures the same work each time.

// Fleet is a scenario's "fleet" section (docs/scenarios.md). Mixes are
// percentages of the accounts.
type Fleet struct {
	// Accounts is how many accounts to generate.
	Accounts int `json:"accounts"`
	// SignInsPerAccount is the mean number of legacy sign-ins per account;
	// the log holds exactly Accounts × SignInsPerAccount of them.
	SignInsPerAccount int `json:"signInsPerAccount"`
	// Days is how far back before asOf the sign-ins go (at most 30).
	Days int `json:"days"`
	// Protocols is, for each legacy clientAppUsed, the share of accounts
	// whose app signs in with it; the shares add up to 100.
	Protocols map[string]int `json:"protocols"`
	// PerUserMFA is the share of accounts in each per-user MFA state
	// (disabled, enabled, enforced), adding up to 100; absent, all disabled.
	PerUserMFA map[string]int `json:"perUserMfa,omitempty"`
	// Registered is the share of accounts with a method that can answer
	// an MFA prompt (the Microsoft Authenticator app, a phone, ...).
	Registered int `json:"registered,omitempty"`
	// Groups is, for each of the scenario's groups, the share of accounts
	// that are members (a group a policy excludes, say).
	Groups map[string]int `json:"groups,omitempty"`
	// Failures is, for each first-factor code (50053 locked, 50055 password
	// expired, 50057 disabled, 50126 the app's password is wrong), the
	// share of accounts whose every sign-in fails with it; at most 100 in all.
	Failures map[int]int `json:"failures,omitempty"`
}

// Limits that keep a generated tenant within a demo's memory.
const (
	maxFleetAccounts     = 100_000
	maxFleetSignIns      = 500_000
	maxFleetDays         = 30 // the sign-in log's retention with Entra ID P1
	maxSignInsPerAccount = 1_000
)

// fleetAppKinds names, for each legacy clientAppUsed a fleet may use, the
// kind of app that still signs in with it, so that generated display names
// read like a real tenant's ("Scan to email 0042").
var fleetAppKinds = map[string]string{
	"Authenticated SMTP":               "Scan to email",
	"IMAP4":                            "Ticketing mailbox",
	"POP3":                             "Mail fetcher",
	"Exchange ActiveSync":              "Shared phone",
	"Exchange Web Services":            "Room booking sync",
	"Autodiscover":                     "Mail profile setup",
	"Other clients":                    "SharePoint script",
	"MAPI Over HTTP":                   "Outlook 2013",
	"Offline Address Book":             "Address book sync",
	"Outlook Anywhere (RPC over HTTP)": "Outlook 2010",
	"Outlook Service":                  "Outlook sync",
	"Reporting Web Services":           "Usage report",
}

// fleetFailureCodes are the codes a fleet may ask for: the account's or the
// stored password's own failures. 50076 and 53003 are not asked for: they
// follow from per-user MFA, methods, groups and policies, as in Entra, so
// that the log never contradicts the directory.
var fleetFailureCodes = []int{50053, 50055, 50057, 50126}

// fleetMethods are the second factors a registered account has, in turn.
var fleetMethods = [][]string{{"microsoftAuthenticator"}, {"microsoftAuthenticator", "phone"}, {"phone"}, {"softwareOath"}}

// fleetApp is what one generated account's app does, for the sign-in log.
type fleetApp struct {
	upn           string
	clientApp     string
	wrongPassword bool
	signIns       int
}

// validate refuses a fleet the generator could not honour, naming the field.
func (f *Fleet) validate(sc *Scenario) error {
	switch {
	case f.Accounts < 1 || f.Accounts > maxFleetAccounts:
		return fmt.Errorf("accounts must be from 1 to %d, not %d", maxFleetAccounts, f.Accounts)
	case f.SignInsPerAccount < 1 || f.SignInsPerAccount > maxSignInsPerAccount:
		return fmt.Errorf("signInsPerAccount must be from 1 to %d, not %d", maxSignInsPerAccount, f.SignInsPerAccount)
	case f.Accounts*f.SignInsPerAccount > maxFleetSignIns:
		return fmt.Errorf("accounts × signInsPerAccount must be at most %d, not %d", maxFleetSignIns, f.Accounts*f.SignInsPerAccount)
	case f.Days < 1 || f.Days > maxFleetDays:
		return fmt.Errorf("days must be from 1 to %d (the sign-in log keeps %d days), not %d", maxFleetDays, maxFleetDays, f.Days)
	case f.Registered < 0 || f.Registered > 100:
		return fmt.Errorf("registered must be a percentage from 0 to 100, not %d", f.Registered)
	case f.Protocols["Authenticated SMTP"] > 0 && sc.Tenant.SMTPAuth != SMTPAuthEnabled:
		return fmt.Errorf("Authenticated SMTP sign-ins reach the sign-in log only while tenant.smtpAuth is enabled")
	}
	checks := []error{
		checkMix("protocols", f.Protocols, slices.Sorted(maps.Keys(fleetAppKinds)), 100, 100),
		checkMix("failures", f.Failures, fleetFailureCodes, 0, 100),
	}
	if len(f.PerUserMFA) > 0 {
		checks = append(checks, checkMix("perUserMfa", f.PerUserMFA, []string{MFADisabled, MFAEnabled, MFAEnforced}, 100, 100))
	}
	for _, g := range slices.Sorted(maps.Keys(f.Groups)) {
		switch {
		case sc.groupID(g) == "":
			checks = append(checks, fmt.Errorf("groups: %q is not one of the scenario's groups", g))
		case f.Groups[g] < 0 || f.Groups[g] > 100:
			checks = append(checks, fmt.Errorf("groups: %s must be a percentage from 0 to 100, not %d", g, f.Groups[g]))
		}
	}
	for _, err := range checks {
		if err != nil {
			return err
		}
	}
	return nil
}

// checkMix refuses a key outside known, a share outside 0–100, and a total
// outside least–most.
func checkMix[K cmp.Ordered](field string, mix map[K]int, known []K, least, most int) error {
	total := 0
	for _, k := range slices.Sorted(maps.Keys(mix)) {
		if !slices.Contains(known, k) {
			names := make([]string, len(known))
			for i, k := range known {
				names[i] = fmt.Sprint(k)
			}
			return fmt.Errorf("%s: unknown %q (known: %s)", field, fmt.Sprint(k), strings.Join(names, ", "))
		}
		if mix[k] < 0 || mix[k] > 100 {
			return fmt.Errorf("%s: %v must be a percentage from 0 to 100, not %d", field, k, mix[k])
		}
		total += mix[k]
	}
	if total < least || total > most {
		if least == most {
			return fmt.Errorf("%s must add up to %d, not %d", field, most, total)
		}
		return fmt.Errorf("%s must add up to at most %d, not %d", field, most, total)
	}
	return nil
}

// expandFleet adds the fleet's accounts to the scenario's users and keeps
// what each one's app does. A user already listed under a fleet UPN is kept
// as written: a trainer may shape one account by hand, and a scenario
// written back out and read again does not list its accounts twice.
func (sc *Scenario) expandFleet() {
	f := sc.Fleet
	n := f.Accounts
	rng := fleetRand(sc.Name, "accounts")
	// Each mix is dealt on its own, so that mixes are independent: an SMTP
	// app is as likely as any other to have its account enforced.
	protocols := deal(rng, n, f.Protocols)
	states := deal(rng, n, f.perUserMFA())
	failures := deal(rng, n, f.Failures)
	registered := share(rng, n, f.Registered)
	groups := slices.Sorted(maps.Keys(f.Groups))
	members := make([][]bool, len(groups))
	for i, g := range groups {
		members[i] = share(rng, n, f.Groups[g])
	}
	counts := signInCounts(rng, n, f.SignInsPerAccount)
	listed := map[string]bool{}
	for _, u := range sc.Users {
		listed[strings.ToLower(u.UserPrincipalName)] = true
	}
	width := max(4, len(strconv.Itoa(n)))
	for i := range n {
		num := fmt.Sprintf("%0*d", width, i+1)
		u := User{
			UserPrincipalName: "svc-" + num + "@" + sc.Tenant.Domain,
			DisplayName:       fleetAppKinds[protocols[i]] + " " + num,
			Password:          "Svc-" + num + "-Sim-2026!",
			PerUserMFAState:   states[i],
			Methods:           []string{"password"},
		}
		if registered[i] {
			u.Methods = append(u.Methods, fleetMethods[rng.IntN(len(fleetMethods))]...)
		}
		for j, g := range groups {
			if members[j][i] {
				u.Groups = append(u.Groups, g)
			}
		}
		switch failures[i] {
		case 50053:
			u.LockedOut = true
		case 50055:
			u.PasswordExpired = true
		case 50057:
			u.AccountEnabled = new(false)
		}
		sc.fleetApps = append(sc.fleetApps, fleetApp{upn: u.UserPrincipalName, clientApp: protocols[i],
			wrongPassword: failures[i] == 50126, signIns: counts[i]})
		if !listed[strings.ToLower(u.UserPrincipalName)] {
			sc.Users = append(sc.Users, u)
		}
	}
}

// perUserMFA is the per-user MFA mix: every account disabled unless given.
func (f *Fleet) perUserMFA() map[string]int {
	if len(f.PerUserMFA) == 0 {
		return map[string]int{MFADisabled: 100}
	}
	return f.PerUserMFA
}

// fleetRand is the generator's random source for one purpose, seeded by
// the scenario's name.
func fleetRand(scenario, purpose string) *rand.Rand {
	seed := sha256.Sum256([]byte("fleet:" + purpose + ":" + scenario))
	return rand.New(rand.NewPCG(binary.LittleEndian.Uint64(seed[:8]), binary.LittleEndian.Uint64(seed[8:16])))
}

// deal gives each of n accounts one key of a mix of percentages: in
// proportion, exact to one account (largest remainders), in random order.
// The accounts a total under 100 leaves over get the zero key (no failure).
func deal[K cmp.Ordered](rng *rand.Rand, n int, mix map[K]int) []K {
	var zero K
	weights := map[K]int{zero: 100}
	for k, w := range mix {
		weights[k] += w
		weights[zero] -= w
	}
	keys := slices.Sorted(maps.Keys(weights))
	counts := make([]int, len(keys))
	left := n
	for i, k := range keys {
		counts[i] = n * weights[k] / 100
		left -= counts[i]
	}
	byRemainder := slices.Clone(keys)
	slices.SortStableFunc(byRemainder, func(a, b K) int { return n*weights[b]%100 - n*weights[a]%100 })
	for _, k := range byRemainder[:left] {
		counts[slices.Index(keys, k)]++
	}
	out := make([]K, 0, n)
	for i, k := range keys {
		for range counts[i] {
			out = append(out, k)
		}
	}
	rng.Shuffle(n, func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// share picks pct percent of n accounts (rounded), at random.
func share(rng *rand.Rand, n, pct int) []bool {
	in := make([]bool, n)
	for _, i := range rng.Perm(n)[:(n*pct+50)/100] {
		in[i] = true
	}
	return in
}

// signInCounts varies how often each app signs in (hourly beside weekly)
// yet keeps the total exact: accounts are paired at random, and what one
// gains its partner loses, so each has from 1 to 2×mean−1.
func signInCounts(rng *rand.Rand, n, mean int) []int {
	counts := make([]int, n)
	for i := range counts {
		counts[i] = mean
	}
	pairs := rng.Perm(n)
	for i := 0; i+1 < n; i += 2 {
		k := rng.IntN(mean)
		counts[pairs[i]] += k
		counts[pairs[i+1]] -= k
	}
	return counts
}
