package zoomusers_test

import (
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/zoomkit/go-zoomusers/zoomusers"
)

// modelRoots are the models callers read and write; every type they reach is checked.
var modelRoots = []any{
	zoomusers.User{}, zoomusers.CreateUserRequest{}, zoomusers.CreatedUser{}, zoomusers.UserUpdate{},
	zoomusers.UserSummary{}, zoomusers.BulkFeatureUpdate{}, zoomusers.BulkFeatureResult{},
	zoomusers.Assistant{}, zoomusers.AssistantsAdded{}, zoomusers.Scheduler{}, zoomusers.CollaborationDevice{},
	zoomusers.MeetingTemplate{}, zoomusers.PresenceStatus{}, zoomusers.PresenceStatusUpdate{},
	zoomusers.VirtualBackgroundFile{}, zoomusers.UserSettings{}, zoomusers.MeetingAuthSettings{},
	zoomusers.RecordingAuthSettings{}, zoomusers.MeetingSecuritySettings{}, zoomusers.MeetingAuthUpdate{},
	zoomusers.RecordingAuthUpdate{},
}

// reachableStructs returns every struct type the roots reach through their fields.
func reachableStructs(t *testing.T) []reflect.Type {
	seen := map[reflect.Type]bool{}
	var out []reflect.Type
	var visit func(reflect.Type, string)
	visit = func(typ reflect.Type, where string) {
		for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice || typ.Kind() == reflect.Map {
			typ = typ.Elem()
		}
		if typ.Kind() != reflect.Struct || seen[typ] || typ == reflect.TypeFor[time.Time]() {
			return
		}
		if typ.Name() == "" {
			t.Errorf("%s is an anonymous struct", where)
			return
		}
		seen[typ] = true
		out = append(out, typ)
		for f := range typ.Fields() {
			if f.IsExported() {
				visit(f.Type, typ.Name()+"."+f.Name)
			}
		}
	}
	for _, r := range modelRoots {
		visit(reflect.TypeOf(r), reflect.TypeOf(r).Name())
	}
	return out
}

// TestAccessors checks every accessor of every reachable model: it exists for each
// optional field, is safe on a nil receiver, reads an absent field as the zero value
// (or nil, for a nested section), and returns what the field holds.
func TestAccessors(t *testing.T) {
	checked := 0
	for _, typ := range reachableStructs(t) {
		for f := range typ.Fields() {
			if !f.IsExported() || f.Type.Kind() != reflect.Pointer {
				continue
			}
			name := typ.Name() + ".Get" + f.Name
			m, ok := reflect.PointerTo(typ).MethodByName("Get" + f.Name)
			if !ok {
				t.Errorf("%s is missing", name)
				continue
			}
			elem := f.Type.Elem()
			section := elem.Kind() == reflect.Struct && elem != reflect.TypeFor[time.Time]()
			want := m.Type.Out(0)
			if section && want != f.Type || !section && want != elem {
				t.Errorf("%s returns %v, want %v", name, want, map[bool]reflect.Type{true: f.Type, false: elem}[section])
				continue
			}
			get := func(v reflect.Value) reflect.Value { return m.Func.Call([]reflect.Value{v})[0] }
			if got := get(reflect.Zero(reflect.PointerTo(typ))); !got.IsZero() {
				t.Errorf("%s on nil = %v, want the zero value", name, got)
			}
			v := reflect.New(typ)
			if got := get(v); !got.IsZero() {
				t.Errorf("%s with the field absent = %v, want the zero value", name, got)
			}
			val := reflect.New(elem)
			fill(val.Elem())
			v.Elem().FieldByIndex(f.Index).Set(val)
			got := get(v)
			if section {
				if got.Pointer() != val.Pointer() {
					t.Errorf("%s does not return the section itself", name)
				}
			} else if !reflect.DeepEqual(got.Interface(), val.Elem().Interface()) {
				t.Errorf("%s = %v, want %v", name, got, val.Elem())
			}
			checked++
		}
	}
	if checked < 300 {
		t.Errorf("checked %d accessors; the models have over 300 optional fields", checked)
	}
}

