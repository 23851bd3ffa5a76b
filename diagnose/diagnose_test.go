package diagnose

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"
)

var appPasswordPlan = []StepID{StepAllowAppPasswords, StepCreateAppPassword, StepTestAppPassword}

// TestEveryErrorCode feeds each code from the app's legacy sign-ins, its
// pasted error and the password check (a modern sign-in) to an account whose
// per-user MFA is disabled. Account and tenant facts count from any source;
// what a policy demanded counts only from the app's own sign-ins.
func TestEveryErrorCode(t *testing.T) {
	modern := []StepID{StepModernAuth}
	admin := []StepID{StepAskAdmin}
	type want struct {
		answer Answer
		plan   []StepID
	}
	nothing := want{AnswerNo, nil}
	cases := []struct {
		code          int
		app, checkPwd want
	}{
		// MFA demanded of legacy sign-ins while per-user MFA is disabled: the evidence disagrees.
		{50076, want{AnswerUnknown, nil}, nothing},
		{50079, want{AnswerUnknown, nil}, nothing},
		{50072, want{AnswerUnknown, nil}, nothing},
		{50074, want{AnswerUnknown, nil}, nothing},
		{500121, want{AnswerUnknown, nil}, nothing},
		{53003, want{AnswerNo, modern}, nothing},
		{530035, want{AnswerNo, modern}, want{AnswerNo, modern}},
		{50158, want{AnswerNo, modern}, nothing},
		{50126, nothing, nothing},
		{50053, want{AnswerNo, admin}, want{AnswerNo, admin}},
		{50057, want{AnswerNo, admin}, want{AnswerNo, admin}},
		{50055, nothing, nothing},
		{50144, nothing, nothing},
		{50034, nothing, nothing},
		{50173, nothing, nothing},
		{65001, want{AnswerNo, admin}, nothing},
		{90094, want{AnswerNo, admin}, nothing},
		{50105, want{AnswerNo, admin}, nothing},
		{50097, want{AnswerNo, modern}, nothing},
	}
	for _, tc := range cases {
		if LookupCode(tc.code).Kind == KindUnknown {
			t.Errorf("AADSTS%d is not in the table", tc.code)
		}
		for _, source := range []string{"sign-in log", "pasted", "password check"} {
			ev := base()
			w := tc.app
			switch source {
			case "sign-in log":
				ev = failures(ev, tc.code)
			case "pasted":
				ev.PastedError = "Error: AADSTS" + itoa(tc.code) + ": something. Trace ID: x"
			case "password check":
				ev.PasswordCheck = OK(tc.code)
				w = tc.checkPwd
			}
			r := Diagnose(ev)
			t.Run(itoa(tc.code)+"/"+source, func(t *testing.T) { assertVerdict(t, r, w.answer, w.plan...) })
		}
	}
	if info := LookupCode(12345); info.Kind != KindUnknown || !strings.Contains(info.Meaning, "error?code=12345") {
		t.Fatalf("unknown code: %+v", info)
	}
	for code, info := range codeTable {
		if info.PasswordRight != slices.Contains([]int{50076, 50079, 50072, 50074, 500121, 53003}, code) {
			t.Errorf("AADSTS%d: PasswordRight = %v", code, info.PasswordRight)
		}
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestPerUserMFAPlans(t *testing.T) {
	cases := []struct {
		name       string
		state      string
		methods    []string
		roles      []string
		allowKnown bool
		want       []StepID
	}{
		{"enabled, registered: enforce (the classic procedure)", "enabled", []string{"password", "microsoftAuthenticator"}, nil, false,
			[]StepID{StepAllowAppPasswords, StepEnforceMFA, StepSignOut, StepCreateAppPassword, StepTestAppPassword}},
		{"enabled, unregistered: never enforce before registration", "enabled", []string{"password"}, nil, false,
			[]StepID{StepAllowAppPasswords, StepCreateAppPassword, StepTestAppPassword}},
		{"enforced", "enforced", []string{"password", "fido2"}, nil, false, appPasswordPlan},
		{"enforced, setting known allowed", "enforced", []string{"password", "fido2"}, nil, true,
			[]StepID{StepCreateAppPassword, StepTestAppPassword}},
		{"caller lacks the revoke role", "enabled", []string{"password", "phone"}, []string{RoleAuthPolicyAdmin}, false,
			[]StepID{StepAllowAppPasswords, StepEnforceMFA, StepSignOut, StepCreateAppPassword, StepTestAppPassword, StepAskAdmin}},
		{"end user, no roles", "enforced", []string{"password", "phone"}, []string{}, false, append(slices.Clone(appPasswordPlan), StepAskAdmin)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ev := failures(base(), 50076, "user")
			ev.PerUserMFA, ev.Methods = OK(tc.state), OK(tc.methods)
			if tc.roles != nil {
				ev.CallerRoles = tc.roles
			}
			if tc.allowKnown {
				ev.AppPasswordsSetting = OK(true)
			}
			assertVerdict(t, Diagnose(ev), AnswerUntil, tc.want...)
		})
	}
	t.Run("state unknown (denied), the log names per-user MFA: no per-user MFA step planned", func(t *testing.T) {
		ev := failures(base(), 50076, "user")
		ev.PerUserMFA = Item[string]{Status: StatusDenied, Missing: "the Global Reader role"}
		ev.Methods = Item[[]string]{Status: StatusDenied, Missing: "the Global Reader role"}
		ev.CallerRoles = nil
		r := Diagnose(ev)
		assertVerdict(t, r, AnswerUntil, StepAllowAppPasswords, StepCreateAppPassword, StepTestAppPassword, StepAskAdmin)
		if !slices.Contains(findingIDs(r), "unchecked-per-user-MFA-state") {
			t.Errorf("the gap is not reported: %v", findingIDs(r))
		}
	})
	t.Run("Enabled and registered is not Enforced: no MFA in the app's sign-ins leaves it open", func(t *testing.T) {
		ev := base()
		ev.PerUserMFA, ev.Methods = OK("enabled"), OK([]string{"password", "phone"})
		r := Diagnose(ev)
		assertVerdict(t, r, AnswerUnknown)
		if len(r.Settle) != 1 || r.Settle[0].Check != CheckSMTP {
			t.Errorf("settle %v, want the SMTP test", r.Settle)
		}
	})
	t.Run("a modern sign-in's 50076 proves nothing about the legacy app", func(t *testing.T) {
		ev := base()
		ev.PasswordCheck = OK(50076)
		assertVerdict(t, Diagnose(ev), AnswerNo)
	})
	t.Run("disabled and the log names per-user MFA: the evidence disagrees", func(t *testing.T) {
		r := Diagnose(failures(base(), 50076, "user"))
		assertVerdict(t, r, AnswerUnknown)
		if slices.Contains(r.Plan, StepEnableMFA) {
			t.Errorf("per-user MFA planned on disagreeing evidence: %v", r.Plan)
		}
	})
}

func TestAccountAndTenantBlockers(t *testing.T) {
	cases := map[string]struct {
		mutate func(*Evidence)
		answer Answer
		id     string
	}{
		"not found":         {func(e *Evidence) { e.Account = Item[Account]{Status: StatusMissing} }, AnswerNo, "account-not-found"},
		"disabled":          {func(e *Evidence) { e.Account.Value.Enabled = false }, AnswerNo, "account-disabled"},
		"guest (warning)":   {func(e *Evidence) { e.Account.Value.Guest = true; e.PerUserMFA = OK("enforced") }, AnswerUntil, "account-guest"},
		"security defaults": {func(e *Evidence) { e.SecurityDefaults = OK(true); e.PerUserMFA = OK("enforced") }, AnswerNo, "security-defaults-on"},
		"federated (info)":  {func(e *Evidence) { e.Account.Value.Federated = true; e.PerUserMFA = OK("enforced") }, AnswerUntil, "domain-federated"},
		"synced (info)":     {func(e *Evidence) { e.Account.Value.Synced = true }, AnswerNo, "account-synced"},
		"healthy":           {func(e *Evidence) {}, AnswerNo, "per-user-mfa-disabled"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			ev := base()
			tc.mutate(&ev)
			r := Diagnose(ev)
			if r.AppPasswordCanHelp != tc.answer || !slices.Contains(findingIDs(r), tc.id) {
				t.Fatalf("answer %s, findings %v; want %s with %s", r.AppPasswordCanHelp, findingIDs(r), tc.answer, tc.id)
			}
		})
	}
}

