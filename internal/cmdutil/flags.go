package cmdutil

import (
	"flag"
	"fmt"

	"github.com/apppass/apppass/demo"
	"github.com/apppass/apppass/graphclient"
)

// LiveFlags choose the real cloud, tenant and client: --cloud, --tenant and
// --client-id (a sign-in method such as --device-code belongs here too).
type LiveFlags struct {
	Cloud, Tenant, ClientID string
	// OAuthClientID is --oauth-client-id: the customer's own app
	// registration for the OAuth SMTP test (a demo accepts it too).
	OAuthClientID string
	// ExchangeClientID is --exchange-client-id: the customer's own app
	// registration (a public client with Exchange's delegated permission)
	// for reading Exchange's SMTP AUTH switches; "" uses the --client-id.
	ExchangeClientID string
}

// liveFlagNames are refused by a demo run, which would ignore them.
var liveFlagNames = []string{"cloud", "tenant", "client-id"}

// Register adds the flags to fs.
func (f *LiveFlags) Register(fs *flag.FlagSet) {
	fs.StringVar(&f.Cloud, "cloud", "global", "the Microsoft cloud `CLOUD`: global, gcc-high, dod or china")
	fs.StringVar(&f.Tenant, "tenant", "organizations", "the `TENANT`: its id or a verified domain")
	fs.StringVar(&f.ClientID, "client-id", graphclient.GraphCommandLineToolsClientID, "the `ID` of the public client application to sign in with")
	fs.StringVar(&f.OAuthClientID, "oauth-client-id", "", "the `ID` of your own app registration (a public client with delegated SMTP.Send) for the OAuth SMTP test; default: the --client-id")
}

// RegisterExchange adds --exchange-client-id to fs, for the commands that
// read Exchange's switches and wire it (UseExchangeApp): diagnose and scan.
func (f *LiveFlags) RegisterExchange(fs *flag.FlagSet) {
	fs.StringVar(&f.ExchangeClientID, "exchange-client-id", "", "the `ID` of your own app registration (a public client with Exchange Online's delegated admin permission) for reading Exchange's SMTP AUTH switches; default: the --client-id")
}

// ApplyOAuth puts --oauth-client-id into cfg, checked, and checks
// --exchange-client-id (UseExchangeApp uses it after the sign-in).
func (f LiveFlags) ApplyOAuth(cfg graphclient.Config) (graphclient.Config, error) {
	if f.ExchangeClientID != "" {
		if err := graphclient.ValidateClientID(f.ExchangeClientID); err != nil {
			return cfg, fmt.Errorf("--exchange-client-id: %w", err)
		}
	}
	if f.OAuthClientID == "" {
		return cfg, nil
	}
	if err := graphclient.ValidateClientID(f.OAuthClientID); err != nil {
		return cfg, fmt.Errorf("--oauth-client-id: %w", err)
	}
	cfg.OAuthClientID = f.OAuthClientID
	return cfg, nil
}

// Config builds the live configuration, with the token cache of that cloud.
func (f LiveFlags) Config() (graphclient.Config, error) {
	cloud, err := graphclient.CloudByName(f.Cloud)
	if err != nil {
		return graphclient.Config{}, err
	}
	if err := graphclient.ValidateTenant(f.Tenant); err != nil {
		return graphclient.Config{}, err
	}
	if err := graphclient.ValidateClientID(f.ClientID); err != nil {
		return graphclient.Config{}, err
	}
	path, err := graphclient.DefaultCachePath(cloud.Name)
	if err != nil {
		return graphclient.Config{}, err
	}
	return f.ApplyOAuth(graphclient.Config{Cloud: cloud, Tenant: f.Tenant, ClientID: f.ClientID, CachePath: path, Retry: graphclient.DefaultRetry})
}

// RegisterRefused adds the live flags to a command that only runs the
// demo, without usage (help does not list them): given one, the person
// reads RefuseLiveFlags' explanation, not "flag provided but not defined".
func RegisterRefused(fs *flag.FlagSet) {
	for _, name := range liveFlagNames {
		fs.String(name, "", "")
	}
}

// RefuseLiveFlags refuses live-cloud flags given to a demo run, which would
// otherwise be silently ignored.
func RefuseLiveFlags(fs *flag.FlagSet) error {
	var err error
	fs.Visit(func(f *flag.Flag) {
		for _, name := range liveFlagNames {
			if err == nil && f.Name == name {
				err = fmt.Errorf("%s--%s does not apply to the demo, which runs against the built-in simulated cloud; drop --%s, or drop --demo to use a real tenant", prefix(fs), name, name)
			}
		}
	})
	return err
}

// DemoFlags choose the simulated tenant: --scenario, --scenario-file and
// --fault (repeatable).
type DemoFlags struct {
	Scenario, ScenarioFile string
	Faults                 []string
}

// Register adds the flags to fs.
func (f *DemoFlags) Register(fs *flag.FlagSet) {
	fs.StringVar(&f.Scenario, "scenario", "", "start the demo scenario `NAME` (see apppass scenarios)")
	fs.StringVar(&f.ScenarioFile, "scenario-file", "", "start the demo scenario in the file at `PATH` (see docs/scenarios.md)")
	fs.Func("fault", "make the simulated cloud misbehave as `SPEC` says: KIND[:ENDPOINT[:TIMES]] (repeatable)", func(s string) error {
		f.Faults = append(f.Faults, s)
		return nil
	})
}

// Given says whether any demo flag was given.
func (f DemoFlags) Given() bool {
	return f.Scenario != "" || f.ScenarioFile != "" || len(f.Faults) > 0
}

// CheckFaults refuses a malformed --fault before anything starts.
func (f DemoFlags) CheckFaults() error {
	_, err := demo.ParseFaults(f.Faults)
	return err
}
