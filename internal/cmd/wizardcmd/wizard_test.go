package wizardcmd

import (
	"strings"
	"testing"

	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/internal/cmdutil"
	"github.com/apppass/apppass/internal/cmdutil/cmdtest"
)

func TestBadLiveFlagsAreRefused(t *testing.T) {
	cmdtest.Isolate(t)
	for _, args := range [][]string{{"--cloud", "mars"}, {"--tenant", "not/a/tenant"}, {"--client-id", "x"}, {"--scenario", "classic"}, {"extra"}} {
		code, _, errOut := cmdtest.Run(t, Run, "", args...)
		first, _, _ := strings.Cut(errOut, "\n")
		// One line, and never "apppass: apppass:".
		if code != cmdutil.ExitError || !strings.HasPrefix(first, "apppass: ") || strings.HasPrefix(first, "apppass: apppass") {
			t.Errorf("%v: exit %d, %q", args, code, errOut)
		}
	}
}

// The live wizard signs in like Microsoft's own tools: the public
// authority and Graph Command Line Tools unless told otherwise.
func TestLiveDefaults(t *testing.T) {
	cmdtest.Isolate(t)
	var o Options
	fs := cmdutil.NewFlagSet("")
	o.Live.Register(fs)
	if err := fs.Parse(nil); err != nil {
		t.Fatal(err)
	}
	cfg, err := o.Live.Config()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Cloud.AuthorityHost != graphclient.Clouds["global"].AuthorityHost || cfg.Tenant != "organizations" || cfg.ClientID != graphclient.GraphCommandLineToolsClientID {
		t.Fatalf("config %+v", cfg)
	}
	// With no tenant named the v2 admin-consent page takes organizations:
	// the admin consents for their own tenant.
	if got := consentURL(cfg); !strings.HasPrefix(got, "https://login.microsoftonline.com/organizations/v2.0/adminconsent?") {
		t.Fatalf("consent URL %q for organizations", got)
	}
}