func TestSMTPReplies(t *testing.T) {
	switchOn := append([]StepID{StepEnableSMTPAuth}, appPasswordPlan...)
	cases := []struct {
		reply   string
		meaning SMTPMeaning
		answer  Answer
		plan    []StepID
	}{
		{"235 2.7.0 Authentication successful", SMTPAccepted, AnswerUntil, appPasswordPlan},
		{"535 5.7.3 Authentication unsuccessful", SMTPRefused, AnswerUntil, appPasswordPlan},
		{"535 5.7.139 Authentication unsuccessful, the user credentials were incorrect.", SMTPBadCredentials, AnswerUntil, appPasswordPlan},
		{"535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled", SMTPTenantDisabled, AnswerUntil, switchOn},
		{"535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox.", SMTPMailboxDisabled, AnswerUntil, switchOn},
		{"535 5.7.139 Authentication unsuccessful, basic authentication is disabled.", SMTPBasicDisabled, AnswerUntil, switchOn},
		{"535 5.7.139 Authentication unsuccessful, user is locked by your organization's security defaults policy. Contact your administrator.", SMTPSecurityDefaults, AnswerNo, []StepID{StepModernAuth}},
		{"535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully.", SMTPPolicyCriteria, AnswerUntil, appPasswordPlan},
		{"550 5.7.30 Basic authentication is not supported for Client Submission.", SMTPBasicRefused, AnswerUnknown, []StepID{StepModernAuth}},
		{"535 5.7.139 Authentication unsuccessful, a reason nobody documented", SMTPUnknown, AnswerUntil, appPasswordPlan},
		{"554 5.7.0 Something else", SMTPUnknown, AnswerUntil, appPasswordPlan},
	}
	for _, tc := range cases {
		r, ok := ParseSMTPReply(tc.reply)
		if !ok || r.Meaning != tc.meaning || r.Explain() == "" {
			t.Errorf("%q: %+v", tc.reply, r)
		}
		ev := base()
		ev.PerUserMFA, ev.Methods = OK("enforced"), OK([]string{"password", "phone"})
		ev.SMTPTest = OK(tc.reply)
		assertVerdict(t, Diagnose(ev), tc.answer, tc.plan...)
	}
	t.Run("tenant disabled without MFA", func(t *testing.T) {
		ev := base()
		ev.SMTPTest = OK(cases[3].reply)
		assertVerdict(t, Diagnose(ev), AnswerNo, StepEnableSMTPAuth)
	})
	t.Run("5.7.30 is never yes and never remedied with the SMTP AUTH switch", func(t *testing.T) {
		for _, state := range []string{"enforced", "enabled", ""} {
			ev := base()
			ev.PerUserMFA, ev.Methods = OK(state), OK([]string{"password", "phone"})
			ev.SMTPTest = OK(cases[8].reply)
			r := Diagnose(ev)
			if r.AppPasswordCanHelp == AnswerYes || r.AppPasswordCanHelp == AnswerUntil || slices.Contains(r.Plan, StepEnableSMTPAuth) {
				t.Errorf("per-user %q: %s with plan %v", state, r.AppPasswordCanHelp, r.Plan)
			}
			for _, f := range r.Findings {
				if f.Fix == EnableSMTPAuthHow || strings.Contains(f.Fix, "SmtpClientAuthenticationDisabled $false") {
					t.Errorf("per-user %q: finding %s remedies 5.7.30 with the switch", state, f.ID)
				}
			}
			if len(r.WayForward) == 0 {
				t.Errorf("per-user %q: no way forward", state)
			}
		}
	})
	t.Run("535 5.7.3 does not prove SMTP AUTH is on", func(t *testing.T) {
		ev := base()
		ev.PerUserMFA, ev.Methods = OK("enforced"), OK([]string{"password", "phone"})
		ev.TenantCreated = OK(time.Date(2021, 6, 14, 0, 0, 0, 0, time.UTC))
		ev.SMTPTest = OK(cases[1].reply)
		if r := Diagnose(ev); r.AppPasswordCanHelp != AnswerUnknown || len(r.Settle) == 0 || r.Settle[0].Check != CheckSMTP {
			t.Errorf("535 5.7.3 in a 2021 tenant: %s, settle %v", r.AppPasswordCanHelp, r.Settle)
		}
		ev.SMTPTest = OK(cases[0].reply) // 235: SMTP AUTH is on
		if r := Diagnose(ev); r.AppPasswordCanHelp != AnswerUntil {
			t.Errorf("235 in a 2021 tenant: %s (%s)", r.AppPasswordCanHelp, r.Cause)
		}
	})
	t.Run("a tenant created after January 2020 leaves SMTP AUTH open", func(t *testing.T) {
		for created, want := range map[time.Time]Answer{
			time.Date(2020, 1, 31, 0, 0, 0, 0, time.UTC): AnswerUntil,
			time.Date(2020, 2, 1, 0, 0, 0, 0, time.UTC):  AnswerUnknown,
		} {
			ev := base()
			ev.PerUserMFA, ev.Methods = OK("enforced"), OK([]string{"password", "phone"})
			ev.TenantCreated = OK(created)
			if r := Diagnose(ev); r.AppPasswordCanHelp != want {
				t.Errorf("created %s: %s, want %s", created.Format("2006-01-02"), r.AppPasswordCanHelp, want)
			}
		}
		ev := base()
		ev.PerUserMFA, ev.Methods = OK("enforced"), OK([]string{"password", "phone"})
		ev.TenantCreated = Item[time.Time]{Status: StatusFailed, Err: "no answer"}
		if r := Diagnose(ev); r.AppPasswordCanHelp != AnswerUnknown {
			t.Errorf("an unread creation date: %s", r.AppPasswordCanHelp)
		}
	})
	t.Run("the criteria reply, CA and security defaults ruled out, settles Enabled", func(t *testing.T) {
		ev := base()
		ev.PerUserMFA, ev.Methods = OK("enabled"), OK([]string{"password", "phone"})
		ev.SMTPTest = OK(cases[7].reply)
		assertVerdict(t, Diagnose(ev), AnswerUntil, StepAllowAppPasswords, StepEnforceMFA, StepSignOut, StepCreateAppPassword, StepTestAppPassword)
	})
	for _, bad := range []string{"", "hello", "600 9.9.9 x", "23"} {
		if _, ok := ParseSMTPReply(bad); ok {
			t.Errorf("%q parsed", bad)
		}
	}
}

