// Package settingspec knows which user settings exist and what values they take, as
// api/openapi.yaml declares them, so that a setting is refused before any request: Zoom
// ignores keys it does not know and answers 204 all the same, so a misspelt key would
// otherwise change nothing without a word. A key newer than the spec is not refused
// for that alone: with Options.AllowUnknown, ApplyAndReadBack sends it as given, and the
// settings read back after the change say, key by key, whether Zoom took it.
//
// The settable keys are those of the body PATCH takes (the spec's write model,
// UserSettingsChange), not those GET answers: a key Zoom only answers, such as
// whiteboard, is refused with a *ReadOnlyError, and a key Zoom takes but never
// answers, such as enforce_fips_mode, is settable and marked Field.WriteOnly.
//
// Paths are the settings' JSON keys joined by dots, as in the body of
// PATCH /users/{userId}/settings: "schedule_meeting.host_video",
// "in_meeting.webinar_chat.allow_panelists_chat_with". The meeting_security variant,
// sent with option=meeting_security, has paths under "meeting_security.".
//
//	f, err := settingspec.Lookup("schedule_meeting.host_video")
//	v, err := f.Parse("true") // true, or an error naming the key and the expected type
//	err = settingspec.Apply(ctx, c.User("ada@example.com"), map[string]any{f.Path: v})
package settingspec

//go:generate go run ../../internal/cmd/gensettings -spec ../../api/openapi.yaml -out fields_gen.go

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/zoomkit/go-zoomusers/internal/editdistance"
	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/internal/dotpath"
)

// Kind is the JSON type of a setting.
type Kind int

// Kinds of settings.
const (
	Bool Kind = iota + 1
	Integer
	Number
	String
	Object
	List // a JSON array of Elem
	// Any is a setting the spec declares without a type (Zoom's changelog names it and not
	// its type): any JSON value.
	Any
)

