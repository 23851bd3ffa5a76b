package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io/fs"
	"os"
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
	cachePath, err := demoCachePath()
	if err != nil {
		srv.Close()
		return nil, err
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
		config: graphclient.Config{Cloud: cloud, Tenant: sc.Tenant.ID, RootCAs: ep.RootCAs, CachePath: cachePath,
			Retry: graphclient.DefaultRetry},
		smtp: smtpauth.Config{Addr: ep.SMTPAddr, TLS: &tls.Config{RootCAs: ep.RootCAs, ServerName: "127.0.0.1"}},
	}, nil
}

// demoCachePath is the demo's own token cache. Every demo run is a new
// simulated cloud, so the previous run's tokens are dropped.
func demoCachePath() (string, error) {
	path, err := graphclient.DefaultCachePath("demo")
	if err != nil {
		return "", err
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("clearing the demo token cache: %w", err)
	}
	return path, nil
}
