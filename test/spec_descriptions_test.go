package test

import (
	"regexp"
	"testing"
)

// specInternals are words about how the spec was made rather than about the API: where
// it corrects Zoom's spec, what Zoom's copies declare, how its schemas are composed. They
// belong in info.x-differences (or the header comment), not in descriptions, which become
// the docs of generated code.
var specInternals = regexp.MustCompile(`(?i)\bupstream\b|\bcorrection\b|\bthe copy\b|` +
	`Zoom's (current|original|2021|own) spec|\b2021 spec\b|\b(oneOf|anyOf|allOf)\b|\bnot clause\b`)

// TestSpecDescriptionsSayWhatNotWhence: every description and summary in the spec reads
// for someone who never saw Zoom's spec.
func TestSpecDescriptionsSayWhatNotWhence(t *testing.T) {
	var checked int
	eachObject(jsonTree(t, loadDoc(t, specPath)), "", "", func(at, key string, obj map[string]any) {
		if key == "properties" {
			return // keyed by property names, one of which may be "description"
		}
		for _, field := range []string{"description", "summary"} {
			text, ok := obj[field].(string)
			if !ok {
				continue
			}
			checked++
			if m := specInternals.FindString(text); m != "" {
				t.Errorf("%s/%s speaks of the spec's making (%q): say what it is here, and how it differs from Zoom's in info.x-differences:\n%s", at, field, m, text)
			}
		}
	})
	if checked < 100 {
		t.Errorf("checked %d descriptions; the walk missed most of the spec", checked)
	}
}
