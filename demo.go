package main

import (
	"context"
	"crypto/tls"
	"fmt"
	"time"

	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/simcloud"
	"github.com/apppass/apppass/smtpauth"
)

// demoFlags choose the simulated tenant.
type demoFlags struct {
	scenario, scenarioFile string
	faults                 []string
}

// load picks the scenario a demo runs; ctx cancels reading a file.
func (f demoFlags) load(ctx context.Context) (*simcloud.Scenario, error) {
	if f.scenarioFile != "" {
		return simcloud.LoadScenarioFile(ctx, f.scenarioFile)
	}
	name := f.scenario
	if name == "" {
		name = "classic"
	}
	return simcloud.LoadScenario(name)
}

// demoCloud is a started simulated cloud and how to talk to it.
type demoCloud struct {
	srv    *simcloud.Server
	config graphclient.Config
	smtp   smtpauth.Config
}

// startDemo starts simcloud and builds the configuration that points the
// real sign-in and Graph code at it. Only configuration values differ from
// a live run.
func startDemo(sc *simcloud.Scenario, faults []string, approveAfter time.Duration) (*demoCloud, error) {
	var parsed []simcloud.Fault
	for _, spec := range faults {
		f, err := simcloud.ParseFault(spec)
		if err != nil {
			return nil, err
		}
		parsed = append(parsed, f)
	}
	srv := simcloud.New(sc, simcloud.Options{ApproveAfter: approveAfter, RetryAfter: 1})
	ep, err := srv.Start()
	if err != nil {
		return nil, fmt.Errorf("starting the simulated cloud: %w", err)
	}
	for _, f := range parsed {
		srv.AddFault(f)
	}
	global := graphclient.Clouds["global"]
	cloud := graphclient.Cloud{
		Name: "demo", Description: "apppass simulated Microsoft cloud (" + sc.Name + ")",
		AuthorityHost: ep.Authority, GraphRoot: ep.GraphRoot, SMTPHost: ep.SMTPAddr,
		// The demo teaches the real portal pages.
		SecurityInfoURL: global.SecurityInfoURL, MFASettingsURL: global.MFASettingsURL,
	}
	return &demoCloud{
		srv: srv,
		// No CachePath: the tokens stay in this run's memory, so demos side
		// by side never share, overwrite or delete each other's sign-ins.
		config: graphclient.Config{Cloud: cloud, Tenant: sc.Tenant.ID, RootCAs: ep.RootCAs,
			Retry: graphclient.DefaultRetry},
		smtp: smtpauth.Config{Addr: ep.SMTPAddr, TLS: &tls.Config{RootCAs: ep.RootCAs, ServerName: "127.0.0.1"}},
	}, nil
}
