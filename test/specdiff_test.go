package test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oasdiff/oasdiff/checker"
	"github.com/oasdiff/oasdiff/diff"
	"github.com/oasdiff/oasdiff/load"
)

// listedDifference is one entry of info.x-differences in api/openapi.yaml: a kind of
// difference from Zoom's current spec, and why this spec makes it.
type listedDifference struct {
	ID string `json:"id"`
	// Checks are oasdiff check ids, such as request-body-became-required.
	Checks []string `json:"checks"`
	// At names where the checks apply: "METHOD /path", "*" for any operation, or an
	// oasdiff section ("components", "security") for changes outside operations.
	At []string `json:"at"`
	// Subjects, when given, narrow the entry to changes naming one of them: a parameter,
	// property path, status code, header or scheme, as oasdiff passes it.
	Subjects []string `json:"subjects"`
	Reason   string   `json:"reason"`
}

// specChange is one change oasdiff reports, reduced to what an entry matches on.
type specChange struct {
	check, at string
	args      []string
	text      string
}

func (c specChange) String() string { return fmt.Sprintf("[%s] %s: %s", c.check, c.at, c.text) }

// matches tells whether the entry names the change.
func (d listedDifference) matches(c specChange) bool {
	return slices.Contains(d.Checks, c.check) && d.appliesAt(c.at) &&
		(len(d.Subjects) == 0 || slices.ContainsFunc(c.args, func(a string) bool { return slices.Contains(d.Subjects, a) }))
}

func (d listedDifference) appliesAt(at string) bool {
	if slices.Contains(d.At, at) {
		return true
	}
	// "*" stands for every operation, never for a change outside operations.
	return slices.Contains(d.At, "*") && strings.Contains(at, " /")
}

// listedDifferences reads info.x-differences from the spec and checks that every entry
// is complete.
func listedDifferences(t *testing.T, doc *openapi3.T) []listedDifference {
	t.Helper()
	raw, ok := doc.Info.Extensions["x-differences"]
	if !ok {
		t.Fatal("api/openapi.yaml has no info.x-differences")
	}
	b, err := json.Marshal(raw)
	if err != nil {
		t.Fatal(err)
	}
	var list []listedDifference
	if err := json.Unmarshal(b, &list); err != nil {
		t.Fatalf("info.x-differences is not a list of {id, checks, at, subjects, reason}: %v", err)
	}
	seen := map[string]bool{}
	for i, d := range list {
		switch {
		case d.ID == "":
			t.Errorf("x-differences[%d] has no id", i)
		case seen[d.ID]:
			t.Errorf("x-differences id %q is used twice", d.ID)
		case len(d.Checks) == 0 || len(d.At) == 0:
			t.Errorf("x-differences %q needs checks and at", d.ID)
		case len(strings.Fields(d.Reason)) < 5:
			t.Errorf("x-differences %q gives no reason", d.ID)
		}
		seen[d.ID] = true
	}
	return list
}

// specChanges runs oasdiff's changelog (every check, down to level INFO, as the
// `oasdiff changelog` command does) from base to revision.
func specChanges(t *testing.T, base, revision *load.SpecInfo) []specChange {
	t.Helper()
	d, sources, err := diff.GetWithOperationsSourcesMap(diff.NewConfig(), base, revision)
	if err != nil {
		t.Fatalf("oasdiff: %v", err)
	}
	changes := checker.CheckBackwardCompatibilityUntilLevel(checker.NewConfig(checker.GetAllChecks()), d, sources, checker.INFO)
	l := checker.NewDefaultLocalizer()
	out := make([]specChange, 0, len(changes))
	for _, c := range changes {
		sc := specChange{check: c.GetId(), at: c.GetSection(), text: c.GetUncolorizedText(l)}
		if c.GetOperation() != "" {
			sc.at = c.GetOperation() + " " + c.GetPath()
		}
		for _, a := range c.GetArgs() {
			sc.args = append(sc.args, fmt.Sprint(a))
		}
		out = append(out, sc)
	}
	return out
}

// loadSpecInfo loads a spec for oasdiff and applies its options.
func loadSpecInfo(t *testing.T, path string, options ...load.Option) *load.SpecInfo {
	t.Helper()
	loader := openapi3.NewLoader()
	loader.IncludeOrigin = true
	info, err := load.NewSpecInfo(loader, load.NewSource(filepath.FromSlash(path)), options...)
	if err != nil {
		t.Fatalf("load %s for oasdiff: %v", path, err)
	}
	return info
}