// fill sets v to a non-zero value of its type.
func fill(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		v.SetString("x")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int32, reflect.Int64:
		v.SetInt(7)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(1.5)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			v.Set(reflect.ValueOf(time.Unix(1, 0)))
		}
	}
}

func TestEnumStrings(t *testing.T) {
	for _, c := range []struct {
		v    interface{ String() string }
		want string
	}{
		{zoomusers.UserTypeBasic, "Basic"},
		{zoomusers.UserTypeLicensed, "Licensed"},
		{zoomusers.UserTypeUnassigned, "Unassigned without Meetings Basic"},
		{zoomusers.UserTypeNone, "None"},
		{zoomusers.UserType(7), "7"}, // undocumented: the raw value
		{zoomusers.LoginTypeSSO, "Single sign-on"},
		{zoomusers.LoginTypeFacebook, "Facebook"},
		{zoomusers.PronounsOptionNever, "Never shown"},
		{zoomusers.AttendeesChatWithNoOne, "No one"},
		{zoomusers.WaitingRoomAdmittersHosts, "Host and co-hosts"},
		{zoomusers.UserStatusActive, "active"},
		{zoomusers.UserStatusActionClockIn, "clock_in"},
	} {
		if got := c.v.String(); got != c.want {
			t.Errorf("%T %#v: String() = %q, want %q", c.v, c.v, got, c.want)
		}
	}
}

// TestIntegerEnumsHaveLabels: every integer enum a model reaches prints a label for its
// documented values, never the raw-number fallback.
func TestIntegerEnumsHaveLabels(t *testing.T) {
	values := map[string][]int64{ // each enum's values, as the spec lists them
		"UserType": {1, 2, 3, 4, 99}, "LoginType": {0, 1, 11, 21, 23, 24, 27, 97, 98, 99, 100, 101},
		"PronounsOption": {1, 2, 3}, "UserVerified": {0, 1},
		"ZoomEventsCapacity":   {500, 1000, 3000, 5000, 10000, 20000, 30000, 50000},
		"ParticipantsChatWith": {1, 2, 3, 4}, "MeetingChatSaving": {1, 2, 3},
		"AttendeesChatWith": {1, 2, 3}, "PanelistsChatWith": {1, 2}, "WebinarChatSaving": {0, 1, 2},
		"DefaultAttendeesChatWith": {1, 2}, "SummaryRecipients": {1, 2, 3, 4}, "QuestionAskers": {1, 2, 3, 4, 5},
		"CloudRecordingRetention": {30, 60, 90, 120}, "ConsecutiveCharacters": {0, 4, 5, 6, 7, 8},
		"WaitingRoomPlacement": {0, 1, 2}, "WaitingRoomAdmitters": {0, 1},
	}
	stringer := reflect.TypeFor[interface{ String() string }]()
	found := map[string]bool{}
	for _, typ := range reachableStructs(t) {
		for f := range typ.Fields() {
			e := f.Type
			for e.Kind() == reflect.Pointer || e.Kind() == reflect.Slice {
				e = e.Elem()
			}
			if e.Kind() != reflect.Int || e.Name() == "int" {
				continue
			}
			found[e.Name()] = true
			vals, ok := values[e.Name()]
			if !ok {
				t.Errorf("%s.%s: integer enum %s is not in this test's table", typ.Name(), f.Name, e.Name())
				continue
			}
			if !e.Implements(stringer) {
				t.Errorf("%s has no String method", e.Name())
				continue
			}
			for _, n := range vals {
				v := reflect.New(e).Elem()
				v.SetInt(n)
				if s := v.Interface().(interface{ String() string }).String(); s == "" || s == strconv.FormatInt(n, 10) {
					t.Errorf("%s(%d).String() = %q, want Zoom's label", e.Name(), n, s)
				}
			}
		}
	}
	for name := range values {
		if !found[name] {
			t.Errorf("%s is in the table but no model reaches it", name)
		}
	}
}

func TestPtr(t *testing.T) {
	p := zoomusers.Ptr("Engineer")
	q := zoomusers.Ptr("Engineer")
	if *p != "Engineer" || p == q {
		t.Errorf("Ptr returned %p and %p holding %q", p, q, *p)
	}
}
