package corpus

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/zoomkit/go-zoomusers/zoomusers"
)

// Intact compares an answer body with what the client decoded from it and lists every
// value that went missing or changed without a drift saying so. Walking body along the
// decoded Go value: each member the model declares must hold the value the body sent;
// where a drift reports the value dropped, the model must read it as absent (a nil
// pointer, or an element left out of its array), never as false or zero; where a drift
// reports it coerced, the model must hold the same text. Members the model does not
// declare are skipped, and of a repeated key the last value is the one compared.
//
// at is where got sits in body, as a drift path ("" for the whole body, "users" for a
// listing's users).
func Intact(body []byte, at string, got any, drifts []zoomusers.Drift) []string {
	raw := jsontext.Value(bytes.TrimSpace(body))
	for _, seg := range splitPath(at) {
		raw = memberValue(raw, seg)
		if raw == nil {
			return []string{fmt.Sprintf("%s: not in the body", at)}
		}
	}
	w := walker{dropped: map[string]int{}, coerced: map[string]int{}}
	for _, d := range drifts {
		switch d.Action {
		case zoomusers.DriftDropped:
			w.dropped[d.Path]++
		case zoomusers.DriftCoerced:
			w.coerced[d.Path]++
		}
	}
	w.walk(raw, reflect.ValueOf(got), at, 0, false)
	return w.problems
}

type walker struct {
	dropped, coerced map[string]int
	problems         []string
}

func (w *walker) fail(path, format string, args ...any) {
	w.problems = append(w.problems, path+": "+fmt.Sprintf(format, args...))
}

