package zoomusers

import (
	"encoding/json"
	"errors"
	"reflect"

	"github.com/zoomkit/go-zoomusers/gen"
	"github.com/zoomkit/go-zoomusers/zoomusers/internal/decoding"
)

// Zoom adds fields and settings keys every month or two (ZOOM_FACTS.md, "Zoom keeps
// moving"), faster than any curated spec. The client decodes what its models declare and
// never fails on the rest; Undeclared hands the rest back, raw, so that a caller can use a
// key the day Zoom sends it, before the spec has it.

// UndeclaredKey is one key of an answer that the model it decoded into has no field for.
type UndeclaredKey struct {
	// Path locates the key in the answer, as Drift.Path does: division_codes,
	// users[3].new_field, in_meeting.new_setting.
	Path string
	// Value is the key's value as Zoom sent it.
	Value json.RawMessage
}

// Undeclared returns the keys of body, an answer's raw body, that model does not declare,
// in the order they arrived; model is a pointer to the value the answer decoded into (its
// type is what counts, not its contents). Get the body with WithResponseInto:
//
//	var resp zoomusers.Response
//	u, err := c.User(id).Get(ctx, nil, zoomusers.WithResponseInto(&resp))
//	extra, err := zoomusers.Undeclared(resp.Body, u)
//
// For a listing, pass the *UserPage a page was read into. Keys of a type that declares any key (an additionalProperties map) are declared.
func Undeclared(body []byte, model any) ([]UndeclaredKey, error) {
	s, err := inspect(body, model)
	if err != nil {
		return nil, err
	}
	out := make([]UndeclaredKey, len(s.Undeclared))
	for i, k := range s.Undeclared {
		out[i] = UndeclaredKey(k)
	}
	return out, nil
}

// AnswerSurvey compares one answer with its model: what `zoomusers doctor` reports.
type AnswerSurvey struct {
	// Undeclared are the keys the model has no field for (see Undeclared).
	Undeclared []UndeclaredKey
	// Seen are the model's fields present in the answer, as declared paths
	// (users[].pmi: indices written as []), sorted.
	Seen []string
	// OutsideEnum are values of enum fields that the spec does not list, with their
	// paths.
	OutsideEnum []UndeclaredKey
}

// SurveyAnswer compares body, an answer's raw body, with model, a pointer to the value it
// decoded into: the keys the model does not declare, the declared fields present, and
// enum values the spec does not list. DeclaredFields lists what could have been present.
func SurveyAnswer(body []byte, model any) (*AnswerSurvey, error) {
	s, err := inspect(body, model)
	if err != nil {
		return nil, err
	}
	out := &AnswerSurvey{Seen: s.Seen}
	for _, k := range s.Undeclared {
		out.Undeclared = append(out.Undeclared, UndeclaredKey(k))
	}
	for _, k := range s.OutsideEnum {
		out.OutsideEnum = append(out.OutsideEnum, UndeclaredKey(k))
	}
	return out, nil
}

// DeclaredFields lists every field path the type of model (a pointer) declares, as
// SurveyAnswer's Seen writes them, sorted.
func DeclaredFields(model any) []string {
	t := reflect.TypeOf(model)
	if t == reflect.TypeFor[*UserPage]() {
		t = reflect.TypeFor[*gen.UserList]()
	}
	if t == nil {
		return nil
	}
	return decoding.Declared(t)
}

// DeclaredParent is the declared path that holds p, such as users for users[].pmi, or ""
// for a top-level field.
func DeclaredParent(p string) string { return decoding.Parent(p) }

func inspect(body []byte, model any) (*decoding.Survey, error) {
	t := reflect.TypeOf(model)
	if t == reflect.TypeFor[*UserPage]() {
		t = reflect.TypeFor[*gen.UserList]() // a page is read from Zoom's listing answer
	}
	if t == nil || t.Kind() != reflect.Pointer {
		return nil, errors.New("zoomusers: Undeclared needs a pointer to the model the answer decoded into")
	}
	s, err := decoding.Inspect(body, t)
	if err != nil {
		return nil, errors.New("zoomusers: " + err.Error())
	}
	return s, nil
}
