// Package scrub replaces the personal and secret values of a Zoom answer by stable fakes
// of the same shape, so that an account's answers can be shared: `zoomusers doctor
// -corpus` writes them for test/testdata/corpus and zoomtest.WithSnapshot, and the
// doctor's report passes every value it quotes through the same Scrubber.
//
// It denies by default. Kept as they arrived: the structure (member order and repeated
// keys included), JSON types, booleans and null; the values at the paths where the spec
// declares an enum (the model's generated enum types: type, status, login_types, ...),
// which are codes, not anyone's data; and the listing's counters (page_size,
// page_number, page_count, total_records). Every other string and number is replaced,
// whatever its key and however harmless it looks: "dave" or "482913" can be a person's
// handle or badge as well as a code. Key names are kept where the model declares them
// and where they read as Zoom names its keys (lower-case words joined by underscores),
// except under custom_attributes, where an account names its own attributes; any other
// key name is replaced too.
//
// A fake keeps the value's length and character classes (a letter for a letter, a digit
// for a digit, the rest as it was), so an email stays an email, a 10-digit PMI 10 digits,
// a string of digits a string of digits and a number a number of the same form (integer
// or float): the drift of the original stays visible. A timestamp becomes another valid
// timestamp of the same layout. The same value gets the same fake everywhere in one
// Scrubber's output, so a user's ID in a listing still matches its ID in its own answer;
// fakes come from an HMAC under a random key, so they cannot be reversed.
package scrub

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/zoomkit/go-zoomusers/internal/decoding"
)

// Scrubber scrubs JSON documents; it is safe for concurrent use.
type Scrubber struct {
	key []byte

	mu      sync.Mutex
	fakes   map[string]string
	schemas map[reflect.Type]*schema
}

// New returns a Scrubber with a random key of its own.
func New() *Scrubber {
	key := make([]byte, 32)
	rand.Read(key) // never fails (crypto/rand, Go 1.24+)
	return &Scrubber{key: key, fakes: map[string]string{}, schemas: map[reflect.Type]*schema{}}
}

// schema is what the spec says of one model: its declared paths and, among them, those
// of enums, written without indices (users.status for users[].status and users[3].status,
// so one object sent where an array is declared is read alike).
type schema struct {
	declared, codes map[string]bool
}

// counters are the listing's page counters: numbers about the answer, not about anyone.
var counters = map[string]bool{"page_size": true, "page_number": true, "page_count": true, "total_records": true}

// keyLike is a key name as Zoom writes its own: lower-case words joined by underscores.
var keyLike = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)

