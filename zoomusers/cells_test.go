package zoomusers

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/google/go-cmp/cmp"

	"github.com/zoomkit/go-zoomusers/gen"
)

// decodedModels are the types the client decodes answers into.
var decodedModels = []reflect.Type{
	reflect.TypeFor[gen.User](), reflect.TypeFor[gen.UserList](), reflect.TypeFor[gen.UserSettings](),
	reflect.TypeFor[gen.UserSummary](), reflect.TypeFor[gen.CreatedUser](), reflect.TypeFor[gen.AssistantsAdded](),
	reflect.TypeFor[gen.BulkFeatureResult](), reflect.TypeFor[gen.CollaborationDevice](),
	reflect.TypeFor[gen.MeetingTemplate](), reflect.TypeFor[gen.PresenceStatus](),
	reflect.TypeFor[gen.VirtualBackgroundFile](), reflect.TypeFor[gen.AssistantList](),
	reflect.TypeFor[gen.CollaborationDeviceList](), reflect.TypeFor[gen.EmailCheck](),
	reflect.TypeFor[gen.SchedulerList](), reflect.TypeFor[gen.UserPermissions](),
	reflect.TypeFor[gen.VanityNameCheck](),
}

// TestCellsCoverModels: every optional scalar field of the decoded models has its
// target carved from cells; a type the models add must be listed in cells.carvers.
func TestCellsCoverModels(t *testing.T) {
	covered := map[reflect.Type]bool{}
	for _, cv := range new(cells).carvers() {
		covered[cv.typ] = true
	}
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type, string)
	walk = func(typ reflect.Type, where string) {
		if seen[typ] {
			return
		}
		seen[typ] = true
		switch typ.Kind() {
		case reflect.Pointer:
			if e := typ.Elem(); e == reflect.TypeFor[time.Time]() || e.Kind() <= reflect.Float64 || e.Kind() == reflect.String {
				if !covered[typ] {
					t.Errorf("%s: %v is not decoded from cells; add it to cells.carvers (cells.go)", where, typ)
				}
				return
			}
			walk(typ.Elem(), where)
		case reflect.Slice, reflect.Array, reflect.Map:
			walk(typ.Elem(), where+"[]")
		case reflect.Struct:
			for i := range typ.NumField() {
				if f := typ.Field(i); f.IsExported() {
					walk(f.Type, typ.Name()+"."+f.Name)
				}
			}
		}
	}
	for _, m := range decodedModels {
		walk(m, m.Name())
	}
	if len(seen) < 100 {
		t.Fatalf("walked %d types: the walk misses the models", len(seen))
	}
}

