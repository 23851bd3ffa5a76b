// Package simcloudcmd is `apppass simcloud`: the simulated Microsoft cloud
// alone, for clients apppass did not write (MSAL for other languages, an
// SMTP client, curl). It prints one JSON line saying where the cloud is and
// who can sign in, then serves until it is stopped.
package simcloudcmd

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/apppass/apppass/demo"
	"github.com/apppass/apppass/internal/cmdutil"
	"github.com/apppass/apppass/termsafe"
)

// Usage are the command's usage lines.
const Usage = `  apppass simcloud [--scenario NAME | --scenario-file PATH] [--fault SPEC]... [--port N]
                             the simulated cloud alone, for other clients: one JSON line
                             on stdout says where it is and who signs in (made-up people
                             of a made-up tenant); serves until ctrl+c or SIGTERM (exit 0)
`

// description is the line on stdout: what another client needs.
type description struct {
	// Authority is the authority host; a client adds /TENANT (the
	// tenant's id or domain, or organizations).
	Authority string `json:"authority"`
	GraphRoot string `json:"graphRoot"`
	// ExchangeRoot serves Exchange Online's admin endpoint,
	// /adminapi/beta/{tenantId}/InvokeCommand (docs/scenarios.md).
	ExchangeRoot string `json:"exchangeRoot"`
	SMTP         string `json:"smtp"`
	Tenant       tenant `json:"tenant"`
	// CACertificate is the path of the PEM certificate to trust.
	CACertificate string              `json:"caCertificate"`
	Identities    map[string]identity `json:"identities"`
	Scenario      string              `json:"scenario"`
	AsOf          string              `json:"asOf"`
}

type tenant struct {
	ID     string `json:"id"`
	Domain string `json:"domain"`
}

// identity is a simulated person's sign-in. The passwords are the
// scenario's own, of a tenant that does not exist: printing them is fine.
type identity struct {
	UPN      string `json:"upn"`
	Password string `json:"password"`
}

// Run is `apppass simcloud`.
func Run(ctx context.Context, f *cmdutil.Factory, args []string) error {
	var flags cmdutil.DemoFlags
	fs := cmdutil.NewFlagSet("simcloud")
	flags.Register(fs)
	port := fs.Int("port", 0, "serve HTTPS (Entra and Graph) on 127.0.0.1:`N` (0: a free port; SMTP always takes a free port)")
	if err := cmdutil.Parse(fs, Usage, args, f.IO.Out); err != nil {
		return err
	}
	if *port < 0 || *port > 65535 {
		return fmt.Errorf("simcloud: --port must be from 1 to 65535, or 0 for a free port, not %d", *port)
	}
	faults, err := demo.ParseFaults(flags.Faults)
	if err != nil {
		return err
	}
	sc, err := demo.Load(ctx, flags.Scenario, flags.ScenarioFile)
	if err != nil {
		return err
	}
	// SIGTERM is how scripts and service managers stop a server, SIGHUP
	// how a closed terminal does: each removes the certificate on the way out.
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	cloud, err := demo.Start(sc, demo.Options{Faults: faults, Port: *port, RetryAfter: 1, SignInPage: true})
	if err != nil {
		return err
	}
	defer cloud.Close()
	certPath, err := writeCertificate(cloud.CertificatePEM)
	if err != nil {
		return err
	}
	defer os.Remove(certPath)

	line, err := json.Marshal(description{
		Authority: cloud.Config.Cloud.AuthorityHost, GraphRoot: cloud.Config.Cloud.GraphRoot,
		ExchangeRoot: cloud.Config.Cloud.ExchangeRoot, SMTP: cloud.SMTP.Addr,
		Tenant:        tenant{ID: sc.Tenant.ID, Domain: sc.Tenant.Domain},
		CACertificate: certPath,
		Identities: map[string]identity{
			"admin":   {UPN: cloud.Admin, Password: cloud.Password(cloud.Admin)},
			"account": {UPN: cloud.Account, Password: cloud.Password(cloud.Account)},
		},
		Scenario: sc.Name, AsOf: sc.AsOf,
	})
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintf(f.IO.Out, "%s\n", line); err != nil {
		return err
	}
	host := strings.TrimPrefix(cloud.Config.Cloud.AuthorityHost, "https://")
	fmt.Fprintf(f.IO.ErrOut, `apppass simcloud: scenario %s (as of %s), tenant %s
  authority  %s/%s   (MSAL: knownAuthorities %s)
  graph      %s/v1.0 and /beta
  smtp       %s   (STARTTLS, then AUTH LOGIN or PLAIN)
  trust      %s   (removed when this stops)
  sign in    device codes: enter the code at %s/devicelogin; the browser
             sign-in (code + PKCE, loopback redirect) asks for a name and password
The people, passwords and tenant are simulated. Stop with ctrl+c.
`, termsafe.Clean(sc.Name), termsafe.Clean(sc.AsOf), termsafe.Clean(sc.Tenant.Domain), cloud.Config.Cloud.AuthorityHost, sc.Tenant.ID, host,
		cloud.Config.Cloud.GraphRoot, cloud.SMTP.Addr, certPath, cloud.Config.Cloud.AuthorityHost)
	<-ctx.Done()
	fmt.Fprintln(f.IO.ErrOut, "apppass simcloud: stopped")
	return nil // stopping is how a server ends, not a cancellation
}

// writeCertificate writes the simulator's certificate to a new file only
// this user can read, for clients such as Node (NODE_EXTRA_CA_CERTS) or curl
// (--cacert).
func writeCertificate(pem []byte) (string, error) {
	file, err := os.CreateTemp("", "apppass-simcloud-*.pem") // mode 0600
	if err != nil {
		return "", fmt.Errorf("writing the certificate: %w", err)
	}
	if _, err := file.Write(pem); err != nil {
		file.Close()
		os.Remove(file.Name())
		return "", fmt.Errorf("writing the certificate: %w", err)
	}
	if err := file.Close(); err != nil {
		os.Remove(file.Name())
		return "", fmt.Errorf("writing the certificate: %w", err)
	}
	return file.Name(), nil
}
