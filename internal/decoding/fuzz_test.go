package decoding

import (
	"bytes"
	"testing"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/zoomkit/go-zoomusers/gen"
)

// FuzzUnmarshal: every syntactically valid JSON object decodes into each answer type,
// without error or panic; a body that fits reports no drift; invalid JSON still fails.
func FuzzUnmarshal(f *testing.F) {
	for _, s := range []string{
		`{"email":"a@example.com","type":1,"pmi":"3542471135","custom_attributes":{"key":"k","value":1}}`,
		`{"users":[{"email":"a","pmi":1},"x",{"email":"b","email":"c","type":"2"}],"page_size":"30"}`,
		`{"tsp":{"call_out_countries":["USA",{"a":1,"a":2}]},"feature":{"meeting_capacity":"100"},"in_meeting":{"chat":"true"}}`,
		`{"created_at":"string [date-time]","last_login_time":1,"login_types":["1",2,3.0]}`,
		`{"add_at":"2021-05-05T20:40:30Z","ids":5,"fail_details":{"reason":1,"user_ids":"u"}}`,
		`{"users":{"email":"one"}}`,
		`{"a":[[[{"b":null}]]],"pmi":[["1"]]}`,
		`{"email":"\ud800","first_name":"\u00e9"}`,
		`{"pmi":1e400,"type":-1,"zoom_one_type":99999999999999999999}`,
		`{`, `[]`, `nope`,
	} {
		f.Add([]byte(s))
	}
	targets := []func() any{
		func() any { return new(gen.User) },
		func() any { return new(gen.UserList) },
		func() any { return new(gen.UserSettings) },
		func() any { return new(gen.AssistantsAdded) },
		func() any { return new(gen.BulkFeatureResult) },
		func() any { return new(gen.MeetingTemplate) },
		func() any { return new(gen.UserSettingsResult) },
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		raw := jsontext.Value(bytes.TrimSpace(body))
		valid := raw.IsValid(scanOptions)
		for _, target := range targets {
			out := target()
			drifts, err := Unmarshal(body, out)
			switch {
			case !valid && err == nil:
				t.Fatalf("invalid JSON %q decoded into %T", body, out)
			case valid && raw.Kind() == '{' && err != nil:
				t.Fatalf("valid object %q failed %T: %v", body, out, err)
			case err == nil && jsonv2.Unmarshal(body, target(), decodeOptions) == nil && len(drifts) > 0:
				t.Fatalf("%q fits %T yet reported drift %v", body, out, drifts)
			}
			for _, d := range drifts {
				if d.Action != Coerced && d.Action != Dropped || d.Reason == "" || len(d.Value) == 0 {
					t.Fatalf("incomplete drift %+v", d)
				}
			}
		}
	})
}
