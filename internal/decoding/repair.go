package decoding

import (
	"bytes"
	"encoding"
	"encoding/json"
	"fmt"
	"math/big"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// Unmarshal decodes body into out, a pointer to a zero value, and returns what it had
// to repair. A body that is not JSON, or whose top-level value cannot stand for out at
// all, is an error.
func Unmarshal(body []byte, out any) ([]Drift, error) {
	err := jsonv2.Unmarshal(body, out, decodeOptions)
	if err == nil {
		return nil, nil
	}
	raw := jsontext.Value(bytes.TrimSpace(body))
	if !raw.IsValid(scanOptions) {
		return nil, err
	}
	var r repairer
	v := reflect.ValueOf(out).Elem()
	fixed, ok := r.repair(raw, v.Type(), nil)
	if !ok {
		return nil, fmt.Errorf("the answer is %s, which cannot stand for the %v the operation returns", kindName(raw.Kind()), v.Type())
	}
	v.SetZero()
	if err := jsonv2.Unmarshal(fixed, out, decodeOptions); err != nil {
		// The repair pass checked every value it kept; reaching this is a bug.
		return r.drifts, fmt.Errorf("decoding the repaired answer: %w", err)
	}
	return r.drifts, nil
}

// repairer collects the drifts of one answer.
type repairer struct {
	drifts []Drift
}

// fits reports whether raw decodes into a t on its own.
func fits(raw jsontext.Value, t reflect.Type) bool {
	return jsonv2.Unmarshal(raw, reflect.New(t).Interface(), decodeOptions) == nil
}

// fit returns the value to keep for raw where the model declares t, and false when
// it is dropped.
func (r *repairer) fit(raw jsontext.Value, t reflect.Type, p *path) (jsontext.Value, bool) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if raw.Kind() == 'n' || fits(raw, t) {
		return raw, true
	}
	return r.repair(raw, t, p)
}

// repair handles a raw value that does not decode into t as it is.
func (r *repairer) repair(raw jsontext.Value, t reflect.Type, p *path) (jsontext.Value, bool) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	kind := raw.Kind()
	if hasJSONMethods(t) {
		return r.custom(raw, t, p)
	}
	switch t.Kind() {
	case reflect.Interface:
		if t.NumMethod() == 0 {
			return r.untyped(raw, p), true
		}
	case reflect.Struct:
		if kind == '{' {
			return r.object(raw, t, p, false), true
		}
	case reflect.Map:
		if kind == '{' {
			return r.mapObject(raw, t, p)
		}
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			break // []byte is a base64 string: it fits or it does not
		}
		if kind == '[' {
			return r.array(raw, t, p)
		}
		return r.wrap(raw, t, p)
	case reflect.String, reflect.Bool,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		if v, reason, ok := coerceScalar(raw, t); ok && fits(v, t) {
			r.note(p, raw, t, Coerced, reason)
			return v, true
		}
	}
	if kind == '[' && t.Kind() != reflect.Slice && t.Kind() != reflect.Array {
		return r.unwrap(raw, t, p)
	}
	return r.drop(raw, t, p, kindName(kind)+" where "+typeName(t)+" is declared")
}

// custom handles a type with its own JSON methods: an object is repaired member by
// member, then the type's method has the last word.
func (r *repairer) custom(raw jsontext.Value, t reflect.Type, p *path) (jsontext.Value, bool) {
	mark := len(r.drifts)
	var fixed jsontext.Value
	if raw.Kind() == '{' && t.Kind() == reflect.Struct {
		fixed = r.object(raw, t, p, true)
	} else {
		fixed = r.untyped(raw, p)
	}
	if fits(fixed, t) {
		return fixed, true
	}
	r.drifts = r.drifts[:mark]
	err := jsonv2.Unmarshal(fixed, reflect.New(t).Interface(), decodeOptions)
	return r.drop(raw, t, p, kindName(raw.Kind())+" that does not decode as "+typeName(t)+": "+shortError(err))
}

