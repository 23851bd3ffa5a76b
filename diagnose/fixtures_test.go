package diagnose

import (
	"slices"
	"testing"
	"time"
)

var asOf = time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)

const (
	acctID     = "a1"
	groupID    = "g-service"
	callerAdm  = RoleGlobalAdmin
	legacySMTP = "Authenticated SMTP"
)

// base is a fully read, unremarkable SMTP account: nothing blocks it.
func base() Evidence {
	return Evidence{
		Now: asOf, Service: ServiceSMTP, UPN: "backup@contoso.com", CallerRoles: []string{callerAdm}, RolesRead: OK(1),
		Account:             OK(Account{ID: acctID, UPN: "backup@contoso.com", DisplayName: "Backup", Enabled: true}),
		PerUserMFA:          OK("disabled"),
		Methods:             OK([]string{"password"}),
		SecurityDefaults:    OK(false),
		Policies:            OK([]CAPolicy{}),
		Membership:          OK(Membership{GroupIDs: []string{groupID}}),
		SignIns:             OK([]SignIn{}),
		SharePointLegacy:    Item[bool]{Status: StatusNotRun},
		AppPasswordsSetting: Item[bool]{Status: StatusNoAPI},
		PasswordCheck:       Item[int]{Status: StatusNotRun},
		SMTPTest:            Item[string]{Status: StatusNotRun},
	}
}

// failures adds failed legacy sign-ins with a code.
func failures(ev Evidence, code int, providers ...string) Evidence {
	ev.SignIns = OK([]SignIn{{Time: asOf.Add(-time.Hour), ClientAppUsed: legacySMTP, ErrorCode: code, MFAProviders: providers}})
	return ev
}

func findingIDs(r Report) []string {
	ids := make([]string, len(r.Findings))
	for i, f := range r.Findings {
		ids[i] = f.ID
	}
	return ids
}

func assertVerdict(t *testing.T, r Report, answer Answer, plan ...StepID) {
	t.Helper()
	if r.AppPasswordCanHelp != answer {
		t.Errorf("answer %q, want %q (cause: %s)", r.AppPasswordCanHelp, answer, r.Cause)
	}
	if plan == nil {
		plan = []StepID{}
	}
	if !slices.Equal(r.Plan, plan) {
		t.Errorf("plan %v, want %v", r.Plan, plan)
	}
	if r.Cause == "" || r.Findings == nil {
		t.Errorf("empty cause or findings: %+v", r)
	}
}