// walk compares raw with v at path. dups is how many earlier values of the same key
// were dropped as duplicates, so that only drops beyond them concern this value.
func (w *walker) walk(raw jsontext.Value, v reflect.Value, path string, dups int, coercedHere bool) {
	if w.dropped[path] > dups {
		for v.Kind() == reflect.Interface && !v.IsNil() {
			v = v.Elem()
		}
		if v.Kind() == reflect.Pointer && !v.IsNil() {
			w.fail(path, "reported dropped, yet reads as %v", v.Elem())
		}
		return
	}
	if raw.Kind() == 'n' {
		return
	}
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			w.fail(path, "%s arrived and no drift reports it, yet it reads as absent", short(raw))
			return
		}
		v = v.Elem()
	}
	if !coercedHere && w.coerced[path] > 0 {
		switch {
		case v.Kind() == reflect.Slice && raw.Kind() != '[' && v.Type().Elem().Kind() != reflect.Uint8:
			if v.Len() != 1 {
				w.fail(path, "one value kept as %d elements", v.Len())
				return
			}
			w.walk(raw, v.Index(0), path, 0, true)
		case raw.Kind() == '[' && v.Kind() != reflect.Slice:
			w.walk(elements(raw)[0], v, path, 0, true)
		default:
			if got, want := scalar(v), text(raw); !sameNumber(got, want) && got != want {
				w.fail(path, "coerced %s into %q", short(raw), got)
			}
		}
		return
	}
	if v.Type() == reflect.TypeFor[time.Time]() {
		want, err := time.Parse(time.RFC3339Nano, text(raw))
		if got := v.Interface().(time.Time); err != nil || !got.Equal(want) {
			w.fail(path, "time %s read as %v", short(raw), got)
		}
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		if raw.Kind() != '{' {
			w.fail(path, "%s kept in a struct without a drift", short(raw))
			return
		}
		fields := jsonFields(v.Type())
		for name, m := range lastMembers(raw) {
			if i, ok := fields[name]; ok {
				w.walk(m.value, v.Field(i), join(path, name), m.earlier, false)
			}
		}
	case reflect.Map:
		for name, m := range lastMembers(raw) {
			mp := join(path, name)
			e := v.MapIndex(reflect.ValueOf(name).Convert(v.Type().Key()))
			if !e.IsValid() {
				if w.dropped[mp] <= m.earlier {
					w.fail(mp, "%s missing from the map without a drift", short(m.value))
				}
				continue
			}
			w.walk(m.value, e, mp, m.earlier, false)
		}
	case reflect.Slice, reflect.Array:
		if raw.Kind() != '[' {
			w.fail(path, "%s kept as an array without a drift", short(raw))
			return
		}
		j := 0
		for i, e := range elements(raw) {
			ep := fmt.Sprintf("%s[%d]", path, i)
			if w.dropped[ep] > 0 && w.coerced[ep] == 0 {
				continue // left out of the array
			}
			if j >= v.Len() {
				w.fail(ep, "%s missing from the array without a drift", short(e))
				return
			}
			w.walk(e, v.Index(j), ep, 0, false)
			j++
		}
		if j != v.Len() {
			w.fail(path, "%d elements arrived and %d are kept", j, v.Len())
		}
	case reflect.Interface:
		var a, b any
		gotJSON, _ := json.Marshal(v.Interface())
		if json.Unmarshal(gotJSON, &a) != nil || json.Unmarshal(raw, &b) != nil || !reflect.DeepEqual(a, b) {
			w.fail(path, "%s read as %s", short(raw), gotJSON)
		}
	case reflect.String:
		if raw.Kind() != '"' || text(raw) != v.String() {
			w.fail(path, "%s read as %q", short(raw), v.String())
		}
	case reflect.Bool:
		if string(raw) != strconv.FormatBool(v.Bool()) {
			w.fail(path, "%s read as %v", short(raw), v.Bool())
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if string(raw) != strconv.FormatInt(v.Int(), 10) {
			w.fail(path, "%s read as %d", short(raw), v.Int())
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if string(raw) != strconv.FormatUint(v.Uint(), 10) {
			w.fail(path, "%s read as %d", short(raw), v.Uint())
		}
	case reflect.Float32, reflect.Float64:
		if !sameNumber(string(raw), strconv.FormatFloat(v.Float(), 'g', -1, 64)) {
			w.fail(path, "%s read as %v", short(raw), v.Float())
		}
	default:
		w.fail(path, "cannot compare a %v", v.Type())
	}
}

type lastMember struct {
	value   jsontext.Value
	earlier int // values of the same key before this one
}

func lastMembers(raw jsontext.Value) map[string]lastMember {
	out := map[string]lastMember{}
	dec := jsontext.NewDecoder(bytes.NewReader(raw), jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
	if _, err := dec.ReadToken(); err != nil {
		return out
	}
	for dec.PeekKind() != '}' {
		tok, err := dec.ReadToken()
		if err != nil {
			return out
		}
		name := tok.String()
		v, err := dec.ReadValue()
		if err != nil {
			return out
		}
		m, seen := out[name]
		if seen {
			m.earlier++
		}
		m.value = bytes.Clone(v)
		out[name] = m
	}
	return out
}

func memberValue(raw jsontext.Value, name string) jsontext.Value {
	if raw.Kind() != '{' {
		return nil
	}
	return lastMembers(raw)[name].value
}

func elements(raw jsontext.Value) []jsontext.Value {
	dec := jsontext.NewDecoder(bytes.NewReader(raw), jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
	if _, err := dec.ReadToken(); err != nil {
		return nil
	}
	var out []jsontext.Value
	for dec.PeekKind() != ']' {
		v, err := dec.ReadValue()
		if err != nil {
			return out
		}
		out = append(out, bytes.Clone(v))
	}
	return out
}

// jsonFields maps the JSON names of t's fields to their indexes (the generated models
// have no embedded fields).
func jsonFields(t reflect.Type) map[string]int {
	out := map[string]int{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = i
	}
	return out
}

// join builds a path as the client's drifts spell it.
func join(path, name string) string {
	ident := name != ""
	for _, c := range name {
		if c != '_' && c != '-' && (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			ident = false
		}
	}
	switch {
	case !ident:
		return path + "[" + strconv.Quote(name) + "]"
	case path == "":
		return name
	}
	return path + "." + name
}

func splitPath(p string) []string {
	if p == "" {
		return nil
	}
	return strings.Split(p, ".")
}

func text(raw jsontext.Value) string {
	if raw.Kind() == '"' {
		s, _ := jsontext.AppendUnquote(nil, raw)
		return string(s)
	}
	return string(raw)
}

func sameNumber(a, b string) bool {
	x, errA := strconv.ParseFloat(a, 64)
	y, errB := strconv.ParseFloat(b, 64)
	return errA == nil && errB == nil && x == y
}

func short(raw jsontext.Value) string {
	if len(raw) > 60 {
		return string(raw[:60]) + "…"
	}
	return string(raw)
}

// scalar is the text of a scalar value, without the String method an enum type has
// (UserVerified 1 prints as "Verified").
func scalar(v reflect.Value) string {
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10)
	case reflect.String:
		return v.String()
	}
	return fmt.Sprint(v.Interface())
}