// object rebuilds a JSON object for struct t: each member the model knows is fitted,
// the earlier values of a repeated key are dropped (the last one wins, as in
// encoding/json and JavaScript), and unknown members are left out, since the decoder
// ignores them. A type with its own JSON methods (keepUnknown) keeps its unknown
// members, which its method may read: oapi-codegen's AdditionalProperties collects
// them, and are fitted to that map's value type.
func (r *repairer) object(raw jsontext.Value, t reflect.Type, p *path, keepUnknown bool) jsontext.Value {
	fields := fieldsOf(t)
	members := readMembers(raw)
	last := lastIndex(members)
	out := append(make([]byte, 0, len(raw)), '{')
	for i, m := range members {
		ft, known := fields.byName[m.name]
		if !known {
			if !keepUnknown {
				continue
			}
			ft = fields.extras // nil: any JSON
		}
		mp := p.key(m.name)
		if last[m.name] != i {
			r.note(mp, m.value, elemType(ft), Dropped, "duplicate key; the last value is kept")
			continue
		}
		if ft == nil {
			out = appendMember(out, m.name, r.untyped(m.value, mp))
			continue
		}
		v, ok := r.fit(m.value, ft, mp)
		if !ok {
			continue
		}
		out = appendMember(out, m.name, v)
	}
	return append(out, '}')
}

// mapObject rebuilds a JSON object for map t, dropping the entries that do not fit;
// if none fits, the map is dropped rather than read as empty.
func (r *repairer) mapObject(raw jsontext.Value, t reflect.Type, p *path) (jsontext.Value, bool) {
	members := readMembers(raw)
	last := lastIndex(members)
	mark := len(r.drifts)
	out := append(make([]byte, 0, len(raw)), '{')
	kept := 0
	for i, m := range members {
		mp := p.key(m.name)
		if last[m.name] != i {
			r.note(mp, m.value, elemType(t.Elem()), Dropped, "duplicate key; the last value is kept")
			continue
		}
		if t.Key().Kind() != reflect.String && !fits(appendMember([]byte{'{'}, m.name, jsontext.Value("null")), reflect.MapOf(t.Key(), reflect.TypeFor[any]())) {
			r.note(mp, m.value, elemType(t.Elem()), Dropped, fmt.Sprintf("the key %q is not a %v", m.name, t.Key()))
			continue
		}
		v, ok := r.fit(m.value, t.Elem(), mp)
		if !ok {
			continue
		}
		out = appendMember(out, m.name, v)
		kept++
	}
	if kept == 0 && len(members) > 0 {
		r.drifts = r.drifts[:mark]
		return r.drop(raw, t, p, "an object none of whose values fits "+typeName(t))
	}
	return append(out, '}'), true
}

// array rebuilds a JSON array for slice t without the elements that do not fit; if
// none fits, the array is dropped rather than read as empty.
func (r *repairer) array(raw jsontext.Value, t reflect.Type, p *path) (jsontext.Value, bool) {
	elems := readElements(raw)
	mark := len(r.drifts)
	out := append(make([]byte, 0, len(raw)), '[')
	kept := 0
	for i, e := range elems {
		v, ok := r.fit(e, t.Elem(), p.at(i))
		if !ok {
			continue
		}
		if kept > 0 {
			out = append(out, ',')
		}
		out = append(out, v...)
		kept++
	}
	if kept == 0 && len(elems) > 0 {
		r.drifts = r.drifts[:mark]
		return r.drop(raw, t, p, "an array none of whose elements fits "+typeName(t.Elem()))
	}
	return append(out, ']'), true
}

// wrap keeps one value where an array of such values is declared. An object none of
// whose members the element type names is something else, not one element.
func (r *repairer) wrap(raw jsontext.Value, t reflect.Type, p *path) (jsontext.Value, bool) {
	if et := elemType(t.Elem()); raw.Kind() == '{' && et.Kind() == reflect.Struct && !hasJSONMethods(et) && !sharesField(raw, et) {
		return r.drop(raw, t, p, "an object where an array is declared, with none of the fields of "+et.String())
	}
	mark := len(r.drifts)
	r.note(p, raw, t, Coerced, kindName(raw.Kind())+" where an array is declared; kept as its one element")
	v, ok := r.fit(raw, t.Elem(), p)
	if !ok {
		r.drifts = r.drifts[:mark]
		return r.drop(raw, t, p, kindName(raw.Kind())+" that is neither an array nor one "+typeName(t.Elem()))
	}
	return jsontext.Value("[" + string(v) + "]"), true
}

