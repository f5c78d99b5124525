//go:build ignore

// Derive writes zoom-users-facts.json, a facts-only copy of Zoom's current Users spec:
// the same OpenAPI document with every description, summary and example removed, so
// that the conformance test can compare api/openapi.yaml with Zoom's own spec without
// keeping Zoom's prose in this repository.
//
//	go run test/testdata/derive.go ../shared/reference/zoom-user-api-2025-users.json > test/testdata/zoom-users-facts.json
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
)

// prose holds the keys whose values are text for people rather than facts.
var prose = map[string]bool{
	"description":         true,
	"summary":             true,
	"example":             true,
	"examples":            true,
	"x-enum-descriptions": true,
	"x-provenance":        true, // the third party's notes on how it edited its copy
}

func strip(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			if prose[k] {
				continue
			}
			out[k] = strip(e)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = strip(e)
		}
		return out
	default:
		return v
	}
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go run derive.go ZOOM_SPEC.json > zoom-users-facts.json")
		os.Exit(2)
	}
	raw, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		fmt.Fprintln(os.Stderr, "decode:", err)
		os.Exit(1)
	}
	out, err := json.MarshalIndent(strip(doc), "", "  ")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Stdout.Write(append(out, '\n'))
}