// String names the kind as the spec does.
func (k Kind) String() string {
	switch k {
	case Bool:
		return "boolean"
	case Integer:
		return "integer"
	case Number:
		return "number"
	case String:
		return "string"
	case Object:
		return "object"
	case List:
		return "array"
	case Any:
		return "any"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Field is one settable setting.
type Field struct {
	Path string // the JSON keys from the body's root, joined by dots
	// Option is the option query parameter the setting is sent with: "" for the full
	// settings, "meeting_security" for that variant.
	Option     string
	Kind       Kind
	Elem       Kind     // the kind of a List's elements
	Enum       []string // the allowed values (of the elements, for a List), as text; empty for any
	Min, Max   *float64 // bounds of a number
	MaxLength  uint64   // bound of a string's length; 0 for none
	Deprecated bool
	// WriteOnly is a setting Zoom takes but never answers (writeOnly in the spec, such as
	// enforce_fips_mode): reading the settings back cannot tell whether it was applied.
	WriteOnly bool
}

// index finds a field by path.
var index = func() map[string]int {
	m := make(map[string]int, len(fields))
	for i, f := range fields {
		m[f.Path] = i
	}
	return m
}()

// Fields returns every settable setting, sorted by path.
func Fields() []Field { return slices.Clone(fields) }

// UnknownError is a path the spec does not declare.
type UnknownError struct {
	Path string
	// Near are declared paths that resemble Path, best first (at most five).
	Near []string
}

func (e *UnknownError) Error() string {
	msg := fmt.Sprintf("unknown setting %q: the API spec declares no such key", e.Path)
	if section, _, ok := strings.Cut(e.Path, "."); ok && !knownSection(section) {
		msg = fmt.Sprintf("unknown setting %q: no section %q; the sections are %s", e.Path, section, strings.Join(Sections(), ", "))
	}
	if len(e.Near) > 0 {
		msg += "; did you mean " + strings.Join(e.Near, ", ") + "?"
	}
	return msg
}

// ReadOnlyError is a setting Zoom answers but does not take: it is in the settings GET
// answers (UserSettings in the spec) and not in the body PATCH takes (UserSettingsChange),
// such as audio_conferencing and whiteboard. Zoom would answer 204 and change nothing.
type ReadOnlyError struct {
	Path string
}

func (e *ReadOnlyError) Error() string {
	return fmt.Sprintf("setting %q is read only: Zoom answers it but a settings change cannot set it", e.Path)
}

// ValueError is a value a setting does not take.
type ValueError struct {
	Path  string
	Value string // the value given, as text
	Want  string // what the setting takes, as Field.Want says
}

func (e *ValueError) Error() string {
	return fmt.Sprintf("setting %s takes %s, not %s", e.Path, e.Want, e.Value)
}

// Sections returns the first keys of the settable paths.
func Sections() []string {
	var out []string
	for _, f := range fields {
		s, _, _ := strings.Cut(f.Path, ".")
		if len(out) == 0 || out[len(out)-1] != s {
			out = append(out, s)
		}
	}
	return slices.Compact(out)
}

func knownSection(s string) bool { return slices.Contains(Sections(), s) }

// Lookup returns the setting at path; a *ReadOnlyError for a setting Zoom answers but
// does not take (or a section holding only such settings); or an *UnknownError that
// suggests similar paths.
func Lookup(path string) (Field, error) {
	if i, ok := index[path]; ok {
		return fields[i], nil
	}
	if isReadOnly(path) {
		return Field{}, &ReadOnlyError{Path: path}
	}
	return Field{}, &UnknownError{Path: path, Near: near(path)}
}

// isReadOnly reports whether path is a read-only setting, or a section under which every
// setting is read only.
func isReadOnly(path string) bool {
	if slices.ContainsFunc(readOnly, func(r string) bool { return path == r || strings.HasPrefix(path, r+".") }) {
		return true
	}
	under := func(p string) bool { return strings.HasPrefix(p, path+".") }
	return slices.ContainsFunc(readOnly, under) && !slices.ContainsFunc(fields, func(f Field) bool { return under(f.Path) })
}

// near returns up to five declared paths that share path's last key, or its section and
// a similar last key.
func near(path string) []string {
	section, _, _ := strings.Cut(path, ".")
	last := path[strings.LastIndex(path, ".")+1:]
	type cand struct {
		path string
		d    int
	}
	var cands []cand
	for _, f := range fields {
		fl := f.Path[strings.LastIndex(f.Path, ".")+1:]
		fs, _, _ := strings.Cut(f.Path, ".")
		d := editdistance.Levenshtein(last, fl)
		switch {
		case fl == last:
			d = 0
		case fs == section && d <= max(2, len(last)/4):
		case strings.Contains(fl, last) && len(last) >= 4 && fs == section:
			d = 3
		default:
			continue
		}
		cands = append(cands, cand{f.Path, d})
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].d < cands[j].d })
	var out []string
	for _, c := range cands[:min(5, len(cands))] {
		out = append(out, c.path)
	}
	return out
}

// Want describes the values the setting takes, for a person: "true or false", "one of
// host, all", "an integer from 0 to 10", "a list of strings (comma-separated or a JSON
// array)".
func (f Field) Want() string {
	switch f.Kind {
	case List:
		elem := Field{Kind: f.Elem, Enum: f.Enum}
		if f.Elem == Object {
			return "a JSON array of objects"
		}
		return "a list (comma-separated or a JSON array) of " + plural(elem.Want())
	case Bool:
		return "true or false"
	case Object:
		return "a JSON object"
	case Any:
		return "any JSON value (the spec does not know its type), or text sent as a string"
	}
	if len(f.Enum) > 0 {
		return "one of " + strings.Join(f.Enum, ", ")
	}
	switch f.Kind {
	case Integer:
		return "an integer" + bounds(f)
	case Number:
		return "a number" + bounds(f)
	}
	if f.MaxLength > 0 {
		return fmt.Sprintf("a string of at most %d characters", f.MaxLength)
	}
	return "a string"
}

