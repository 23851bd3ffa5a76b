package simcloud

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"path"
	"slices"
	"sort"
	"strings"
	"time"
)

//go:embed scenarios/*.json
var embedded embed.FS

// services are the values of a scenario's "service" (diagnose's names).
var services = []string{"smtp", "sharepoint", "exchange", "other"}

// Scenario is one simulated tenant: who exists, how they are protected and
// what the failing app has been doing. The format is documented in
// docs/scenarios.md.
type Scenario struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	// AsOf is the simulated "today" (YYYY-MM-DD); the clock starts there.
	AsOf string `json:"asOf"`
	// Admin is the UPN that signs in with the device code.
	Admin string `json:"admin"`
	// Account is the UPN whose app gets 401.
	Account string `json:"account"`
	// Service is the service the failing app uses (smtp, sharepoint, exchange, other).
	Service string `json:"service"`

	Tenant   Tenant     `json:"tenant"`
	Users    []User     `json:"users"`
	Groups   []Group    `json:"groups"`
	Policies []CAPolicy `json:"conditionalAccessPolicies"`
	// NamedLocations are IP named locations policies may name.
	NamedLocations []NamedLocation `json:"namedLocations,omitempty"`
	// AppIPAddress is where the failing app and the account's owner sign in
	// from (default 203.0.113.24, outside every range unless a scenario says so).
	AppIPAddress string `json:"appIpAddress,omitempty"`
	// AppLocation is where the sign-in log places that address (default
	// Redmond, Washington, US), in Graph's signInLocation shape.
	AppLocation *SignInLocation `json:"appLocation,omitempty"`
	SignInSeed  []SeedSignIn    `json:"failedSignIns"`
	Faults      []Fault         `json:"faults,omitempty"`
	// Fleet generates many accounts and their legacy sign-ins (fleet.go).
	Fleet *Fleet `json:"fleet,omitempty"`
	// LegacySignInsLoggedAs is the sign-in log tab legacy (Basic-auth) rows
	// land on: interactive, nonInteractive, or both (the default: rows
	// alternate), since Microsoft does not document which.
	LegacySignInsLoggedAs string `json:"legacySignInsLoggedAs,omitempty"`
	// App runs the failing app on a schedule (app.go).
	App *App `json:"app,omitempty"`
	// SignInLogDelayMinutes is how long a sign-in takes to appear in the
	// log. Microsoft gives no figure apppass's facts record (see
	// docs/scenarios.md), so it is the scenario's choice; 0 shows rows at once.
	SignInLogDelayMinutes int `json:"signInLogDelayMinutes,omitempty"`

	asOf          time.Time
	tenantCreated time.Time
	fleetApps     []fleetApp // what each generated account's app does
}

// The tabs of the sign-in log legacy rows may land on.
const (
	LoggedInteractive    = "interactive"
	LoggedNonInteractive = "nonInteractive"
	LoggedBoth           = "both"
)

// SMTPAuthDefaultOffSince is the first day of the tenants whose SMTP AUTH
// is disabled by default: "This is the default value for organizations
// created after January 2020" (Set-TransportConfig).
var SMTPAuthDefaultOffSince = time.Date(2020, 2, 1, 0, 0, 0, 0, time.UTC)

// defaultTenantCreated is a scenario's tenant's creation time when it does
// not say: an organisation older than SMTP AUTH's default-off for new tenants.
var defaultTenantCreated = time.Date(2016, 3, 1, 9, 0, 0, 0, time.UTC)

// TenantCreated is the tenant's creation time (2016-03-01 when the scenario does not say).
func (sc *Scenario) TenantCreated() time.Time { return sc.tenantCreated }

