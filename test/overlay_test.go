package test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/oapi-codegen/oapi-codegen/v2/pkg/util"
)

// overlayPath holds the Go-only hints that oapi-codegen applies to the spec (see
// output-options.overlay in codegen.yaml).
const overlayPath = "../api/go-overlay.yaml"

// publishedExtensions are the extensions the published spec may carry besides x-go-*:
// the list of differences from Zoom's spec, Zoom's rate-limit labels and the documented
// values of open enums (x-extensible-enum, a value outside it is still valid), all meant for
// every reader. Anything else that only one generator reads belongs in the overlay.
var publishedExtensions = []string{"x-differences", "x-rate-limit-label", "x-extensible-enum"}

// jsonTree returns the document as generic JSON values, so that every object in it,
// wherever it sits, can be checked the same way.
func jsonTree(t *testing.T, doc any) any {
	t.Helper()
	raw, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	var tree any
	if err := json.Unmarshal(raw, &tree); err != nil {
		t.Fatal(err)
	}
	return tree
}

// eachObject calls fn for every JSON object in tree with its location and the key it sits
// under.
func eachObject(tree any, at, key string, fn func(at, key string, obj map[string]any)) {
	switch v := tree.(type) {
	case map[string]any:
		fn(at, key, v)
		for k, child := range v {
			eachObject(child, at+"/"+k, k, fn)
		}
	case []any:
		for i, child := range v {
			eachObject(child, fmt.Sprintf("%s/%d", at, i), key, fn)
		}
	}
}

// TestPublishedSpecHasNoGoHints: other languages' generators read api/openapi.yaml, so it
// carries no hint meant for oapi-codegen alone other than x-go-* ones.
func TestPublishedSpecHasNoGoHints(t *testing.T) {
	tree := jsonTree(t, loadDoc(t, specPath))
	eachObject(tree, "", "", func(at, key string, obj map[string]any) {
		// Header, property and response maps are keyed by names, not extensions
		// (x-zm-trackingid is a header).
		if key == "headers" || key == "properties" {
			return
		}
		for k := range obj {
			if strings.HasPrefix(k, "x-") && !strings.HasPrefix(k, "x-go-") && !slices.Contains(publishedExtensions, k) {
				t.Errorf("%s: %s in the published spec; move it to %s if only Go needs it", at, k, overlayPath)
			}
		}
	})
}

// TestGoOverlayApplies loads the spec with the overlay as oapi-codegen does, strictly, and
// checks what the overlay is for: every deprecated field and parameter gets a reason (else
// oapi-codegen writes a note about the missing extension into the Go docs), no reason
// lands on anything that is not deprecated, and every integer enum has a Go name for each
// value (else its constants are named N1, N2...).
func TestGoOverlayApplies(t *testing.T) {
	doc, err := util.LoadSwaggerWithOverlay(filepath.FromSlash(specPath),
		util.LoadSwaggerWithOverlayOpts{Path: filepath.FromSlash(overlayPath), Strict: true})
	if err != nil {
		t.Fatalf("apply %s: %v", overlayPath, err)
	}
	var deprecated, enums int
	eachObject(jsonTree(t, doc), "", "", func(at, key string, obj map[string]any) {
		if key == "properties" {
			return // keyed by property names: "deprecated" or "enum" may be one
		}
		reason, hasReason := obj["x-deprecated-reason"].(string)
		switch {
		case obj["deprecated"] == true && (!hasReason || reason == ""):
			t.Errorf("%s is deprecated but has no x-deprecated-reason in %s", at, overlayPath)
		case obj["deprecated"] == true:
			deprecated++
		case hasReason:
			t.Errorf("%s has an x-deprecated-reason but is not deprecated", at)
		}
		values, isEnum := obj["enum"].([]any)
		names, hasNames := obj["x-enum-varnames"].([]any)
		if hasNames && (!isEnum || len(names) != len(values)) {
			t.Errorf("%s: x-enum-varnames has %d names for %d enum values", at, len(names), len(values))
		}
		if isEnum && obj["type"] == "integer" {
			enums++
			if !hasNames {
				t.Errorf("%s: integer enum %v has no x-enum-varnames in %s", at, values, overlayPath)
			}
		}
	})
	// The walk must have seen what the spec holds, or the checks above prove nothing.
	if deprecated == 0 || enums == 0 {
		t.Errorf("found %d deprecated items and %d integer enums in the overlaid spec; want some of each", deprecated, enums)
	}
}