// zoomSpecChanges compares Zoom's current spec with ours twice: as `oasdiff changelog`
// does by default, and with --flatten-allof --flatten-params, which looks inside Get
// User's allOf parts and at path-level parameters. The base is the facts-only copy of
// ../shared/reference/zoom-user-api-2025-users.json (test/testdata/derive.go): oasdiff's
// changelog reads no descriptions or examples, so it reports the same changes for both.
func zoomSpecChanges(t *testing.T) []specChange {
	t.Helper()
	var all []specChange
	seen := map[string]bool{}
	for _, options := range [][]load.Option{nil, {load.WithFlattenAllOf(), load.WithFlattenParams()}} {
		base := loadSpecInfo(t, factsPath, options...)
		ours := loadSpecInfo(t, specPath, options...)
		for _, c := range specChanges(t, base, ours) {
			if key := c.String() + strings.Join(c.args, "\x00"); !seen[key] {
				seen[key] = true
				all = append(all, c)
			}
		}
	}
	return all
}

// unlisted returns the changes no entry names.
func unlisted(list []listedDifference, changes []specChange) []specChange {
	var out []specChange
	for _, c := range changes {
		if !slices.ContainsFunc(list, func(d listedDifference) bool { return d.matches(c) }) {
			out = append(out, c)
		}
	}
	return out
}

// stale returns, for each entry, the checks, places and subjects it names that no change
// it matches has: what the spec no longer does.
func stale(list []listedDifference, changes []specChange) []string {
	var out []string
	for _, d := range list {
		used := map[string]bool{}
		for _, c := range changes {
			if !d.matches(c) {
				continue
			}
			used["checks "+c.check] = true
			used["at "+c.at] = true
			if strings.Contains(c.at, " /") {
				used["at *"] = true
			}
			for _, a := range c.args {
				used["subjects "+a] = true
			}
		}
		for _, field := range []struct {
			name   string
			values []string
		}{{"checks", d.Checks}, {"at", d.At}, {"subjects", d.Subjects}} {
			for _, v := range field.values {
				if !used[field.name+" "+v] {
					out = append(out, fmt.Sprintf("%s: %s %q matches no difference", d.ID, field.name, v))
				}
			}
		}
	}
	return out
}

// TestSpecDifferencesAreListed holds api/openapi.yaml to its own list of differences from
// Zoom's spec: every difference oasdiff reports must be named by an entry of
// info.x-differences, and every part of every entry must still name one.
func TestSpecDifferencesAreListed(t *testing.T) {
	list := listedDifferences(t, loadDoc(t, specPath))
	changes := zoomSpecChanges(t)
	missing := unlisted(list, changes)
	sort.Slice(missing, func(i, j int) bool { return missing[i].String() < missing[j].String() })
	for _, c := range missing {
		t.Errorf("difference from Zoom's spec not listed in info.x-differences: %s", c)
	}
	for _, s := range stale(list, changes) {
		t.Errorf("stale info.x-differences entry: %s", s)
	}
	t.Logf("%d differences from Zoom's spec, named by %d entries", len(changes), len(list))
}

// TestSpecDifferenceCheckCatchesChanges proves the check is not vacuous: a new
// difference in our spec is reported as unlisted, and an entry for a difference that
// is gone is reported as stale.
func TestSpecDifferenceCheckCatchesChanges(t *testing.T) {
	list := listedDifferences(t, loadDoc(t, specPath))
	base := loadSpecInfo(t, factsPath)

	ours := loadSpecInfo(t, specPath)
	users := ours.Spec.Paths.Value("/users").Get
	users.Parameters = append(users.Parameters, &openapi3.ParameterRef{Value: openapi3.NewQueryParameter("region").
		WithRequired(true).WithSchema(openapi3.NewStringSchema())})
	missing := unlisted(list, specChanges(t, base, ours))
	if !slices.ContainsFunc(missing, func(c specChange) bool {
		return c.check == "new-required-request-parameter" && slices.Contains(c.args, "region")
	}) {
		t.Errorf("a new required parameter went unreported; unlisted: %v", missing)
	}

	// Zoom's own spec against itself differs in nothing, so every entry is stale.
	same := specChanges(t, base, loadSpecInfo(t, factsPath))
	if len(same) != 0 {
		t.Fatalf("Zoom's spec differs from itself: %v", same)
	}
	if got := len(stale(list, same)); got == 0 {
		t.Error("no entry is reported stale when nothing differs")
	}
	statusEntry := slices.IndexFunc(list, func(d listedDifference) bool { return d.ID == "status-answers-204" })
	if statusEntry < 0 {
		t.Fatal("no status-answers-204 entry")
	}
	ours = loadSpecInfo(t, specPath)
	ours.Spec.Paths.Value("/users/{userId}/status").Put.Responses.Delete("204")
	for _, s := range stale(list, specChanges(t, base, ours)) {
		if strings.HasPrefix(s, "status-answers-204:") {
			return
		}
	}
	t.Error("removing the 204 answer did not make its entry stale")
}