// Tenant holds the organisation-wide settings of a scenario.
type Tenant struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName"`
	Domain      string `json:"domain"`
	Federated   bool   `json:"federated"`
	// EntraP1 is whether the tenant has Entra ID P1 (sign-in logs, Conditional Access).
	EntraP1          bool `json:"entraP1"`
	SecurityDefaults bool `json:"securityDefaults"`
	// AllowAppPasswords is the legacy MFA service setting (no API reads it).
	AllowAppPasswords bool `json:"allowAppPasswords"`
	// CreatedDateTime is when the tenant was created (RFC 3339 or a date);
	// Graph's organization shows it. Organisations created after January
	// 2020 have SMTP AUTH disabled by default.
	CreatedDateTime string `json:"createdDateTime,omitempty"`
	// SMTPAuth is "enabled", "disabled" (the tenant's SMTP AUTH switch off),
	// "basic-off" (Basic auth for SMTP off: the end-of-2026 default) or
	// "removed" (Basic auth refused for client submission, 550 5.7.30).
	// Empty is the default for the tenant's age: disabled when created
	// after January 2020, else enabled.
	SMTPAuth string `json:"smtpAuth"`
	// SMTPOAuthNeedsOwnApp refuses a token for Exchange's SMTP.Send asked
	// by Microsoft Graph Command Line Tools with AADSTS65002, as Entra may
	// refuse a first-party client a first-party resource it is not
	// preauthorized for; the customer's own app registration gets one.
	SMTPOAuthNeedsOwnApp bool `json:"smtpOAuthNeedsOwnApp,omitempty"`
	SharePointLegacyAuth bool `json:"sharePointLegacyAuth"`
	// AuthenticationPolicies are Exchange's authentication policies
	// (Get-AuthenticationPolicy); a user's policy with allowBasicAuthSmtp
	// false refuses Basic auth for SMTP AUTH.
	AuthenticationPolicies []AuthenticationPolicy `json:"authenticationPolicies,omitempty"`
	// ConsentedScopes limits what the wizard's client may be granted; empty
	// means every scope apppass asks for has been consented.
	ConsentedScopes []string `json:"consentedScopes,omitempty"`
}

// AuthenticationPolicy is one Exchange authentication policy: its name and
// whether it allows Basic auth for SMTP AUTH.
type AuthenticationPolicy struct {
	Name               string `json:"name"`
	AllowBasicAuthSmtp bool   `json:"allowBasicAuthSmtp"` //lint:ignore ST1003 Exchange's own name (Set-AuthenticationPolicy -AllowBasicAuthSmtp)
}

// mailboxSMTPSwitch is the mailbox's SmtpClientAuthenticationDisabled:
// true, false or nil ($null, the tenant's value applies).
func (u User) mailboxSMTPSwitch() *bool {
	if u.SMTPAuthDisabled {
		on := true
		return &on
	}
	return u.SMTPClientAuthenticationDisabled
}

// User is one account in the simulated directory.
type User struct {
	ID                string   `json:"id,omitempty"`
	UserPrincipalName string   `json:"userPrincipalName"`
	DisplayName       string   `json:"displayName"`
	Password          string   `json:"password"`
	AccountEnabled    *bool    `json:"accountEnabled,omitempty"`
	UserType          string   `json:"userType,omitempty"`
	OnPremisesSync    bool     `json:"onPremisesSyncEnabled,omitempty"`
	PerUserMFAState   string   `json:"perUserMfaState,omitempty"`
	Methods           []string `json:"methods,omitempty"`
	Roles             []string `json:"roles,omitempty"`
	Groups            []string `json:"groups,omitempty"`
	LockedOut         bool     `json:"lockedOut,omitempty"`
	PasswordExpired   bool     `json:"passwordExpired,omitempty"`
	// SMTPAuthDisabled is the per-mailbox "Authenticated SMTP" switch turned off.
	SMTPAuthDisabled bool `json:"smtpAuthDisabled,omitempty"`
	// SMTPClientAuthenticationDisabled is the mailbox's switch as
	// Set-CASMailbox sets it: true off, false on (overriding a tenant that
	// has it off), absent ($null) inheriting the tenant's. smtpAuthDisabled
	// true is the same as true here.
	SMTPClientAuthenticationDisabled *bool `json:"smtpClientAuthenticationDisabled,omitempty"`
	// AuthenticationPolicy names the Exchange authentication policy assigned
	// to the account (one of tenant.authenticationPolicies); empty: none.
	AuthenticationPolicy string `json:"authenticationPolicy,omitempty"`
	// AppPasswordOptionHidden plays the KB's second article: per-user MFA
	// reads Enabled, yet Security info offers no App password until per-user
	// MFA is disabled and enabled again.
	AppPasswordOptionHidden bool `json:"appPasswordOptionHidden,omitempty"`
}

// Group is a security group that Conditional Access policies may target.
type Group struct {
	ID          string `json:"id,omitempty"`
	DisplayName string `json:"displayName"`
}

// SeedSignIn is a failed sign-in already in the log when the scenario starts.
type SeedSignIn struct {
	User          string `json:"user"`
	ClientAppUsed string `json:"clientAppUsed"`
	AppName       string `json:"appDisplayName"`
	ErrorCode     int    `json:"errorCode"`
	MinutesAgo    int    `json:"minutesAgo"`
	// CAStatus and Applied, in Graph's shape, override what simcloud's own
	// evaluation of the policies would record.
	CAStatus string          `json:"conditionalAccessStatus,omitempty"`
	Applied  []AppliedPolicy `json:"appliedConditionalAccessPolicies,omitempty"`
}