func plural(want string) string {
	for _, p := range [][2]string{{"an integer", "integers"}, {"a number", "numbers"}, {"a string", "strings"}, {"one of", "values, each one of"}} {
		if rest, ok := strings.CutPrefix(want, p[0]); ok {
			return p[1] + rest
		}
	}
	return want
}

func bounds(f Field) string {
	switch {
	case f.Min != nil && f.Max != nil:
		return fmt.Sprintf(" from %g to %g", *f.Min, *f.Max)
	case f.Min != nil:
		return fmt.Sprintf(" of at least %g", *f.Min)
	case f.Max != nil:
		return fmt.Sprintf(" of at most %g", *f.Max)
	}
	return ""
}

// Parse reads a value for the setting from text, as typed on a command line or in a CSV
// cell: true/false, a number, a string, or for a list comma-separated values or a JSON
// array. It returns the value as it will be sent (bool, int64, float64, string, []any or
// map[string]any), or a *ValueError.
func (f Field) Parse(text string) (any, error) {
	bad := func() error { return &ValueError{Path: f.Path, Value: strconv.Quote(text), Want: f.Want()} }
	var v any
	switch f.Kind {
	case Bool:
		b, err := strconv.ParseBool(text)
		if err != nil {
			return nil, bad()
		}
		v = b
	case Integer:
		n, err := strconv.ParseInt(strings.TrimSpace(text), 10, 64)
		if err != nil {
			return nil, bad()
		}
		v = n
	case Number:
		n, err := strconv.ParseFloat(strings.TrimSpace(text), 64)
		if err != nil || math.IsInf(n, 0) || math.IsNaN(n) {
			return nil, bad()
		}
		v = n
	case String:
		v = text
	case Object:
		if err := json.Unmarshal([]byte(text), &v); err != nil {
			return nil, bad()
		}
	case Any:
		if err := json.Unmarshal([]byte(text), &v); err != nil {
			v = text
		}
	case List:
		t := strings.TrimSpace(text)
		if strings.HasPrefix(t, "[") {
			if err := json.Unmarshal([]byte(t), &v); err != nil {
				return nil, bad()
			}
			break
		}
		if f.Elem == Object {
			return nil, bad()
		}
		var items []any
		if t != "" {
			for _, s := range strings.Split(t, ",") {
				item, err := Field{Path: f.Path, Kind: f.Elem}.Parse(strings.TrimSpace(s))
				if err != nil {
					return nil, bad()
				}
				items = append(items, item)
			}
		}
		v = items
	default:
		return nil, bad()
	}
	return f.Check(v)
}

// Check checks a value decoded from JSON (bool, float64 or json.Number, string, []any,
// map[string]any) or given in Go (int, int64, []string, ...) against the setting, and
// returns it in the form Parse returns.
func (f Field) Check(v any) (any, error) {
	out, ok := f.normalize(v)
	if !ok {
		raw, _ := json.Marshal(v)
		return nil, &ValueError{Path: f.Path, Value: string(raw), Want: f.Want()}
	}
	return out, nil
}

