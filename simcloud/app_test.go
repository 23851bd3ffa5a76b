package simcloud

import (
	"encoding/json"
	"testing"
	"time"
)

// appScenario is classic with its app on a five-minute schedule and a
// two-minute log delay, holding secret ("" the regular password).
func appScenario(t *testing.T, secret string) *Scenario {
	t.Helper()
	sc, err := LoadScenario("classic")
	if err != nil {
		t.Fatal(err)
	}
	sc.App = &App{EveryMinutes: 5, Secret: secret}
	sc.SignInLogDelayMinutes = 2
	return sc
}

// appRows are the account's rows newer than since, read from both tabs,
// newest first.
func appRows(c *testClient, since time.Time) []map[string]any {
	c.t.Helper()
	var out []map[string]any
	for _, r := range accountRows(c, backup, true) {
		at, _ := time.Parse(time.RFC3339, r["createdDateTime"].(string))
		if !at.Before(since) {
			out = append(out, r)
		}
	}
	return out
}

// The app signs in on the simulator's clock, each run judged as a legacy
// sign-in: with the regular password under per-user MFA, 50076 (first
// factor passed, so Conditional Access was evaluated); with the app
// password typed in, success; every row from the app's address and only
// after the log's delay.
func TestAppSignsInOnTheSimulatorsClock(t *testing.T) {
	c := startScenario(t, appScenario(t, ""), Options{})
	tok := c.deviceCodeToken("organizations")
	c.access, _ = tok.json["access_token"].(string)
	start := c.srv.Now()
	// Per-user MFA is Enabled with methods registered: the regular
	// password is refused to legacy clients.
	if got := appRows(c, start); len(got) != 0 {
		t.Fatalf("rows before the first run: %v", got)
	}
	c.clock.Advance(5 * time.Minute) // the first run, not yet in the log
	if got := appRows(c, start); len(got) != 0 {
		t.Fatalf("a row showed before the log's delay: %v", got)
	}
	c.clock.Advance(2 * time.Minute)
	rows := appRows(c, start)
	if len(rows) != 1 || errorCodeOf(rows[0]) != 50076 || rows[0]["ipAddress"] != defaultAppIP ||
		rows[0]["clientAppUsed"] != "Authenticated SMTP" || rows[0]["conditionalAccessStatus"] == nil {
		t.Fatalf("first run: %v", rows)
	}
	if at := rows[0]["createdDateTime"]; at != start.Add(5*time.Minute).Format(graphTime) {
		t.Errorf("the run is logged at %v, not at its scheduled time", at)
	}

	pw, err := c.srv.CreateAppPassword(backup)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.srv.TypeIntoApp(pw); err != nil {
		t.Fatal(err)
	}
	c.clock.Advance(5 * time.Minute) // the run at 10 minutes, visible at 12
	rows = appRows(c, start)
	if len(rows) != 2 || errorCodeOf(rows[0]) != 0 || rows[0]["conditionalAccessStatus"] != "notApplied" {
		t.Fatalf("after the app password was typed in: %v", rows)
	}
}

// An app still holding an old password fails the first factor: 50126,
// with no Conditional Access verdict (Microsoft's example row).
func TestAppWithAnOldPassword(t *testing.T) {
	c := startScenario(t, appScenario(t, "Backup-Sim-2025!"), Options{})
	tok := c.deviceCodeToken("organizations")
	c.access, _ = tok.json["access_token"].(string)
	start := c.srv.Now()
	c.clock.Advance(17 * time.Minute) // runs at 5, 10 and 15; the last visible at 17
	rows := appRows(c, start)
	if len(rows) != 3 {
		t.Fatalf("%d rows, want 3: %v", len(rows), rows)
	}
	for _, r := range rows {
		if errorCodeOf(r) != 50126 || r["conditionalAccessStatus"] != "notApplied" || len(r["appliedConditionalAccessPolicies"].([]any)) != 0 {
			t.Errorf("row %v", r)
		}
	}
}

func TestAppScenarioValidation(t *testing.T) {
	for name, doc := range map[string]string{
		"no schedule":    `{"everyMinutes":0}`,
		"too slow":       `{"everyMinutes":100000}`,
		"unknown fields": `{"everyMinutes":5,"password":"x"}`,
	} {
		sc, _ := LoadScenario("classic")
		data, _ := json.Marshal(sc)
		var m map[string]json.RawMessage
		json.Unmarshal(data, &m)
		m["app"] = json.RawMessage(doc)
		data, _ = json.Marshal(m)
		if _, err := ParseScenario(data); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	sc, _ := LoadScenario("healthy")
	if err := New(sc, Options{}).TypeIntoApp("x"); err == nil {
		t.Error("typed into an app a scenario does not have")
	}
}
