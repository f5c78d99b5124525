// Package decoding turns the body of a successful Zoom answer into the generated model the
// operation returns, without letting one odd value fail the call.
//
// Files:
//
//	decode.go  this overview and the decoder options
//	repair.go  Unmarshal: encoding/json/v2 first, then the repair pass that coerces or
//	           drops values that do not fit the model and records each as a Drift
//	drift.go   Drift and Action, what a repair records, and Log, which writes them
//	           to a slog.Logger with a bound per answer
//	body.go    ReadBody and ReleaseBody: pooled buffers answers are read into
//
// Tests: repair_test.go (what is kept, coerced and dropped), fuzz_test.go (FuzzUnmarshal:
// any valid object decodes into every answer type), bench_test.go (against
// encoding/json on the same bodies).
//
// How answers are decoded. The usual path is one call to encoding/json/v2
// (github.com/go-json-experiment/json, the module the standard library's v2 comes from).
// It rejects duplicate object keys while it parses, so duplicates are detected at no
// extra cost: a body with one fails this path like a type mismatch does. Names match
// exactly, as Zoom sends them; invalid UTF-8 is replaced, as encoding/json did.
//
// Only when that fails does the repair pass run. It walks the JSON along the reflect
// type of the result and checks each value by decoding it on its own (so a good user of
// a page is checked in one call, never walked), which finds every mismatch, not only
// the first one a decoder reports. A value that does not fit is coerced when nothing is
// lost, or dropped; the repaired JSON is then decoded by encoding/json/v2 again. Types
// with their own JSON methods (oapi-codegen unions, additionalProperties types,
// time.Time) are decoded by those methods: an object is repaired member by member
// first, and a value the method still refuses is dropped.
//
// The package is internal: zoomusers re-exports what callers see (zoomusers.Drift,
// zoomusers.DriftAction).
package decoding

import (
	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// decodeOptions are the decoders' options. Duplicate names stay rejected: that is
// how they are noticed.
var decodeOptions = jsontext.AllowInvalidUTF8(true)

// scanOptions read bodies that may hold duplicate names.
var scanOptions = jsonv2.JoinOptions(jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