func sharesField(raw jsontext.Value, t reflect.Type) bool {
	fields := fieldsOf(t)
	for _, m := range readMembers(raw) {
		if _, ok := fields.byName[m.name]; ok {
			return true
		}
	}
	return false
}

// unwrap keeps the element of a one-element array where a single value is declared.
func (r *repairer) unwrap(raw jsontext.Value, t reflect.Type, p *path) (jsontext.Value, bool) {
	elems := readElements(raw)
	// One level only: unwrapping arrays of arrays would cost time quadratic in their depth.
	if len(elems) == 1 && elems[0].Kind() != '[' {
		mark := len(r.drifts)
		r.note(p, raw, t, Coerced, "a one-element array where "+typeName(t)+" is declared; kept as its element")
		if v, ok := r.fit(elems[0], t, p); ok {
			return v, true
		}
		r.drifts = r.drifts[:mark]
	}
	return r.drop(raw, t, p, fmt.Sprintf("an array of %d elements where %s is declared", len(elems), typeName(t)))
}

// untyped removes the earlier values of repeated keys anywhere in raw, for a target
// that takes any JSON (an interface, or a type's own JSON method).
func (r *repairer) untyped(raw jsontext.Value, p *path) jsontext.Value {
	switch raw.Kind() {
	case '{':
		members := readMembers(raw)
		last := lastIndex(members)
		out := []byte{'{'}
		for i, m := range members {
			mp := p.key(m.name)
			if last[m.name] != i {
				r.note(mp, m.value, nil, Dropped, "duplicate key; the last value is kept")
				continue
			}
			out = appendMember(out, m.name, r.untyped(m.value, mp))
		}
		return append(out, '}')
	case '[':
		out := []byte{'['}
		for i, e := range readElements(raw) {
			if i > 0 {
				out = append(out, ',')
			}
			out = append(out, r.untyped(e, p.at(i))...)
		}
		return append(out, ']')
	}
	return raw
}

func (r *repairer) drop(raw jsontext.Value, t reflect.Type, p *path, reason string) (jsontext.Value, bool) {
	r.note(p, raw, t, Dropped, reason)
	return nil, false
}

func (r *repairer) note(p *path, raw jsontext.Value, t reflect.Type, action Action, reason string) {
	r.drifts = append(r.drifts, Drift{
		Path:   p.String(),
		Value:  json.RawMessage(bytes.Clone(raw)),
		Want:   t,
		Action: action,
		Reason: reason,
	})
}