func FuzzParseSMTPReply(f *testing.F) {
	for _, s := range []string{"235 2.7.0 Authentication successful", "535 5.7.139 x\r\nmore", "550-5.7.30 y", "535 z", "5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, ok := ParseSMTPReply(s)
		if ok && (r.Code < 200 || r.Code > 599 || r.Meaning == "" || r.Explain() == "") {
			t.Fatalf("%q -> %+v", s, r)
		}
	})
}

func TestPastedError(t *testing.T) {
	cases := []struct {
		text    string
		http401 bool
		codes   []int
		smtp    SMTPMeaning
		service Service
	}{
		{"The request failed. The remote server returned an error (401) Unauthorized.", true, nil, "", ""},
		{"Exception calling ExecuteQuery: The remote server returned an error: (401) Unauthorized. at Microsoft.SharePoint.Client.SharePointOnlineCredentials", true, nil, "", ServiceSharePoint},
		{"AADSTS50076: Due to a configuration change... AADSTS50076 again, AADSTS53003", false, []int{50076, 53003}, "", ""},
		{"SMTP error: 535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.", false, nil, SMTPTenantDisabled, ServiceSMTP},
		{"Mailbox unavailable. 550 5.7.30 Basic authentication is not supported for Client Submission.", false, nil, SMTPBasicRefused, ServiceSMTP},
		{"IMAP: AUTHENTICATE failed.", false, nil, "", ServiceExchange},
		{"HTTP status code: 401 from outlook.office365.com/EWS/Exchange.asmx", true, nil, "", ServiceExchange},
		{"", false, nil, "", ""},
	}
	for _, tc := range cases {
		p := ParsePastedError(tc.text)
		gotSMTP := SMTPMeaning("")
		if p.SMTP != nil {
			gotSMTP = p.SMTP.Meaning
		}
		if p.HTTP401 != tc.http401 || !slices.Equal(p.AADSTS, tc.codes) || gotSMTP != tc.smtp || p.ServiceHint != tc.service {
			t.Errorf("%q -> %+v (smtp %s)", tc.text, p, gotSMTP)
		}
	}
	ev := base()
	ev.Service = ""
	ev.PastedError = cases[1].text
	if r := Diagnose(ev); r.Service != ServiceSharePoint || r.AppPasswordCanHelp != AnswerNo {
		t.Errorf("the pasted SharePoint error did not choose the service: %s %s", r.Service, r.AppPasswordCanHelp)
	}
}