func (f Field) normalize(v any) (any, bool) {
	switch f.Kind {
	case List:
		rv := reflect.ValueOf(v)
		if v == nil || rv.Kind() != reflect.Slice {
			return nil, false
		}
		elem := Field{Path: f.Path, Kind: f.Elem, Enum: f.Enum}
		out := make([]any, rv.Len())
		for i := range out {
			e, ok := elem.normalize(rv.Index(i).Interface())
			if !ok {
				return nil, false
			}
			out[i] = e
		}
		return out, true
	case Bool:
		b, ok := v.(bool)
		return b, ok
	case Object:
		m, ok := v.(map[string]any)
		return m, ok
	case Any:
		return anyJSON(v)
	case String:
		s, ok := v.(string)
		if !ok || f.MaxLength > 0 && uint64(len([]rune(s))) > f.MaxLength {
			return nil, false
		}
		return s, len(f.Enum) == 0 || slices.Contains(f.Enum, s)
	case Integer, Number:
		n, ok := number(v)
		if !ok || f.Min != nil && n < *f.Min || f.Max != nil && n > *f.Max {
			return nil, false
		}
		text := strconv.FormatFloat(n, 'f', -1, 64)
		if len(f.Enum) > 0 && !slices.Contains(f.Enum, text) {
			return nil, false
		}
		if f.Kind == Integer {
			if n != math.Trunc(n) || math.Abs(n) > 1<<53 {
				return nil, false
			}
			return int64(n), true
		}
		return n, true
	}
	return nil, false
}

// anyJSON returns a value of an untyped setting as JSON decodes it (numbers as float64),
// or false if it is not JSON.
func anyJSON(v any) (any, bool) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, false
	}
	var out any
	return out, json.Unmarshal(raw, &out) == nil
}

func number(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, !math.IsInf(n, 0) && !math.IsNaN(n)
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	case int32:
		return float64(n), true
	}
	return 0, false
}

// Equal reports whether two values of the setting are the same once checked; a value
// the setting does not take equals nothing.
func (f Field) Equal(a, b any) bool {
	na, okA := f.normalize(a)
	nb, okB := f.normalize(b)
	return okA && okB && reflect.DeepEqual(na, nb)
}

// Values are setting values by path, checked by Field.Check.
type Values map[string]any

// Check looks every path up and checks its value, and returns the values in the form
// Parse returns. The first error is an *UnknownError, a *ReadOnlyError or a *ValueError.
func Check(values map[string]any) (Values, error) {
	out := make(Values, len(values))
	for _, path := range slices.Sorted(maps.Keys(values)) {
		f, err := Lookup(path)
		if err != nil {
			return nil, err
		}
		v, err := f.Check(values[path])
		if err != nil {
			return nil, err
		}
		out[path] = v
	}
	return out, nil
}

// Options change how CheckWith and ApplyAndReadBack treat keys.
type Options struct {
	// AllowUnknown keeps a path the spec does not declare, with its value unchecked,
	// instead of refusing it: a key Zoom added after the spec. Zoom answers 204 to keys
	// it does not know, so only the read-back of ApplyAndReadBack tells a newer key
	// from a typo.
	AllowUnknown bool
}

// CheckWith is Check, except that with o.AllowUnknown a path the spec does not declare
// is kept as given rather than refused. A read-only path is refused all the same.
func CheckWith(values map[string]any, o Options) (Values, error) {
	if !o.AllowUnknown {
		return Check(values)
	}
	known := map[string]any{}
	out := Values{}
	for path, v := range values {
		var unknown *UnknownError
		if _, err := Lookup(path); errors.As(err, &unknown) {
			out[path] = v
			continue
		}
		known[path] = v
	}
	checked, err := Check(known)
	if err != nil {
		return nil, err
	}
	maps.Copy(out, checked)
	return out, nil
}

// ParseUnknown reads the text of a value for a key the spec does not declare: JSON when
// it is JSON (true, 30, "x", {"a":1}), else the text as a string.
func ParseUnknown(text string) any {
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err == nil && !dec.More() {
		return v
	}
	return text
}