// TestCellsDecodeAsWithout: decoding with cells gives what decoding without them
// gives, for full answers, absent and null fields, values that fail, and a field
// whose pointer is already set.
func TestCellsDecodeAsWithout(t *testing.T) {
	full := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	bodies := []struct {
		name string
		typ  reflect.Type
		body string
	}{
		{"full user", reflect.TypeFor[gen.User](), full(filled[gen.User](1))},
		{"full page", reflect.TypeFor[gen.UserList](), full(gen.UserList{Users: &[]gen.User{filled[gen.User](1), filled[gen.User](7), {}}})},
		{"full settings", reflect.TypeFor[gen.UserSettings](), full(filled[gen.UserSettings](3))},
		{"nulls", reflect.TypeFor[gen.User](), `{"email":null,"pmi":null,"use_pmi":null,"status":null,"created_at":null,"type":1}`},
		{"absent", reflect.TypeFor[gen.User](), `{"type":2}`},
		{"many users", reflect.TypeFor[gen.UserList](), `{"users":[` + strings.Repeat(`{"email":"a@b.c","pmi":1,"use_pmi":true,"status":"active","verified":1},`, 40) + `{}]}`},
		{"string for int", reflect.TypeFor[gen.User](), `{"pmi":"123","email":"x@y.z"}`},
		{"number for string", reflect.TypeFor[gen.User](), `{"email":5}`},
		{"bad time", reflect.TypeFor[gen.User](), `{"created_at":"yesterday"}`},
		{"duplicate", reflect.TypeFor[gen.User](), `{"email":"a@b.c","email":"d@e.f"}`},
		{"escapes", reflect.TypeFor[gen.User](), `{"email":"a\"b\u00e9\ud83d\ude00\n","status":"act\u0069ve","first_name":""}`},
		{"invalid UTF-8", reflect.TypeFor[gen.User](), "{\"email\":\"a\xffb\",\"last_name\":\"\xc3\"}"},
		{"integers", reflect.TypeFor[gen.User](), `{"pmi":-0,"zoom_one_type":-123456789012345678,"verified":0,"pronouns_option":3}`},
		{"largest int64", reflect.TypeFor[gen.User](), `{"pmi":9223372036854775807,"zoom_one_type":-9223372036854775808}`},
		{"int64 overflow", reflect.TypeFor[gen.User](), `{"pmi":9223372036854775808}`},
		{"fraction", reflect.TypeFor[gen.User](), `{"pmi":1.5}`},
		{"exponent", reflect.TypeFor[gen.User](), `{"pmi":1e3,"zoom_one_type":2E1}`},
		{"whole fraction", reflect.TypeFor[gen.User](), `{"pmi":12.0}`},
		{"bools", reflect.TypeFor[gen.User](), `{"use_pmi":false}`},
		{"bool as string", reflect.TypeFor[gen.User](), `{"use_pmi":"true"}`},
		{"string as bool", reflect.TypeFor[gen.User](), `{"email":true}`},
	}
	for _, b := range bodies {
		t.Run(b.name, func(t *testing.T) {
			without := reflect.New(b.typ)
			errWithout := jsonv2.Unmarshal([]byte(b.body), without.Interface(), decodeOptions)
			c := getCells()
			with := reflect.New(b.typ)
			errWith := jsonv2.Unmarshal([]byte(b.body), with.Interface(), c.opts)
			putCells(c)
			if (errWith == nil) != (errWithout == nil) {
				t.Fatalf("error with cells %v, without %v", errWith, errWithout)
			}
			if errWith == nil {
				if diff := cmp.Diff(without.Interface(), with.Interface()); diff != "" {
					t.Errorf("with cells (+) against without (-):\n%s", diff)
				}
			}
		})
	}

	t.Run("pointer already set", func(t *testing.T) {
		email := "old@example.com"
		u := gen.User{Email: &email}
		c := getCells()
		defer putCells(c)
		if err := jsonv2.Unmarshal([]byte(`{"email":"new@example.com"}`), &u, c.opts); err != nil {
			t.Fatal(err)
		}
		if u.Email != &email || email != "new@example.com" {
			t.Errorf("email %q at %p, want the existing target %p updated", *u.Email, u.Email, &email)
		}
	})
}

// TestCellsAnswersIndependent: the cells of one answer are never handed to the next, so
// decoding a second answer leaves the first one's values as they were.
func TestCellsAnswersIndependent(t *testing.T) {
	var first, second gen.User
	if _, err := unmarshal([]byte(`{"email":"first@example.com","pmi":1,"use_pmi":true}`), &first); err != nil {
		t.Fatal(err)
	}
	if _, err := unmarshal([]byte(`{"email":"second@example.com","pmi":2,"use_pmi":false}`), &second); err != nil {
		t.Fatal(err)
	}
	if first.GetEmail() != "first@example.com" || first.GetPMI() != 1 || !first.GetUsePMI() {
		t.Errorf("first user changed by the second decode: %s %d %v", first.GetEmail(), first.GetPMI(), first.GetUsePMI())
	}
	if second.GetEmail() != "second@example.com" || second.GetPMI() != 2 || second.GetUsePMI() {
		t.Errorf("second user: %s %d %v", second.GetEmail(), second.GetPMI(), second.GetUsePMI())
	}
}

// TestCellsAllocations: the optional fields of a user cost a few chunks, not one
// allocation each.
func TestCellsAllocations(t *testing.T) {
	body := []byte(`{"id":"u1","email":"a@b.c","first_name":"A","last_name":"B","dept":"D","timezone":"UTC","role_name":"Member","pmi":1234567890,"use_pmi":true,"status":"active","verified":1,"pronouns_option":1,"zoom_one_type":4,"user_created_at":"2024-01-02T03:04:05Z","type":1}`)
	withCells := testing.AllocsPerRun(200, func() {
		var u gen.User
		if _, err := unmarshal(body, &u); err != nil {
			t.Fatal(err)
		}
	})
	without := testing.AllocsPerRun(200, func() {
		var u gen.User
		if err := jsonv2.Unmarshal(body, &u, decodeOptions); err != nil {
			t.Fatal(err)
		}
	})
	// 14 optional fields: 14 targets without cells, 5 chunks (string, bool, int,
	// int64, time) with them.
	if withCells > without-8 {
		t.Errorf("%v allocations with cells, %v without: want at least 8 fewer", withCells, without)
	}
}