func FuzzParsePastedError(f *testing.F) {
	f.Add("The remote server returned an error: (401) Unauthorized.")
	f.Add("AADSTS50076 AADSTS9999999 535 5.7.139 x")
	f.Add("550 5.7.30 Basic authentication is not supported")
	f.Fuzz(func(t *testing.T, s string) {
		p := ParsePastedError(s)
		for _, c := range p.AADSTS {
			if c < 1000 || !strings.Contains(s, itoa(c)) {
				t.Fatalf("code %d not in %q", c, s)
			}
		}
		ev := base()
		ev.PastedError = s
		if r := Diagnose(ev); r.Cause == "" {
			t.Fatal("no cause")
		}
	})
}

func TestReportsKeepSecretsOut(t *testing.T) {
	const canary = "Canary-Secret-7731"
	ev := failures(base(), 50076, "user")
	ev.PerUserMFA = OK("enforced")
	ev.PastedError = "login failed for password " + canary + " (401) Unauthorized"
	r := Diagnose(ev)
	data, err := r.JSON()
	if err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string]string{"json": string(data), "markdown": r.Markdown(), "text": r.Text(), "note": r.AdminNote()} {
		if strings.Contains(out, canary) {
			t.Errorf("%s report contains the pasted secret", name)
		}
	}
}

