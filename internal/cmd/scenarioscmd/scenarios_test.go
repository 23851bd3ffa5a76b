package scenarioscmd

import (
	"strings"
	"testing"

	"github.com/apppass/apppass/internal/cmdutil"
	"github.com/apppass/apppass/internal/cmdutil/cmdtest"
)

func TestScenarios(t *testing.T) {
	code, out, _ := cmdtest.Run(t, Run, "")
	if code != cmdutil.ExitOK || !strings.Contains(out, "classic") || !strings.Contains(out, "sharepoint-retired") {
		t.Fatalf("scenarios: %d %s", code, out)
	}
}
