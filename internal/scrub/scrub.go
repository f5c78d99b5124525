// Package scrub replaces the personal and secret values of a Zoom answer by stable fakes
// of the same shape, so that an account's answers can be shared: `zoomusers doctor
// -corpus` writes them for test/testdata/corpus and zoomtest.WithSnapshot.
//
// What is kept: the structure (member order and repeated keys included), key names,
// JSON types, booleans, null, numbers that are counts or flags, and the strings of keys
// that hold codes (type, status, timezone, ...) or that look like a code themselves
// (lower-case words joined by underscores: "cloud", "third_party", "both"). What is
// replaced: every other string, and the numbers of keys that name a person or a secret
// (IDs, PMIs, phone numbers). A fake keeps the value's length and character classes
// (a letter for a letter, a digit for a digit, the rest as it was), so an email stays
// an email, a 10-digit PMI 10 digits and a string of digits a string of digits: the
// drift of the original stays visible. The same value gets the same fake everywhere in
// one Scrubber's output, so a user's ID in a listing still matches its ID in its own
// answer; fakes come from an HMAC under a random key, so they cannot be reversed.
package scrub

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"io"
	"regexp"
	"strings"
	"sync"

	"github.com/go-json-experiment/json/jsontext"
)

// Scrubber scrubs JSON documents; it is safe for concurrent use.
type Scrubber struct {
	key []byte

	mu    sync.Mutex
	fakes map[string]string
}

// New returns a Scrubber with a random key of its own.
func New() *Scrubber {
	key := make([]byte, 32)
	rand.Read(key) // never fails (crypto/rand, Go 1.24+)
	return &Scrubber{key: key, fakes: map[string]string{}}
}

// sensitive are key fragments whose values name or identify a person, a device or a
// secret: their strings and numbers are always replaced.
var sensitive = []string{
	"name", "email", "phone", "pmi", "url", "key", "token", "password", "pic", "vanity",
	"dept", "job", "company", "location", "address", "cost_center", "value", "number",
	"host", "domain", "instruction", "manager", "division", "subscription", "zip", "city",
	"personal", "cms", "title", "sip", "extension", "mac", "ip", "serial", "code", "secret",
	"mail", "contact", "description", "message", "link", "path", "file",
}

// codes are keys whose string values are codes, kept as they are. Where a key is also
// sensitive by name, codes win.
var codes = map[string]bool{
	"type": true, "status": true, "language": true, "timezone": true, "login_type": true,
	"login_types": true, "license_type": true, "verified": true, "role_id": true,
	"permissions": true, "plan_united_type": true, "presence_status": true, "device_type": true,
	"feature_type": true, "action": true, "option": true, "audio_type": true,
	"zoom_one_type": true, "license_option": true, "created_at": true, "user_created_at": true,
	"last_login_time": true,
}

// integer is a JSON number that scrubbing may replace digit by digit.
var integer = regexp.MustCompile(`^-?[0-9]+$`)

// codeLike is a value that reads as a code rather than as anyone's data.
var codeLike = regexp.MustCompile(`^[a-z0-9]+(_[a-z0-9]+)*$|^[0-9]{1,6}$|^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$`)

// Sensitive reports whether a key's values are replaced whatever they look like.
func Sensitive(key string) bool {
	k := strings.ToLower(key)
	if codes[k] {
		return false
	}
	if k == "id" || strings.HasSuffix(k, "_id") || strings.HasSuffix(k, "_ids") || strings.HasPrefix(k, "id_") || strings.HasSuffix(k, "id") && k != "paid" {
		return true
	}
	for _, s := range sensitive {
		if strings.Contains(k, s) {
			return true
		}
	}
	return false
}

// JSON returns body with every personal or secret value replaced. Only valid JSON is
// accepted; repeated keys are kept.
func (s *Scrubber) JSON(body []byte) ([]byte, error) {
	opts := jsontext.AllowDuplicateNames(true)
	dec := jsontext.NewDecoder(bytes.NewReader(body), opts, jsontext.AllowInvalidUTF8(true))
	var out bytes.Buffer
	enc := jsontext.NewEncoder(&out, opts, jsontext.Multiline(true), jsontext.WithIndent("  "))
	// keys holds, per open object or array, the key its values are read under: an
	// array's elements inherit the key of the array.
	var keys []string
	var inObject []bool
	expectName := false
	for {
		tok, err := dec.ReadToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		key := ""
		if len(keys) > 0 {
			key = keys[len(keys)-1]
		}
		switch k := tok.Kind(); k {
		case '{', '[':
			keys = append(keys, key)
			inObject = append(inObject, k == '{')
			expectName = k == '{'
			if err := enc.WriteToken(tok); err != nil {
				return nil, err
			}
			continue
		case '}', ']':
			keys, inObject = keys[:len(keys)-1], inObject[:len(inObject)-1]
			err = enc.WriteToken(tok)
		case '"':
			if expectName {
				keys[len(keys)-1] = tok.String()
				expectName = false
				if err := enc.WriteToken(tok); err != nil {
					return nil, err
				}
				continue
			}
			v := tok.String()
			if Sensitive(key) || !codes[strings.ToLower(key)] && !codeLike.MatchString(v) {
				v = s.fake(v)
			}
			err = enc.WriteToken(jsontext.String(v))
		case '0':
			if n := tok.String(); Sensitive(key) && integer.MatchString(n) {
				err = enc.WriteValue(jsontext.Value(s.fake(n)))
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

// String returns the fake of one value, as JSON does for a sensitive key.
func (s *Scrubber) String(v string) string { return s.fake(v) }

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