func TestJSONContract(t *testing.T) {
	ev := failures(base(), 50076, "user")
	ev.PerUserMFA = OK("enforced")
	data, err := Diagnose(ev).JSON()
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	if _, ok := out["cause"].(string); !ok {
		t.Error("cause is not a string")
	}
	if out["appPasswordCanHelp"] != "until" || out["helpsUntil"] != "2026-12-31" {
		t.Errorf("answer %v until %v", out["appPasswordCanHelp"], out["helpsUntil"])
	}
	findings, _ := out["findings"].([]any)
	if len(findings) == 0 {
		t.Fatal("no findings")
	}
	for _, f := range findings {
		m := f.(map[string]any)
		for _, k := range []string{"id", "severity", "title", "detail", "source"} {
			if s, _ := m[k].(string); s == "" {
				t.Errorf("finding %v lacks %s", m["id"], k)
			}
		}
	}
	plan, _ := out["plan"].([]any)
	if len(plan) != 3 || plan[0] != "allow-app-passwords" {
		t.Errorf("plan %v", plan)
	}
	evMap, _ := out["evidence"].(map[string]any)
	if acct, _ := evMap["account"].(map[string]any); acct["status"] != "ok" {
		t.Errorf("evidence.account = %v", evMap["account"])
	}
}

// The account's owner, who reads none of the tenant's policies, is not
// left with "unknown" and nothing to do: the plan is their own test. Only
// an app password that SMTP AUTH accepted then answers yes; a 235 of an
// unknown secret, or the owner's plan for a service without a test, do not.
func TestOwnerSettlesItByTesting(t *testing.T) {
	owner := base()
	owner.Caller, owner.CallerRoles = "BACKUP@contoso.com", nil
	denied := Item[string]{Status: StatusDenied, Missing: "Global Reader"}
	owner.PerUserMFA = denied
	owner.SecurityDefaults = Item[bool]{Status: StatusDenied, Missing: "Global Reader"}
	owner.Policies = Item[[]CAPolicy]{Status: StatusDenied, Missing: "Global Reader"}
	owner.SignIns = Item[[]SignIn]{Status: StatusDenied, Missing: "Global Reader"}
	r := Diagnose(owner)
	assertVerdict(t, r, AnswerUnknown, StepCreateAppPassword, StepTestAppPassword)

	someoneElse := owner
	someoneElse.Caller = "helpdesk@contoso.com"
	assertVerdict(t, Diagnose(someoneElse), AnswerUnknown)

	sharePoint := owner
	sharePoint.Service = ServiceOther
	if r := Diagnose(sharePoint); slices.Contains(r.Plan, StepTestAppPassword) {
		t.Errorf("a service without an SMTP test planned one: %v", r.Plan)
	}

	tested := owner
	tested.SMTPTest = OK("235 2.7.0 Authentication successful")
	assertVerdict(t, Diagnose(tested), AnswerUnknown, StepCreateAppPassword, StepTestAppPassword) // which secret? not said

	tested.SMTPTestedAppPassword = true
	r = Diagnose(tested)
	if r.AppPasswordCanHelp != AnswerUntil || !strings.Contains(r.Cause, "An app password of the account signed in to SMTP AUTH") {
		t.Fatalf("an accepted app password: %s, %s", r.AppPasswordCanHelp, r.Cause)
	}
}