// ApplyAndReadBack checks the values (CheckWith), sends them, one PATCH per settings
// variant they need, and reads each variant back: the outcome of every key, in path
// order, says whether Zoom holds the value sent (zoomusers.UserHandle.PatchSettings).
func ApplyAndReadBack(ctx context.Context, u *zoomusers.UserHandle, values map[string]any, o Options) ([]zoomusers.SettingOutcome, error) {
	checked, err := CheckWith(values, o)
	if err != nil {
		return nil, err
	}
	var out []zoomusers.SettingOutcome
	for _, option := range checked.options() {
		group := map[string]any{}
		for path, v := range checked {
			if optionOf(path) == option {
				group[path] = v
			}
		}
		got, err := u.PatchSettings(ctx, option, group)
		out = append(out, got...)
		if err != nil {
			return out, err
		}
	}
	slices.SortFunc(out, func(a, b zoomusers.SettingOutcome) int { return strings.Compare(a.Path, b.Path) })
	return out, nil
}

// optionOf is the settings variant a path belongs to; an undeclared path goes by its
// first key, as the declared ones do.
func optionOf(path string) string {
	if f, err := Lookup(path); err == nil {
		return f.Option
	}
	if strings.HasPrefix(path, "meeting_security.") {
		return "meeting_security"
	}
	return ""
}

// options returns the option groups the values need, "" (the full settings) first.
func (vs Values) options() []string {
	var out []string
	for path := range vs {
		if o := optionOf(path); !slices.Contains(out, o) {
			out = append(out, o)
		}
	}
	slices.Sort(out)
	return out
}

// body nests the values of one option group as the PATCH body's JSON.
func (vs Values) body(option string) map[string]any {
	group := Values{}
	for path, v := range vs {
		if optionOf(path) == option {
			group[path] = v
		}
	}
	return dotpath.Nest(group)
}

// Apply sends the values to the user: one PATCH for the full settings, one for the
// meeting_security variant, as the values need. Check them first: Apply refuses unknown
// paths and wrong values before any request.
func Apply(ctx context.Context, u *zoomusers.UserHandle, values Values) error {
	checked, err := Check(values)
	if err != nil {
		return err
	}
	for _, option := range checked.options() {
		raw, err := json.Marshal(checked.body(option))
		if err != nil {
			return err
		}
		switch option {
		case "":
			var s zoomusers.SettingsChange
			if err := strictUnmarshal(raw, &s); err != nil {
				return fmt.Errorf("settingspec: the settings model does not match the spec: %w", err)
			}
			err = u.UpdateSettings(ctx, s)
		case "meeting_security":
			var s zoomusers.MeetingSecuritySettings
			if err := strictUnmarshal(raw, &s); err != nil {
				return fmt.Errorf("settingspec: the meeting security model does not match the spec: %w", err)
			}
			err = u.UpdateMeetingSecurity(ctx, s)
		default:
			err = fmt.Errorf("settingspec: no way to send option %q", option)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// strictUnmarshal decodes raw into v and fails on a key v has no field for, so that a
// model and the spec that disagree fail loudly instead of dropping the setting.
func strictUnmarshal(raw []byte, v any) error {
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// Read returns the current values of the paths, one GET per option group they need.
// A path Zoom did not answer is absent from the result: unknown, not false.
func Read(ctx context.Context, u *zoomusers.UserHandle, paths []string) (Values, error) {
	groups := Values{}
	for _, p := range paths {
		if _, err := Lookup(p); err != nil {
			return nil, err
		}
		groups[p] = nil
	}
	out := Values{}
	for _, option := range groups.options() {
		var current any
		var err error
		switch option {
		case "":
			current, err = u.Settings(ctx, nil)
		case "meeting_security":
			current, err = u.MeetingSecurity(ctx)
		default:
			err = fmt.Errorf("settingspec: no way to read option %q", option)
		}
		if err != nil {
			return nil, err
		}
		raw, err := json.Marshal(current)
		if err != nil {
			return nil, err
		}
		var tree map[string]any
		if err := json.Unmarshal(raw, &tree); err != nil {
			return nil, err
		}
		for _, p := range paths {
			if f, _ := Lookup(p); f.Option != option {
				continue
			}
			if v, ok := dotpath.Lookup(tree, p); ok {
				out[p] = v
			}
		}
	}
	return out, nil
}