// AppliedPolicy is Graph's appliedConditionalAccessPolicy.
type AppliedPolicy struct {
	ID                    string   `json:"id,omitempty"`
	DisplayName           string   `json:"displayName"`
	Result                string   `json:"result"`
	EnforcedGrantControls []string `json:"enforcedGrantControls"`
}

// LoadScenario returns the shipped scenario with that name.
func LoadScenario(name string) (*Scenario, error) {
	data, err := embedded.ReadFile(path.Join("scenarios", name+".json"))
	if err != nil {
		return nil, fmt.Errorf("unknown scenario %q: run 'apppass scenarios' to list them", name)
	}
	return ParseScenario(data)
}

// MaxScenarioFile is the largest scenario file LoadScenarioFile reads; the
// shipped ones are a few kilobytes.
const MaxScenarioFile = 4 << 20

// scenarioReadTimeout bounds reading a scenario file (a stalled network
// share must not hang the demo).
const scenarioReadTimeout = 10 * time.Second

// LoadScenarioFile reads a scenario from disk, for trainers' own scenarios.
// Only a regular file of at most MaxScenarioFile bytes is read, within a
// time limit, and cancelling ctx (ctrl+c) stops the read.
func LoadScenarioFile(ctx context.Context, file string) (*Scenario, error) {
	data, err := readScenarioFile(ctx, file)
	if err != nil {
		return nil, fmt.Errorf("cannot read scenario file: %w", err)
	}
	sc, err := ParseScenario(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return sc, nil
}

func readScenarioFile(ctx context.Context, file string) ([]byte, error) {
	// Stat before opening: opening a FIFO would block until a writer came.
	if err := regularFile(os.Stat(file)); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if err := regularFile(f.Stat()); err != nil { // it may have been swapped since
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	ctx, cancel := context.WithTimeout(ctx, scenarioReadTimeout)
	defer cancel()
	type read struct {
		data []byte
		err  error
	}
	done := make(chan read, 1)
	go func() {
		data, err := io.ReadAll(io.LimitReader(f, MaxScenarioFile+1))
		done <- read{data, err}
	}()
	select {
	case r := <-done:
		if r.err == nil && len(r.data) > MaxScenarioFile {
			r.err = fmt.Errorf("%s: larger than %d MB", file, MaxScenarioFile>>20)
		}
		return r.data, r.err
	case <-ctx.Done():
		f.Close() // unblocks the read where the file system allows
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, fmt.Errorf("%s: not read within %v", file, scenarioReadTimeout)
		}
		return nil, ctx.Err()
	}
}

// regularFile refuses devices, FIFOs, sockets, folders and oversized files.
func regularFile(info fs.FileInfo, err error) error {
	switch {
	case err != nil:
		return err
	case !info.Mode().IsRegular():
		return fmt.Errorf("not a regular file (%s)", info.Mode().Type())
	case info.Size() > MaxScenarioFile:
		return fmt.Errorf("larger than %d MB", MaxScenarioFile>>20)
	}
	return nil
}

// Scenarios returns every shipped scenario, sorted by name.
func Scenarios() ([]*Scenario, error) {
	entries, err := fs.ReadDir(embedded, "scenarios")
	if err != nil {
		return nil, err
	}
	var out []*Scenario
	for _, e := range entries {
		sc, err := LoadScenario(strings.TrimSuffix(e.Name(), ".json"))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", e.Name(), err)
		}
		out = append(out, sc)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// ParseScenario decodes and validates a scenario, filling in defaults.
// Unknown fields are refused so that a typo does not silently change a demo.
func ParseScenario(data []byte) (*Scenario, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var sc Scenario
	if err := dec.Decode(&sc); err != nil {
		return nil, fmt.Errorf("invalid scenario: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("invalid scenario: data after the scenario's closing brace")
	}
	if err := sc.normalize(); err != nil {
		return nil, fmt.Errorf("invalid scenario %q: %w", sc.Name, err)
	}
	return &sc, nil
}

// AsOfTime is the simulated date the scenario starts at (UTC midnight + 9h).
func (sc *Scenario) AsOfTime() time.Time { return sc.asOf }

func (sc *Scenario) normalize() error {
	if sc.Name == "" {
		return fmt.Errorf("name is required")
	}
	t, err := time.Parse("2006-01-02", sc.AsOf)
	if err != nil {
		return fmt.Errorf("asOf must be a date like 2026-11-21: %w", err)
	}
	// Nine in the morning: a working day has begun.
	sc.asOf = t.Add(9 * time.Hour)
	if sc.Tenant.Domain == "" {
		return fmt.Errorf("tenant.domain is required")
	}
	if sc.Service != "" && !slices.Contains(services, sc.Service) {
		return fmt.Errorf("service must be %s, not %q", strings.Join(services, ", "), sc.Service)
	}
	if sc.Tenant.ID == "" {
		sc.Tenant.ID = stableID("tenant:" + sc.Tenant.Domain)
	}
	if sc.Tenant.DisplayName == "" {
		sc.Tenant.DisplayName = sc.Tenant.Domain
	}
	if c := sc.Tenant.CreatedDateTime; c != "" {
		at, err := time.Parse(time.RFC3339, c)
		if err != nil {
			at, err = time.Parse("2006-01-02", c)
		}
		if err != nil {
			return fmt.Errorf("tenant.createdDateTime must be a date like 2021-03-15 or an RFC 3339 time, not %q", c)
		}
		if at.After(sc.asOf) {
			return fmt.Errorf("tenant.createdDateTime %s is after the scenario's asOf %s", c, sc.AsOf)
		}
		sc.tenantCreated = at.UTC()
	} else {
		sc.tenantCreated = defaultTenantCreated
	}
	switch sc.LegacySignInsLoggedAs {
	case "":
		sc.LegacySignInsLoggedAs = LoggedBoth
	case LoggedInteractive, LoggedNonInteractive, LoggedBoth:
	default:
		return fmt.Errorf("legacySignInsLoggedAs must be interactive, nonInteractive or both, not %q", sc.LegacySignInsLoggedAs)
	}
	switch sc.Tenant.SMTPAuth {
	case "":
		sc.Tenant.SMTPAuth = SMTPAuthEnabled
		if !sc.tenantCreated.Before(SMTPAuthDefaultOffSince) {
			sc.Tenant.SMTPAuth = SMTPAuthDisabled // the default for organisations created after January 2020
		}
	case SMTPAuthEnabled, SMTPAuthDisabled, SMTPAuthBasicOff, SMTPAuthRemoved:
	default:
		return fmt.Errorf("tenant.smtpAuth must be enabled, disabled, basic-off or removed, not %q", sc.Tenant.SMTPAuth)
	}
	if sc.AppIPAddress == "" {
		sc.AppIPAddress = defaultAppIP
	}
	if sc.AppLocation == nil {
		sc.AppLocation = &SignInLocation{City: "Redmond", State: "Washington", CountryOrRegion: "US"}
	}
	if net.ParseIP(sc.AppIPAddress) == nil {
		return fmt.Errorf("appIpAddress %q is not an IP address", sc.AppIPAddress)
	}
	for i := range sc.NamedLocations {
		l := &sc.NamedLocations[i]
		if l.ID == "" {
			l.ID = stableID("location:" + l.DisplayName)
		}
		for _, r := range l.IPRanges {
			if _, _, err := net.ParseCIDR(r); err != nil {
				return fmt.Errorf("named location %q: ipRanges must be CIDR ranges like 198.51.100.0/24, not %q", l.DisplayName, r)
			}
		}
	}
	for i := range sc.Groups {
		g := &sc.Groups[i]
		if g.ID == "" {
			g.ID = stableID("group:" + g.DisplayName)
		}
	}
	if sc.Fleet != nil {
		if err := sc.Fleet.validate(sc); err != nil {
			return fmt.Errorf("fleet: %w", err)
		}
		sc.expandFleet()
	}
	seen := map[string]bool{}
	for i := range sc.Users {
		if err := sc.normalizeUser(&sc.Users[i]); err != nil {
			return err
		}
		key := strings.ToLower(sc.Users[i].UserPrincipalName)
		if seen[key] {
			return fmt.Errorf("user %s appears twice", key)
		}
		seen[key] = true
		if err := sc.checkExchangeSettings(sc.Users[i]); err != nil {
			return err
		}
	}
	for _, upn := range []string{sc.Admin, sc.Account} {
		if !seen[strings.ToLower(upn)] {
			return fmt.Errorf("admin and account must name users of the scenario; %q is not one", upn)
		}
	}
	for i := range sc.Policies {
		if err := sc.normalizePolicy(&sc.Policies[i]); err != nil {
			return err
		}
	}
	for i := range sc.SignInSeed {
		s := &sc.SignInSeed[i]
		if !seen[strings.ToLower(s.User)] {
			return fmt.Errorf("failedSignIns names unknown user %q", s.User)
		}
		if s.MinutesAgo < 0 || s.ErrorCode < 0 {
			return fmt.Errorf("failedSignIns[%d]: minutesAgo and errorCode must not be negative", i)
		}
		if firstFactorFailure(s.ErrorCode) && (len(s.Applied) > 0 || s.CAStatus != "" && s.CAStatus != "notApplied") {
			return fmt.Errorf("failedSignIns[%d]: error %d fails the first factor, before Conditional Access runs: such a row is notApplied with no applied policies", i, s.ErrorCode)
		}
		for j := range s.Applied {
			a := &s.Applied[j]
			if a.ID == "" {
				a.ID = stableID("policy:" + a.DisplayName)
			}
			if a.EnforcedGrantControls == nil {
				a.EnforcedGrantControls = []string{}
			}
		}
	}
	if sc.App != nil {
		if err := sc.App.validate(); err != nil {
			return err
		}
	}
	if sc.SignInLogDelayMinutes < 0 || sc.SignInLogDelayMinutes > 24*60 {
		return fmt.Errorf("signInLogDelayMinutes must be 0 to 1440, not %d", sc.SignInLogDelayMinutes)
	}
	for i, f := range sc.Faults {
		if err := f.validate(); err != nil {
			return fmt.Errorf("faults[%d]: %w", i, err)
		}
	}
	return nil
}

func (sc *Scenario) normalizeUser(u *User) error {
	if !strings.Contains(u.UserPrincipalName, "@") {
		return fmt.Errorf("user %q: userPrincipalName must look like name@domain", u.UserPrincipalName)
	}
	if u.ID == "" {
		u.ID = stableID("user:" + strings.ToLower(u.UserPrincipalName))
	}
	if u.DisplayName == "" {
		u.DisplayName = u.UserPrincipalName
	}
	if u.AccountEnabled == nil {
		enabled := true
		u.AccountEnabled = &enabled
	}
	switch u.UserType {
	case "":
		u.UserType = "Member"
	case "Member", "Guest":
	default:
		return fmt.Errorf("user %s: userType must be Member or Guest, not %q", u.UserPrincipalName, u.UserType)
	}
	switch u.PerUserMFAState {
	case "":
		u.PerUserMFAState = MFADisabled
	case MFADisabled, MFAEnabled, MFAEnforced:
	default:
		return fmt.Errorf("user %s: perUserMfaState must be disabled, enabled or enforced", u.UserPrincipalName)
	}
	for _, m := range u.Methods {
		if _, ok := methodTypes[m]; !ok {
			return fmt.Errorf("user %s: unknown method %q (known: %s)", u.UserPrincipalName, m, strings.Join(methodNames(), ", "))
		}
	}
	for _, r := range u.Roles {
		if _, ok := roleTemplateIDs[r]; !ok {
			return fmt.Errorf("user %s: unknown role %q", u.UserPrincipalName, r)
		}
	}
	for _, g := range u.Groups {
		if sc.groupID(g) == "" {
			return fmt.Errorf("user %s: unknown group %q", u.UserPrincipalName, g)
		}
	}
	return nil
}

func (sc *Scenario) groupID(nameOrID string) string {
	for _, g := range sc.Groups {
		if g.ID == nameOrID || strings.EqualFold(g.DisplayName, nameOrID) {
			return g.ID
		}
	}
	return ""
}

func (sc *Scenario) userID(upnOrID string) string {
	for _, u := range sc.Users {
		if u.ID == upnOrID || strings.EqualFold(u.UserPrincipalName, upnOrID) {
			return u.ID
		}
	}
	return ""
}

// checkExchangeSettings refuses a user's Exchange settings that contradict
// each other or name an authentication policy the tenant lacks.
func (sc *Scenario) checkExchangeSettings(u User) error {
	if u.SMTPAuthDisabled && u.SMTPClientAuthenticationDisabled != nil && !*u.SMTPClientAuthenticationDisabled {
		return fmt.Errorf("user %s: smtpAuthDisabled true contradicts smtpClientAuthenticationDisabled false", u.UserPrincipalName)
	}
	if u.AuthenticationPolicy == "" {
		return nil
	}
	if _, ok := sc.authenticationPolicy(u.AuthenticationPolicy); !ok {
		return fmt.Errorf("user %s: authenticationPolicy %q is not one of tenant.authenticationPolicies", u.UserPrincipalName, u.AuthenticationPolicy)
	}
	return nil
}

// authenticationPolicy finds a tenant authentication policy by name.
func (sc *Scenario) authenticationPolicy(name string) (AuthenticationPolicy, bool) {
	for _, p := range sc.Tenant.AuthenticationPolicies {
		if strings.EqualFold(p.Name, name) {
			return p, true
		}
	}
	return AuthenticationPolicy{}, false
}