// coerceScalar converts a number sent as a string, or the reverse, and the like,
// when the conversion loses nothing.
func coerceScalar(raw jsontext.Value, t reflect.Type) (jsontext.Value, string, bool) {
	kind := raw.Kind()
	switch t.Kind() {
	case reflect.String:
		if kind == '0' || kind == 't' || kind == 'f' {
			return jsontext.Value(`"` + string(raw) + `"`), kindName(kind) + " where a string is declared; kept as its text", true
		}
	case reflect.Bool:
		if kind == '"' {
			if s := unquote(raw); s == "true" || s == "false" {
				return jsontext.Value(s), "a string where a boolean is declared; kept as " + s, true
			}
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		text := string(raw)
		if kind == '"' {
			// Only a string holding the number in its plain form: "007" would lose its zeros.
			text = unquote(raw)
			if n, err := strconv.ParseInt(text, 10, t.Bits()); err != nil || strconv.FormatInt(n, 10) != text {
				return nil, "", false
			}
			return jsontext.Value(text), "a string where an integer is declared; kept as " + text, true
		}
		if kind == '0' {
			if n, ok := integral(text); ok && n.IsInt64() {
				if v := n.Int64(); !reflect.Zero(t).OverflowInt(v) {
					return jsontext.Value(strconv.FormatInt(v, 10)), "an integral number in another form where an integer is declared; kept as " + strconv.FormatInt(v, 10), true
				}
			}
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		text := string(raw)
		if kind == '"' {
			text = unquote(raw)
			if n, err := strconv.ParseUint(text, 10, t.Bits()); err != nil || strconv.FormatUint(n, 10) != text {
				return nil, "", false
			}
			return jsontext.Value(text), "a string where an integer is declared; kept as " + text, true
		}
		if kind == '0' {
			if n, ok := integral(text); ok && n.IsUint64() {
				if v := n.Uint64(); !reflect.Zero(t).OverflowUint(v) {
					return jsontext.Value(strconv.FormatUint(v, 10)), "an integral number in another form where an integer is declared; kept as " + strconv.FormatUint(v, 10), true
				}
			}
		}
	case reflect.Float32, reflect.Float64:
		if kind == '"' {
			text := unquote(raw)
			if v := jsontext.Value(text); v.Kind() == '0' && v.IsValid() {
				if _, err := strconv.ParseFloat(text, t.Bits()); err == nil {
					return v, "a string where a number is declared; kept as " + text, true
				}
			}
		}
	}
	return nil, "", false
}

// integral returns the integer a JSON number such as 5.0 or 1e3 stands for exactly.
func integral(text string) (*big.Int, bool) {
	f, _, err := big.ParseFloat(text, 10, 1024, big.ToNearestEven)
	// Past 2^64 no Go integer holds it; checking first keeps 1e999999999 from
	// becoming a billion-digit integer.
	if err != nil || !f.IsInt() || f.MantExp(nil) > 64 {
		return nil, false
	}
	n, acc := f.Int(nil)
	return n, acc == big.Exact
}

func unquote(raw jsontext.Value) string {
	b, _ := jsontext.AppendUnquote(nil, raw)
	return string(b)
}

func shortError(err error) string {
	if err == nil {
		return "refused"
	}
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 && i+2 < len(msg) {
		msg = msg[i+2:]
	}
	return msg
}

type member struct {
	name  string
	value jsontext.Value
}

// readMembers lists the members of a valid JSON object, repeated names included. The
// values are slices of raw: a bytes.Buffer lets the decoder parse raw in place.
func readMembers(raw jsontext.Value) []member {
	dec := jsontext.NewDecoder(bytes.NewBuffer(raw), scanOptions)
	if _, err := dec.ReadToken(); err != nil {
		return nil
	}
	var ms []member
	for dec.PeekKind() != '}' {
		tok, err := dec.ReadToken()
		if err != nil {
			return ms
		}
		name := tok.String() // before the next read voids tok
		v, err := dec.ReadValue()
		if err != nil {
			return ms
		}
		end := dec.InputOffset()
		ms = append(ms, member{name: name, value: raw[end-int64(len(v)) : end : end]})
	}
	return ms
}

// readElements lists the elements of a valid JSON array, as slices of raw.
func readElements(raw jsontext.Value) []jsontext.Value {
	dec := jsontext.NewDecoder(bytes.NewBuffer(raw), scanOptions)
	if _, err := dec.ReadToken(); err != nil {
		return nil
	}
	var es []jsontext.Value
	for dec.PeekKind() != ']' {
		v, err := dec.ReadValue()
		if err != nil {
			return es
		}
		end := dec.InputOffset()
		es = append(es, raw[end-int64(len(v)):end:end])
	}
	return es
}

func lastIndex(ms []member) map[string]int {
	last := make(map[string]int, len(ms))
	for i, m := range ms {
		last[m.name] = i
	}
	return last
}

func appendMember(out []byte, name string, v jsontext.Value) []byte {
	if len(out) > 1 {
		out = append(out, ',')
	}
	out, _ = jsontext.AppendQuote(out, name) // invalid UTF-8 in a name is replaced, as the decoder would
	out = append(out, ':')
	return append(out, v...)
}

// structFields is what the decoder matches a struct's object members against.
type structFields struct {
	byName map[string]reflect.Type
	// extras is the value type of an oapi-codegen AdditionalProperties map, which a
	// type's own UnmarshalJSON fills with the members it does not name.
	extras reflect.Type
}

var fieldCache sync.Map // reflect.Type -> *structFields

// fieldsOf follows the decoder's rules: a field's JSON name is its tag name or Go
// name; "-" and unexported fields are skipped; untagged embedded structs are inlined,
// a shallower field winning over a deeper one of the same name.
func fieldsOf(t reflect.Type) *structFields {
	if f, ok := fieldCache.Load(t); ok {
		return f.(*structFields)
	}
	sf := &structFields{byName: map[string]reflect.Type{}}
	depthOf := map[string]int{}
	var walk func(t reflect.Type, depth int)
	walk = func(t reflect.Type, depth int) {
		for i := range t.NumField() {
			f := t.Field(i)
			tag := f.Tag.Get("json")
			if tag == "-" {
				if depth == 0 && f.Name == "AdditionalProperties" && f.Type.Kind() == reflect.Map {
					sf.extras = f.Type.Elem()
				}
				continue
			}
			name, _, _ := strings.Cut(tag, ",")
			if f.Anonymous && name == "" {
				et := elemType(f.Type)
				if et.Kind() == reflect.Struct && !hasJSONMethods(et) {
					walk(et, depth+1)
					continue
				}
			}
			if !f.IsExported() {
				continue
			}
			if name == "" {
				name = f.Name
			}
			if d, seen := depthOf[name]; seen && d <= depth {
				continue
			}
			depthOf[name] = depth
			sf.byName[name] = f.Type
		}
	}
	walk(t, 0)
	f, _ := fieldCache.LoadOrStore(t, sf)
	return f.(*structFields)
}

var (
	jsonUnmarshaler     = reflect.TypeFor[json.Unmarshaler]()
	jsonUnmarshalerFrom = reflect.TypeFor[jsonv2.UnmarshalerFrom]()
	textUnmarshaler     = reflect.TypeFor[encoding.TextUnmarshaler]()
	timeType            = reflect.TypeFor[time.Time]()
)

// hasJSONMethods reports whether t decodes itself rather than by its shape.
func hasJSONMethods(t reflect.Type) bool {
	if t == timeType {
		return true
	}
	pt := reflect.PointerTo(t)
	return pt.Implements(jsonUnmarshaler) || pt.Implements(jsonUnmarshalerFrom) || pt.Implements(textUnmarshaler)
}

func elemType(t reflect.Type) reflect.Type {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

func kindName(k jsontext.Kind) string {
	switch k {
	case '"':
		return "a string"
	case '0':
		return "a number"
	case 't', 'f':
		return "a boolean"
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 'n':
		return "null"
	}
	return "a value"
}

func typeName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Struct, reflect.Map:
		if !hasJSONMethods(t) {
			return "an object"
		}
	case reflect.Slice, reflect.Array:
		return "an array"
	}
	return t.String()
}

// path is where a value sits in an answer, built only when a drift is noted.
type path struct {
	parent *path
	name   string
	index  int // -1 for a member name
}

func (p *path) key(name string) *path { return &path{parent: p, name: name, index: -1} }
func (p *path) at(i int) *path        { return &path{parent: p, index: i} }

func (p *path) String() string {
	if p == nil {
		return ""
	}
	var segs []*path
	for q := p; q != nil; q = q.parent {
		segs = append(segs, q)
	}
	var b strings.Builder
	for i := len(segs) - 1; i >= 0; i-- {
		s := segs[i]
		switch {
		case s.index >= 0:
			fmt.Fprintf(&b, "[%d]", s.index)
		case isIdentifier(s.name):
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(s.name)
		default:
			fmt.Fprintf(&b, "[%s]", strconv.Quote(s.name))
		}
	}
	return b.String()
}

func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c != '_' && c != '-' && (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}
