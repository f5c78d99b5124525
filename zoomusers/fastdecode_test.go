package zoomusers

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/google/go-cmp/cmp"

	"github.com/zoomkit/go-zoomusers/gen"
)

// fastAgainstV2 decodes body into a new value of each answer type through the fast
// path and through encoding/json/v2 alone, and fails t when the fast path decodes what
// encoding/json/v2 refuses, decodes it to another value, or gives up on what
// encoding/json/v2 takes as it is (which would be slow, not wrong).
func fastAgainstV2(t *testing.T, body []byte) {
	t.Helper()
	for _, answer := range answerTypes {
		fast, ref := answer(), answer()
		c := getCells()
		ok := c.fast.decode(body, fast)
		putCells(c)
		refErr := jsonv2.Unmarshal(body, ref, decodeOptions)
		switch {
		case ok && refErr != nil:
			t.Fatalf("%T: the fast path decoded %q, which encoding/json/v2 refuses: %v", fast, body, refErr)
		case !ok && refErr == nil:
			t.Fatalf("%T: the fast path gave up on %q, which encoding/json/v2 decodes", fast, body)
		case ok:
			if diff := cmp.Diff(ref, fast, exactValues); diff != "" {
				t.Fatalf("%T: %q decodes otherwise on the fast path (+) than in encoding/json/v2 (-):\n%s", fast, body, diff)
			}
		}
	}
}

// exactValues compares unexported fields (oapi-codegen's unions keep their JSON in
// one) and times by instant and offset, where cmp would use time.Time.Equal alone.
var exactValues = cmp.Options{
	cmp.Exporter(func(reflect.Type) bool { return true }),
	cmp.Comparer(func(a, b time.Time) bool {
		return a.Equal(b) && a.Format(time.RFC3339Nano) == b.Format(time.RFC3339Nano)
	}),
}

// TestFastDecodeAsV2: Zoom's documented answers, the seed documents' answers and the
// drift cases of the corpus, the bodies of the cells tests and full models decode on
// the fast path exactly as encoding/json/v2 decodes them, or go to it.
func TestFastDecodeAsV2(t *testing.T) {
	files, err := filepath.Glob("../test/testdata/corpus/*.json")
	if err != nil || len(files) < 40 {
		t.Fatalf("corpus: %d files, %v", len(files), err)
	}
	for _, f := range files {
		body, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(filepath.Base(f), func(t *testing.T) { fastAgainstV2(t, body) })
	}
	for i, answer := range answerTypes {
		full := reflect.ValueOf(answer()).Elem()
		fillValue(full, i)
		body, err := json.Marshal(full.Interface())
		if err != nil {
			t.Fatal(err)
		}
		t.Run(fmt.Sprintf("full %v", full.Type()), func(t *testing.T) { fastAgainstV2(t, body) })
	}
	for name, body := range fastCases {
		t.Run(name, func(t *testing.T) { fastAgainstV2(t, []byte(body)) })
	}
}