// timestamp is a date-time as Zoom writes it.
var timestamp = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z$`)

// indices are the index parts of a path, [3] or [], dropped to compare paths.
var indices = regexp.MustCompile(`\[[0-9]*\]`)

func (s *Scrubber) schemaOf(model reflect.Type) *schema {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sc, ok := s.schemas[model]; ok {
		return sc
	}
	sc := &schema{declared: map[string]bool{}, codes: map[string]bool{}}
	if model != nil {
		for _, p := range decoding.Declared(model) {
			sc.declared[indices.ReplaceAllString(p, "")] = true
		}
		for _, p := range decoding.Enums(model) {
			sc.codes[indices.ReplaceAllString(p, "")] = true
		}
	}
	s.schemas[model] = sc
	return sc
}

// keepName reports whether the key name of a member at path, in an object at parent,
// is kept.
func (sc *schema) keepName(parent, name, path string) bool {
	if sc.declared[path] {
		return true
	}
	last := parent[strings.LastIndexByte(parent, '.')+1:]
	return keyLike.MatchString(name) && last != "custom_attributes"
}

// keepValue reports whether the string or number at path is kept.
func (sc *schema) keepValue(path string) bool {
	return sc.codes[path] || counters[path]
}

func join(parent, name string) string {
	if parent == "" {
		return name
	}
	return parent + "." + name
}

// JSON returns body, an answer decoded into model (a pointer type; nil when none is
// known: then nothing is declared), with every value and key name it does not keep
// replaced. Only valid JSON is accepted; repeated keys are kept.
func (s *Scrubber) JSON(body []byte, model reflect.Type) ([]byte, error) {
	return s.scrub(body, model, "", jsontext.Multiline(true), jsontext.WithIndent("  "))
}

// Value scrubs v, a value met at path in an answer decoded into model, where path is
// written as the client's Drift.Path and the doctor write it (users[3].custom_attributes,
// in_meeting["Odd key"]): for the doctor's report.
func (s *Scrubber) Value(v []byte, model reflect.Type, path string) ([]byte, error) {
	_, plain := s.path(model, path)
	out, err := s.scrub(v, model, plain, jsontext.Multiline(false))
	return bytes.TrimSpace(out), err
}

func (s *Scrubber) scrub(body []byte, model reflect.Type, base string, format ...jsontext.Options) ([]byte, error) {
	sc := s.schemaOf(model)
	opts := jsontext.AllowDuplicateNames(true)
	dec := jsontext.NewDecoder(bytes.NewReader(body), opts, jsontext.AllowInvalidUTF8(true))
	var out bytes.Buffer
	enc := jsontext.NewEncoder(&out, append([]jsontext.Options{opts}, format...)...)
	// paths holds, per open object or array, its path; an array's elements share it.
	// member is the path of the object member whose value comes next.
	var paths []string
	var inObject []bool
	expectName := false
	member := base
	for {
		tok, err := dec.ReadToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		here := base // the path of the value tok starts
		if n := len(paths); n > 0 {
			here = paths[n-1]
			if inObject[n-1] {
				here = member
			}
		}
		switch k := tok.Kind(); k {
		case '{', '[':
			paths = append(paths, here)
			inObject = append(inObject, k == '{')
			expectName = k == '{'
			if err := enc.WriteToken(tok); err != nil {
				return nil, err
			}
			continue
		case '}', ']':
			paths, inObject = paths[:len(paths)-1], inObject[:len(inObject)-1]
			err = enc.WriteToken(tok)
		case '"':
			v := tok.String()
			if expectName {
				parent := paths[len(paths)-1]
				member = join(parent, v)
				if !sc.keepName(parent, v, member) {
					v = s.fake(v)
				}
				expectName = false
				if err := enc.WriteToken(jsontext.String(v)); err != nil {
					return nil, err
				}
				continue
			}
			switch {
			case sc.keepValue(here):
			case timestamp.MatchString(v):
				v = s.fakeTime(v)
			default:
				v = s.fake(v)
			}
			err = enc.WriteToken(jsontext.String(v))
		case '0':
			if n := tok.String(); !sc.keepValue(here) {
				err = enc.WriteValue(jsontext.Value(s.fakeNumber(n)))
			} else {
				err = enc.WriteToken(tok)
			}
		default:
			err = enc.WriteToken(tok)
		}
		if err != nil {
			return nil, err
		}
		if len(inObject) > 0 && inObject[len(inObject)-1] {
			expectName = true // a value was read: a name comes next
		}
	}
	return out.Bytes(), nil
}

// pathPart is one part of a path: a name, .name or ["name"], or an index, [3].
var pathPart = regexp.MustCompile(`^(?:\.?([A-Za-z_$][A-Za-z0-9_$]*)|\[([0-9]*)\]|\[("(?:[^"\\]|\\.)*")\])`)

// Path returns path, a path in an answer decoded into model (as Value takes it), with
// the key names JSON would replace replaced by the same fakes.
func (s *Scrubber) Path(model reflect.Type, path string) string {
	scrubbed, _ := s.path(model, path)
	return scrubbed
}

// path returns path scrubbed, and as the schema's paths are written (names joined by
// dots, no indices).
func (s *Scrubber) path(model reflect.Type, path string) (scrubbed, plain string) {
	sc := s.schemaOf(model)
	var out strings.Builder
	parent := ""
	for rest := path; rest != ""; {
		m := pathPart.FindStringSubmatch(rest)
		if m == nil { // not a path the client writes: replace it whole
			out.WriteString(s.fake(rest))
			return out.String(), join(parent, rest)
		}
		rest = rest[len(m[0]):]
		name := m[1]
		if m[3] != "" {
			name, _ = strconv.Unquote(m[3])
		}
		if m[1] == "" && m[3] == "" {
			out.WriteString(m[0]) // an index
			continue
		}
		member := join(parent, name)
		kept := name
		if !sc.keepName(parent, name, member) {
			kept = s.fake(name)
		}
		switch {
		case m[3] != "":
			out.WriteString("[" + strconv.Quote(kept) + "]")
		case out.Len() > 0:
			out.WriteString("." + kept)
		default:
			out.WriteString(kept)
		}
		parent = member
	}
	return out.String(), parent
}

// fakeNumber fakes a JSON number's digits, keeping its sign, point and exponent: an
// integer stays an integer of as many digits, 1.4155550100e10 a float of that form.
func (s *Scrubber) fakeNumber(n string) string {
	mantissa, exponent := n, ""
	if i := strings.IndexAny(n, "eE"); i >= 0 {
		mantissa, exponent = n[:i], n[i:]
	}
	return s.fake(mantissa) + exponent
}

// fakeTime replaces a timestamp by a valid one of the same layout (2000 to 2025).
func (s *Scrubber) fakeTime(v string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f, ok := s.fakes[v]; ok {
		return f
	}
	mac := hmac.New(sha256.New, s.key)
	mac.Write([]byte(v))
	b := mac.Sum(nil)
	f := fmt.Sprintf("%04d-%02d-%02dT%02d:%02d:%02d", 2000+int(b[0])%26, 1+int(b[1])%12, 1+int(b[2])%28, int(b[3])%24, int(b[4])%60, int(b[5])%60) + v[len("2006-01-02T15:04:05"):]
	s.fakes[v], s.fakes[f] = f, f
	return f
}

// fake returns v's stable replacement: the same length and character classes. Within
// a URL the scheme is kept; a number stays a valid JSON number of as many digits.
func (s *Scrubber) fake(v string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f, ok := s.fakes[v]; ok {
		return f
	}
	prefix, rest := "", v
	if i := strings.Index(v, "://"); i > 0 && i < 10 {
		prefix, rest = v[:i+3], v[i+3:]
	}
	for attempt := 0; ; attempt++ {
		f := prefix + s.shape(rest, attempt)
		if _, taken := s.fakes[f]; (f != v || v == "" || !hasScrubbable(rest)) && !taken {
			s.fakes[v] = f
			s.fakes[f] = f // a fake met again stays as it is
			return f
		}
	}
}

func hasScrubbable(v string) bool {
	return strings.ContainsFunc(v, func(r rune) bool {
		return r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') || r >= 128
	})
}

// shape draws a letter for each letter and a digit for each digit from an HMAC of v.
func (s *Scrubber) shape(v string, attempt int) string {
	mac := hmac.New(sha256.New, s.key)
	mac.Write([]byte(v))
	binary.Write(mac, binary.BigEndian, int64(attempt))
	seed := mac.Sum(nil)
	var b strings.Builder
	n := 0
	next := func() byte {
		if n == len(seed) {
			m := hmac.New(sha256.New, s.key)
			m.Write(seed)
			seed, n = m.Sum(nil), 0
		}
		n++
		return seed[n-1]
	}
	leading := true // a number keeps a non-zero first digit
	for _, r := range v {
		switch {
		case r >= 'a' && r <= 'z':
			b.WriteByte('a' + next()%26)
		case r >= 'A' && r <= 'Z':
			b.WriteByte('A' + next()%26)
		case r >= '0' && r <= '9':
			d := next() % 10
			if leading && r != '0' && d == 0 {
				d = 1 + next()%9
			}
			b.WriteByte('0' + d)
		case r >= 128:
			b.WriteByte('a' + next()%26) // a letter of another script: one ASCII letter
		default:
			b.WriteRune(r)
		}
		leading = r == '-' || r == '+'
	}
	return b.String()
}
