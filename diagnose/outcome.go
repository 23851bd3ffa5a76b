package diagnose

// Outcome is how a step of the plan ended, as the wizard's step bar, its
// summary, the reports and the admin note all show it.
type Outcome string

// The outcomes a step can have.
const (
	OutcomeDone     Outcome = "done"     // made and verified, or confirmed by the person where no API can see it
	OutcomeDeclined Outcome = "declined" // shown, and the person said no or left it for later
	OutcomeSkipped  Outcome = "skipped"  // passed over: the role is missing, or no test can pass
	OutcomeFailed   Outcome = "failed"   // Microsoft refused, or the read-back shows it did not take
	OutcomeUnknown  Outcome = "unknown"  // it may or may not have happened: no answer, or no read-back
)

// Mark is the outcome's one-character sign.
func (o Outcome) Mark() string {
	switch o {
	case OutcomeDone:
		return "✓"
	case OutcomeDeclined:
		return "–"
	case OutcomeSkipped:
		return "»"
	case OutcomeFailed:
		return "✗"
	case OutcomeUnknown:
		return "?"
	}
	return "○"
}

// StepResult is what happened to one plan step in a wizard run.
type StepResult struct {
	Step    StepID  `json:"step"`
	Outcome Outcome `json:"outcome"`
	Detail  string  `json:"detail,omitempty"`
	// InPlace: the step's effect was found already so (a test showed it),
	// not made by this run.
	InPlace bool `json:"inPlace,omitempty"`
}

// resultOf finds a step's result in the run, if the step was reached.
func (r Report) resultOf(s StepID) (StepResult, bool) {
	for _, res := range r.Results {
		if res.Step == s {
			return res, true
		}
	}
	return StepResult{}, false
}