// fastCases are the edges of each scalar reader.
var fastCases = map[string]string{
	"nulls":            `{"email":null,"pmi":null,"use_pmi":null,"status":null,"created_at":null,"type":null,"custom_attributes":null,"group_ids":null}`,
	"null":             `null`,
	"empty arrays":     `{"group_ids":[],"custom_attributes":[],"login_types":[],"users":[]}`,
	"escaped name":     `{"e\u006dail":"a@b.c","\u0074ype":2}`,
	"case of names":    `{"EMAIL":"a@b.c","Type":2}`,
	"escapes":          `{"email":"a\"b\u00e9\ud83d\ude00\n","status":"act\u0069ve","first_name":""}`,
	"invalid UTF-8":    "{\"email\":\"a\xffb\",\"last_name\":\"\xc3\"}",
	"non-ASCII":        `{"first_name":"Zoë","last_name":"日本語"}`,
	"long string":      `{"email":"` + strings.Repeat("x", 3000) + `","first_name":"` + strings.Repeat("y", 200) + `"}`,
	"integers":         `{"pmi":-0,"zoom_one_type":-123456789012345678,"verified":0,"pronouns_option":3}`,
	"largest int64":    `{"pmi":9223372036854775807,"account_number":-9223372036854775808}`,
	"int64 overflow":   `{"pmi":9223372036854775808}`,
	"int overflow":     `{"type":99999999999999999999}`,
	"fraction":         `{"pmi":1.5}`,
	"exponent":         `{"pmi":1e3}`,
	"whole fraction":   `{"pmi":12.0}`,
	"bool as string":   `{"use_pmi":"true"}`,
	"string as bool":   `{"email":true}`,
	"object as string": `{"email":{}}`,
	"array for struct": `{"custom_attributes":{"key":"k"}}`,
	"duplicate":        `{"email":"a@b.c","email":"d@e.f"}`,
	"trailing data":    `{"email":"a@b.c"} {}`,
	"times":            `{"created_at":"2018-10-31T04:32:37Z","last_login_time":"2018-10-31T04:32:37.123456789+05:30","user_created_at":"2018-10-31T04:32:37-00:00"}`,
	"odd times":        `{"created_at":"2018-10-31t04:32:37z","last_login_time":"2018-10-31T04:32:37+24:00","user_created_at":"2018-10-31T4:32:37Z"}`,
	"more odd times":   `{"created_at":"2018-10-31T04:32:37,5Z","last_login_time":"2018-02-30T04:32:37Z","user_created_at":"2018-10-31T04:32:60Z"}`,
	"escaped time":     `{"created_at":"2018-10-31T04:32:37\u005a"}`,
	"floats":           `{"size":1.5e3,"capacity":-0.0}`,
	"settings":         `{"feature":{"meeting_capacity":300,"large_meeting":true},"in_meeting":{"chat":false,"breakout_room":null},"tsp":{"call_out_countries":["US","FR"]}}`,
	"union":            `{"schedule_meeting":{"host_video":true},"authentication_options":[{"id":"a","type":"enforce_login"}],"meeting_security":{"waiting_room":true}}`,
	"unknown members":  `{"nested":{"a":[1,{"b":null}]},"email":"a@b.c","x":true}`,
	"not an object":    `[{"email":"a@b.c"}]`,
	"string answer":    `"user"`,
}

// FuzzFastDecode: no body decodes on the fast path to anything but what
// encoding/json/v2 gives, and no body encoding/json/v2 takes is left to it.
func FuzzFastDecode(f *testing.F) {
	for _, body := range fastCases {
		f.Add([]byte(body))
	}
	for _, name := range []string{"zoom2025.user.json", "zoom2025.userSettings.json", "zoom2021.users.json", "drift.user.duplicate-keys.json"} {
		body, err := os.ReadFile(filepath.Join("../test/testdata/corpus", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(body)
	}
	f.Fuzz(func(t *testing.T, body []byte) { fastAgainstV2(t, body) })
}

// TestAnswerTypesCoverDecodedModels: the generated decoders cover every model the
// client decodes (the list the cells tests walk).
func TestAnswerTypesCoverDecodedModels(t *testing.T) {
	fast := map[reflect.Type]bool{}
	for _, answer := range answerTypes {
		fast[reflect.TypeOf(answer()).Elem()] = true
	}
	for _, m := range decodedModels {
		if !fast[m] {
			t.Errorf("%v has no generated decoder; run go generate ./...", m)
		}
	}
	if !fast[reflect.TypeFor[gen.UserSettings]()] {
		t.Error("the settings variants of a oneOf answer have no decoder")
	}
}

// TestReadIntRange: an integer beyond the field's range is left to encoding/json/v2,
// which refuses it (no model has a 32-bit field yet; int is one on 32-bit platforms).
func TestReadIntRange(t *testing.T) {
	for in, want := range map[string]bool{"2147483647": true, "-2147483648": true, "2147483648": false, "-2147483649": false} {
		var d fastDecoder
		d.dec.Reset(strings.NewReader(in))
		_, err := readInt[int32](&d)
		if ok := err == nil; ok != want {
			t.Errorf("%s into int32: err %v, want ok %v", in, err, want)
		}
		if ok := jsonv2.Unmarshal([]byte(in), new(int32)) == nil; ok != want {
			t.Errorf("%s into int32: encoding/json/v2 ok %v, want %v", in, ok, want)
		}
	}
}
