package decoding

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// Survey is what an answer holds beside what its model declares: the keys the model has
// no field for, the declared fields that were present, and the enum values the spec
// does not list. It is how a caller reaches keys newer than the spec (zoomusers.Undeclared)
// and how `zoomusers doctor` compares an account with the spec.
type Survey struct {
	// Undeclared are the keys the model does not declare, in the order they arrived,
	// each with its value as it arrived.
	Undeclared []Key
	// Seen are the declared fields present in the answer, as schema paths (declared
	// paths, see Declared), sorted, each once.
	Seen []string
	// OutsideEnum are the values of enum fields that the spec does not list.
	OutsideEnum []Key
}

// Key is one value of an answer at its path, such as users[3].division_code or
// in_meeting.new_setting.
type Key struct {
	Path  string
	Value json.RawMessage
}

// validator is what generated enum types implement.
type validator interface{ Valid() bool }

var validatorType = reflect.TypeFor[validator]()

// Inspect walks body along t, the model it decodes into. A body that is not JSON is an
// error. Values whose type differs from the model's (drift) are walked as the decoder
// repairs them: one object where an array is declared is walked as its element.
func Inspect(body []byte, t reflect.Type) (*Survey, error) {
	raw := jsontext.Value(bytes.TrimSpace(body))
	if !raw.IsValid(scanOptions) {
		return nil, fmt.Errorf("the answer is not JSON")
	}
	s := &surveyor{seen: map[string]bool{}}
	s.walk(raw, t, nil, "")
	out := &Survey{Undeclared: s.undeclared, OutsideEnum: s.enums}
	for p := range s.seen {
		out.Seen = append(out.Seen, p)
	}
	slices.Sort(out.Seen)
	return out, nil
}

type surveyor struct {
	undeclared []Key
	enums      []Key
	seen       map[string]bool
}

// walk visits raw where the model declares t; p is its path in the answer, schema its
// declared path (indices written as []).
func (s *surveyor) walk(raw jsontext.Value, t reflect.Type, p *path, schema string) {
	t = elemType(t)
	if raw.Kind() == 'n' {
		return
	}
	if t.Implements(validatorType) || reflect.PointerTo(t).Implements(validatorType) {
		v := reflect.New(t)
		if jsonv2.Unmarshal(raw, v.Interface(), decodeOptions) == nil && !v.Interface().(validator).Valid() {
			s.enums = append(s.enums, Key{Path: p.String(), Value: clone(raw)})
		}
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		if raw.Kind() != '{' || t == timeType {
			return
		}
		fields := fieldsOf(t)
		if hasJSONMethods(t) && len(fields.byName) == 0 {
			return // a union or a type that reads itself: its shape is its own
		}
		for _, m := range readMembers(raw) {
			ft, known := fields.byName[m.name]
			if !known {
				if fields.extras == nil {
					s.undeclared = append(s.undeclared, Key{Path: p.key(m.name).String(), Value: clone(m.value)})
				}
				continue // an additionalProperties map declares any key
			}
			fs := join(schema, m.name)
			s.seen[fs] = true
			s.walk(m.value, ft, p.key(m.name), fs)
		}
	case reflect.Map:
		if raw.Kind() != '{' {
			return
		}
		for _, m := range readMembers(raw) {
			s.walk(m.value, t.Elem(), p.key(m.name), schema+".*")
		}
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return
		}
		if raw.Kind() != '[' {
			s.walk(raw, t.Elem(), p, schema+"[]") // one element where an array is declared
			return
		}
		for i, e := range readElements(raw) {
			s.walk(e, t.Elem(), p.at(i), schema+"[]")
		}
	}
}

func join(schema, name string) string {
	if schema == "" {
		return name
	}
	return schema + "." + name
}

func clone(v jsontext.Value) json.RawMessage { return append(json.RawMessage(nil), v...) }

// Declared lists every field path model type t declares, such as "users[].pmi" or
// "in_meeting.chat", sorted. Maps and types that decode themselves (unions) end a
// path; a type met again inside itself is not followed twice.
func Declared(t reflect.Type) []string {
	return declaredWhere(t, func(reflect.Type) bool { return true })
}

// Enums lists the declared paths, as Declared writes them, whose values are the spec's
// enums (a generated type with a Valid method, or an array of one): the only values
// `zoomusers doctor` shares as they arrived (internal/scrub).
func Enums(t reflect.Type) []string {
	return declaredWhere(t, func(ft reflect.Type) bool {
		ft = elemType(ft)
		for ft.Kind() == reflect.Slice || ft.Kind() == reflect.Array {
			ft = elemType(ft.Elem())
		}
		return ft.Implements(validatorType) || reflect.PointerTo(ft).Implements(validatorType)
	})
}

// declaredWhere lists the declared paths of t whose field type is kept by want.
func declaredWhere(t reflect.Type, want func(reflect.Type) bool) []string {
	var out []string
	var walk func(t reflect.Type, prefix string, stack []reflect.Type)
	walk = func(t reflect.Type, prefix string, stack []reflect.Type) {
		t = elemType(t)
		for t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
			if t.Elem().Kind() == reflect.Uint8 {
				return
			}
			t, prefix = elemType(t.Elem()), prefix+"[]"
		}
		if t.Kind() != reflect.Struct || t == timeType || slices.Contains(stack, t) || t.Implements(validatorType) {
			return
		}
		fields := fieldsOf(t)
		stack = append(stack, t)
		for name, ft := range fields.byName {
			fp := join(prefix, name)
			if want(ft) {
				out = append(out, fp)
			}
			walk(ft, fp, stack)
		}
	}
	walk(t, "", nil)
	slices.Sort(out)
	return out
}

// Parent is the declared path that holds p ("" for a top-level field).
func Parent(p string) string {
	i := strings.LastIndexByte(p, '.')
	if i < 0 {
		return ""
	}
	return strings.TrimRight(p[:i], "[]")
}
