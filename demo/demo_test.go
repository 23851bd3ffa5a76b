package demo

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/internal/testkit"
	"github.com/apppass/apppass/smtpauth"
)

func TestLoad(t *testing.T) {
	sc, err := Load(context.Background(), "", "")
	if err != nil || sc.Name != DefaultScenario {
		t.Fatalf("no name: %v, %v", sc, err)
	}
	if sc, err := Load(context.Background(), "healthy", ""); err != nil || sc.Name != "healthy" {
		t.Fatalf("by name: %v, %v", sc, err)
	}
	if _, err := Load(context.Background(), "healthy", "/nonexistent.json"); err == nil {
		t.Fatal("the file did not win over the name")
	}
	if _, err := ParseFaults([]string{"throttle:me:2", "earthquake"}); err == nil {
		t.Fatal("an unknown fault was accepted")
	}
}

// A started cloud hands back a client signed in as the scenario's admin,
// an SMTP configuration the simulator answers, and the faults asked for.
func TestStartSignsTheAdminIn(t *testing.T) {
	sc, err := Load(context.Background(), "classic", "")
	if err != nil {
		t.Fatal(err)
	}
	faults, err := ParseFaults([]string{"missing-role:signIns"})
	if err != nil {
		t.Fatal(err)
	}
	cloud, err := Start(sc, Options{Faults: faults})
	if err != nil {
		t.Fatal(err)
	}
	defer cloud.Close()
	ctx := testkit.Context(t)
	client, err := cloud.Client(ctx)
	if err != nil {
		t.Fatal(err)
	}
	me, err := client.Me(ctx)
	if err != nil || me.UserPrincipalName != cloud.Admin || cloud.Account != sc.Account {
		t.Fatalf("Me = %+v, %v; admin %s", me, err, cloud.Admin)
	}
	if _, err := client.SignIns(ctx, cloud.Account, time.Time{}); !graphclient.IsForbidden(err) {
		t.Fatalf("the fault was not added: %v", err)
	}
	if reply, err := smtpauth.Test(ctx, cloud.SMTP, cloud.Account, "wrong"); err != nil || !strings.HasPrefix(reply, "535") {
		t.Fatalf("SMTP AUTH: %q, %v", reply, err)
	}
	if cloud.Config.CachePath != "" || cloud.Config.Tenant != sc.Tenant.ID {
		t.Fatalf("config %+v", cloud.Config)
	}
	if cloud.Password(strings.ToUpper(cloud.Admin)) != "Admin-Sim-2026!" || cloud.Password("nobody@contoso.onmicrosoft.com") != "" {
		t.Fatal("Password does not read the scenario")
	}
}

// Another process trusts the simulator with CertificatePEM alone, on the
// port asked for.
func TestStartOnAPortWithACertificate(t *testing.T) {
	sc, err := Load(context.Background(), "classic", "")
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cloud, err := Start(sc, Options{Port: port})
	if err != nil {
		t.Fatal(err)
	}
	defer cloud.Close()
	if want := fmt.Sprintf("https://127.0.0.1:%d", port); cloud.Config.Cloud.AuthorityHost != want {
		t.Fatalf("authority %s, want %s", cloud.Config.Cloud.AuthorityHost, want)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(cloud.CertificatePEM) {
		t.Fatalf("not a PEM certificate: %q", cloud.CertificatePEM)
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	resp, err := client.Get(cloud.Config.Cloud.AuthorityHost + "/" + sc.Tenant.Domain + "/v2.0/.well-known/openid-configuration")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
}
