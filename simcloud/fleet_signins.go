package simcloud

import "time"

// fleetSignIns writes each fleet account's legacy sign-ins, spread over the
// fleet's days before asOf. The outcome is Entra's own decision for the
// account as the directory holds it (legacyDecision), so the log never
// contradicts what the other endpoints say of the account: per-user MFA,
// methods, groups, Conditional Access. Every attempt of one app is the same
// row at another time. Caller is constructing d.
func (d *directory) fleetSignIns() []signInEntry {
	f := d.sc.Fleet
	if f == nil {
		return nil
	}
	// Times are anchored to asOf, not to the clock, so that they are the
	// same on every run.
	rng := fleetRand(d.sc.Name, "sign-ins")
	end := d.sc.AsOfTime()
	window := f.Days * 24 * 60 * 60
	rows := make([]signInEntry, 0, f.Accounts*f.SignInsPerAccount)
	for _, app := range d.sc.fleetApps {
		u := d.byUPN(app.upn)
		secret := u.Password
		if app.wrongPassword {
			secret = "stale-" + u.Password // the app kept a password changed since
		}
		row := d.signInOf(u, app.clientApp, resourceName(app.clientApp), d.legacyDecision(u, secret, app.clientApp))
		for range app.signIns {
			rows = append(rows, d.stamped(row, end.Add(-time.Duration(1+rng.IntN(window))*time.Second)))
		}
	}
	return rows
}
