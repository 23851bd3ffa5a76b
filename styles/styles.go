// Package styles is apppass's Lip Gloss theme: one Styles value built for a
// light or dark background, or without colour. Steps pick named styles;
// colour decisions live only here.
package styles

import (
	"image/color"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// Styles are the named styles of every screen.
type Styles struct {
	App        lipgloss.Style
	Header     lipgloss.Style
	LiveBanner lipgloss.Style
	DemoBanner lipgloss.Style
	Title      lipgloss.Style
	Subtle     lipgloss.Style
	Body       lipgloss.Style
	Footer     lipgloss.Style

	StepDone    lipgloss.Style
	StepCurrent lipgloss.Style
	StepSkipped lipgloss.Style
	StepPending lipgloss.Style

	Pass    lipgloss.Style
	Problem lipgloss.Style
	Warning lipgloss.Style
	Info    lipgloss.Style
	Error   lipgloss.Style

	Code     lipgloss.Style // the device code, large
	Key      lipgloss.Style
	Selected lipgloss.Style
	Box      lipgloss.Style
	Change   lipgloss.Style // an exact change shown before confirming
	URL      lipgloss.Style
	Scroll   lipgloss.Style // "more below" in the footer

	// StepDeclined, StepPassed (skipped by the person), StepFailed and
	// StepUnknown mark a screen's outcome in the step bar.
	StepDeclined lipgloss.Style
	StepPassed   lipgloss.Style
	StepFailed   lipgloss.Style
	StepUnknown  lipgloss.Style

	Spinner lipgloss.Style
	Help    help.Styles
	Input   textinput.Styles
}

// New builds the styles for a dark or light background; noColor drops
// every colour (NO_COLOR) and keeps bold and underline.
func New(isDark, noColor bool) Styles {
	ld := lipgloss.LightDark(isDark)
	c := func(light, dark string) color.Color {
		if noColor {
			return lipgloss.NoColor{}
		}
		return ld(lipgloss.Color(light), lipgloss.Color(dark))
	}
	accent := c("#5A3FC0", "#B7A6FF")
	green := c("#1A7F37", "#56D364")
	red := c("#C0362C", "#FF7B72")
	amber := c("#9A6700", "#E3B341")
	blue := c("#0B5CAD", "#79C0FF")
	muted := c("#6E7781", "#8B949E")
	text := c("#1F2328", "#E6EDF3")
	onAccent := c("#FFFFFF", "#0D1117")

	return Styles{
		App:        lipgloss.NewStyle().Padding(0, 1),
		Header:     lipgloss.NewStyle().MarginBottom(1),
		LiveBanner: lipgloss.NewStyle().Bold(true).Foreground(onAccent).Background(red).Padding(0, 1),
		DemoBanner: lipgloss.NewStyle().Bold(true).Foreground(onAccent).Background(blue).Padding(0, 1),
		Title:      lipgloss.NewStyle().Bold(true).Foreground(accent),
		Subtle:     lipgloss.NewStyle().Foreground(muted),
		Body:       lipgloss.NewStyle().Foreground(text),
		Footer:     lipgloss.NewStyle().Foreground(muted).MarginTop(1),

		StepDone:    lipgloss.NewStyle().Foreground(green),
		StepCurrent: lipgloss.NewStyle().Bold(true).Underline(noColor).Foreground(accent),
		StepSkipped: lipgloss.NewStyle().Foreground(muted).Strikethrough(true),
		StepPending: lipgloss.NewStyle().Foreground(muted),

		Pass:    lipgloss.NewStyle().Foreground(green),
		Problem: lipgloss.NewStyle().Bold(true).Foreground(red),
		Warning: lipgloss.NewStyle().Foreground(amber),
		Info:    lipgloss.NewStyle().Foreground(blue),
		Error:   lipgloss.NewStyle().Bold(true).Foreground(red),

		Code:     lipgloss.NewStyle().Bold(true).Foreground(accent).Border(lipgloss.RoundedBorder()).BorderForeground(accent).Padding(0, 3),
		Key:      lipgloss.NewStyle().Bold(true).Foreground(accent),
		Selected: lipgloss.NewStyle().Bold(true).Foreground(accent),
		Box:      lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(muted).Padding(0, 1),
		Change:   lipgloss.NewStyle().Bold(true).Border(lipgloss.NormalBorder(), false, false, false, true).BorderForeground(amber).PaddingLeft(1),
		URL:      lipgloss.NewStyle().Underline(true).Foreground(blue),
		Scroll:   lipgloss.NewStyle().Bold(true).Foreground(accent),

		StepDeclined: lipgloss.NewStyle().Foreground(amber),
		StepPassed:   lipgloss.NewStyle().Foreground(amber),
		StepFailed:   lipgloss.NewStyle().Bold(true).Foreground(red),
		StepUnknown:  lipgloss.NewStyle().Foreground(amber),

		Spinner: lipgloss.NewStyle().Foreground(accent),
		Help: help.Styles{
			Ellipsis:       lipgloss.NewStyle().Foreground(muted),
			ShortKey:       lipgloss.NewStyle().Foreground(text),
			ShortDesc:      lipgloss.NewStyle().Foreground(muted),
			ShortSeparator: lipgloss.NewStyle().Foreground(muted),
			FullKey:        lipgloss.NewStyle().Foreground(text),
			FullDesc:       lipgloss.NewStyle().Foreground(muted),
			FullSeparator:  lipgloss.NewStyle().Foreground(muted),
		},
		Input: inputStyles(accent, muted, text),
	}
}

// inputStyles colour a text field from the theme.
func inputStyles(accent, muted, text color.Color) textinput.Styles {
	state := textinput.StyleState{
		Text:        lipgloss.NewStyle().Foreground(text),
		Placeholder: lipgloss.NewStyle().Foreground(muted),
		Suggestion:  lipgloss.NewStyle().Foreground(muted),
		Prompt:      lipgloss.NewStyle().Foreground(accent),
	}
	blurred := state
	blurred.Text = lipgloss.NewStyle().Foreground(muted)
	blurred.Prompt = lipgloss.NewStyle().Foreground(muted)
	return textinput.Styles{Focused: state, Blurred: blurred,
		Cursor: textinput.CursorStyle{Color: accent, Shape: tea.CursorBlock, Blink: true}}
}