// Each result of the owner's OAuth test is explained; only an accepted
// XOAUTH2 says the route works, and none changes the app-password answer.
func TestOAuthResults(t *testing.T) {
	cases := []struct{ result, id, want string }{
		{"235 2.7.0 Authentication successful", "oauth-smtp-works", "Switch the app to OAuth 2.0"},
		{"535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox.", "oauth-smtp-switched-off", "applies to OAuth too"},
		{"535 5.7.3 Authentication unsuccessful", "oauth-smtp-token-rejected", "no Exchange Online mailbox or licence"},
		{"AADSTS53003: Blocked by Conditional Access", "oauth-smtp-token-refused", "blocks this modern sign-in too"},
		{"AADSTS65001: consent required", "oauth-smtp-token-refused", "consent to SMTP.Send"},
		{"451 4.7.0 Temporary server error", "oauth-smtp", ""},
	}
	for _, tc := range cases {
		f := OAuthFinding(tc.result)
		if f.ID != tc.id || !strings.Contains(f.Title+" "+f.Detail+" "+f.Fix, tc.want) {
			t.Errorf("%q: %s %q %q", tc.result, f.ID, f.Title, f.Detail)
		}
		ev := base()
		ev.SecurityDefaults = OK(true)
		ev.SMTPOAuthTest = OK(tc.result)
		r := Diagnose(ev)
		assertVerdict(t, r, AnswerNo, StepModernAuth)
		if len(r.WayForward) != 3 || r.WayForward[0].ID != "oauth-smtp" || !strings.Contains(r.AdminNote(), "The way forward: SMTP AUTH with OAuth") {
			t.Errorf("%q: way forward %v", tc.result, r.WayForward)
		}
		if l := ev.Line(CheckSMTPOAuth); (l.Mark == MarkFine) != (tc.id == "oauth-smtp-works") {
			t.Errorf("%q: checklist mark %s", tc.result, l.Mark)
		}
	}
	if Diagnose(base()).WayForward != nil {
		t.Error("a way forward where the plan does not move to modern authentication")
	}
}

// After the default-off date, Exchange's own "basic authentication is
// disabled" rules an app password out now: never "yes" (issue 21, case 3),
// and the way forward is the plan.
func TestBasicOffAfterTheDefaultOffDateIsNo(t *testing.T) {
	ev := Evidence{UPN: "backup@contoso.onmicrosoft.com", Service: ServiceSMTP, Now: SMTPAuthLastDefaultOn.AddDate(0, 0, 12),
		SMTPTest: OK("535 5.7.139 Authentication unsuccessful, basic authentication is disabled."), SMTPTestedAppPassword: true}
	r := Diagnose(ev)
	if r.AppPasswordCanHelp != AnswerNo || !slices.Equal(r.Plan, []StepID{StepModernAuth}) || len(r.WayForward) == 0 {
		t.Fatalf("answer %s, plan %v, routes %d: %s", r.AppPasswordCanHelp, r.Plan, len(r.WayForward), r.Cause)
	}
	ev.Now = SMTPAuthLastDefaultOn.AddDate(0, 0, -10) // before it: an admin's switch, the app password works until the date
	if r := Diagnose(ev); r.AppPasswordCanHelp == AnswerNo {
		t.Fatalf("before the default-off date: %s", r.AppPasswordCanHelp)
	}
}

// A step the run found already so (InPlace) is neither asked of the admin
// nor claimed as done in this run.
func TestAdminNoteSaysWhatWasInPlace(t *testing.T) {
	r := Diagnose(base())
	r.Plan = []StepID{StepAllowAppPasswords, StepEnforceMFA}
	r.Results = []StepResult{
		{Step: StepAllowAppPasswords, Outcome: OutcomeDone, Detail: "shown by the test", InPlace: true},
		{Step: StepEnforceMFA, Outcome: OutcomeDone},
	}
	note := r.AdminNote()
	if !strings.Contains(note, "Already done in this run:\n- Enforce per-user MFA\n") ||
		!strings.Contains(note, "Already in place, nothing to do:\n- Allow app passwords (tenant setting) (shown by the test)\n") {
		t.Fatalf("the note mixes what was found with what was done:\n%s", note)
	}
}

// An account whose legacy sign-ins all succeed is not told of a 401 it
// does not have: its cause says they work, and what the default-off may do.
func TestWorkingAccountIsNotFailing(t *testing.T) {
	ev := failures(base(), 0)
	r := Diagnose(ev)
	if strings.Contains(r.Cause, "401") || !strings.Contains(r.Cause, "legacy sign-ins work: none of the 1 read failed") ||
		!strings.Contains(r.Cause, "after 31 December 2026") {
		t.Fatalf("cause for a working account: %s", r.Cause)
	}
	if r := Diagnose(failures(base(), 50126)); strings.Contains(r.Cause, "legacy sign-ins work") {
		t.Fatalf("a failing account said to work: %s", r.Cause)
	}
}
