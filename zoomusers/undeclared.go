package zoomusers

import (
	"encoding/json"
	"errors"
	"reflect"

	"github.com/zoomkit/go-zoomusers/gen"
	"github.com/zoomkit/go-zoomusers/internal/decoding"
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
