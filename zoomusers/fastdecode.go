package zoomusers

import (
	"bytes"
	"errors"
	"io"
	"strconv"
	"sync/atomic"
	"time"
	"unicode/utf8"
	"unsafe"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// The fast path of decoding.
//
// decode_gen.go, written by internal/cmd/gendecode, has a function for every model an
// operation answers with, that reads the answer's tokens straight into its fields, as a
// hand-written decoder would: no reflection and no lookup of an unmarshaler per field.
// The functions here read the scalars. They take only what encoding/json/v2 would
// decode to the same value, with the same options (decodeOptions); on anything else (a
// type mismatch, a number with an exponent where an integer is declared, a duplicate
// key, trailing data) the fast path gives up and unmarshal decodes the answer again
// through encoding/json/v2 and, if need be, the repair pass (repair.go). So an answer
// that decodes here decodes to what encoding/json/v2 gives, and every other answer is
// treated as before: TestFastDecodeAsV2 and FuzzFastDecode hold the two equal.
//
// Optional values are carved from the answer's cells (cells.go), and the text of its
// strings from shared chunks of bytes: a user's strings cost one allocation, not one
// each.

// errNotFast stops the fast path at a value it does not take as it is.
var errNotFast = errors.New("zoomusers: value left to the general decoder")

// fastMisses counts the answers the fast path gave up on, for the tests.
var fastMisses atomic.Int64

const (
	textChunk = 1024 // bytes of string text carved at a time
	maxCarved = 256  // a longer string has an allocation of its own
)

// fastDecoder reads one answer at a time, with the cells it carves values from.
type fastDecoder struct {
	dec  jsontext.Decoder
	in   bytes.Buffer // the answer; jsontext reads a bytes.Buffer in place
	size int          // the answer's length
	c    *cells
	text []byte // carved strings are never written again; only the tail is free
}

// decode decodes body into out, a pointer to a zero value, and reports whether it
// did. False leaves out to be zeroed and decoded again by the general path.
func (d *fastDecoder) decode(body []byte, out any) bool {
	d.in, d.size = *bytes.NewBuffer(body), len(body)
	d.dec.Reset(&d.in, decodeOptions)
	handled, err := d.decodeAnswer(out)
	ok := handled && err == nil
	if ok {
		_, err = d.dec.ReadToken() // nothing may follow the answer
		ok = err == io.EOF
	}
	d.in = bytes.Buffer{}
	d.text = nil // the answer's strings keep their chunk; the next answer starts its own
	if !ok {
		fastMisses.Add(1)
	}
	return ok
}

func (d *fastDecoder) null() bool { return d.dec.PeekKind() == 'n' }

func (d *fastDecoder) skipNull() error {
	_, err := d.dec.ReadToken()
	return err
}

// begin reads the opening delimiter k ('{' or '[').
func (d *fastDecoder) begin(k jsontext.Kind) error {
	if d.dec.PeekKind() != k {
		return errNotFast
	}
	_, err := d.dec.ReadToken()
	return err
}

// more reports whether the object or array being read has another member.
func (d *fastDecoder) more() bool {
	k := d.dec.PeekKind()
	return k != '}' && k != ']' && k != 0
}

// end reads the closing delimiter, or the error that ended the members.
func (d *fastDecoder) end() error {
	_, err := d.dec.ReadToken()
	return err
}

// name reads an object member's name. The result is valid only until the next read:
// it is compared and dropped.
func (d *fastDecoder) name() (string, error) {
	raw, err := d.dec.ReadValue()
	if err != nil {
		return "", err
	}
	if bytes.IndexByte(raw, '\\') < 0 {
		return unsafe.String(unsafe.SliceData(raw[1:]), len(raw)-2), nil
	}
	b, err := jsontext.AppendUnquote(nil, raw)
	return string(b), err
}

// delegate decodes the next value with encoding/json/v2: the types that decode
// themselves (unions, free-form objects) and anything else the generator leaves to it.
func (d *fastDecoder) delegate(p any) error {
	return jsonv2.UnmarshalDecode(&d.dec, p)
}

// readString reads a JSON string. Text without escapes or invalid UTF-8 is copied into the
// current chunk; other text is unquoted by encoding/json/v2, which replaces invalid
// UTF-8 as the general path does.
func (d *fastDecoder) readString() (string, error) {
	raw, err := d.dec.ReadValue()
	if err != nil {
		return "", err
	}
	if raw.Kind() != '"' {
		return "", errNotFast
	}
	text := raw[1 : len(raw)-1]
	if bytes.IndexByte(text, '\\') >= 0 || !utf8.Valid(text) {
		var s string
		err := jsonv2.Unmarshal(raw, &s, decodeOptions)
		return s, err
	}
	return d.keep(text), nil
}

// keep returns b as a string whose bytes come from the current chunk of text.
func (d *fastDecoder) keep(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if len(b) > maxCarved {
		return string(b)
	}
	if cap(d.text)-len(d.text) < len(b) {
		// The answer's strings never hold more than the answer: a short answer gets a
		// short chunk.
		d.text = make([]byte, 0, min(textChunk, max(d.size-int(d.dec.InputOffset()), len(b))))
	}
	start := len(d.text)
	d.text = append(d.text, b...)
	return unsafe.String(&d.text[start], len(b))
}

// setCell points *p at the next cell of chunk, holding v. T is U or a type defined on
// it (an enum), so the two have the same layout.
func setCell[T, U any](d *fastDecoder, p **T, chunk *[]U, v U) {
	cell := carve(d.c, chunk)
	*cell = v
	*p = (*T)(unsafe.Pointer(cell))
}

func decodeString[T ~string](d *fastDecoder, p *T) error {
	if d.null() {
		*p = ""
		return d.skipNull()
	}
	s, err := d.readString()
	*p = T(s)
	return err
}

func decodeStringPtr[T ~string](d *fastDecoder, p **T) error {
	if d.null() {
		*p = nil
		return d.skipNull()
	}
	s, err := d.readString()
	if err != nil {
		return err
	}
	setCell(d, p, &d.c.strings, s)
	return nil
}

func (d *fastDecoder) readBool() (bool, error) {
	switch d.dec.PeekKind() {
	case 't', 'f':
		tok, err := d.dec.ReadToken()
		if err != nil {
			return false, err
		}
		return tok.Bool(), nil
	}
	return false, errNotFast
}

func decodeBool[T ~bool](d *fastDecoder, p *T) error {
	if d.null() {
		*p = false
		return d.skipNull()
	}
	b, err := d.readBool()
	*p = T(b)
	return err
}

func decodeBoolPtr[T ~bool](d *fastDecoder, p **T) error {
	if d.null() {
		*p = nil
		return d.skipNull()
	}
	b, err := d.readBool()
	if err != nil {
		return err
	}
	setCell(d, p, &d.c.bools, b)
	return nil
}

// readInt reads an integer written as one: a fraction or an exponent fails, as it does in
// encoding/json/v2, and so does a value out of T's range.
func readInt[T ~int | ~int64 | ~int32](d *fastDecoder) (T, error) {
	raw, err := d.dec.ReadValue()
	if err != nil {
		return 0, err
	}
	if raw.Kind() != '0' {
		return 0, errNotFast
	}
	n, ok := plainInt(raw)
	if !ok {
		if n, err = strconv.ParseInt(string(raw), 10, 64); err != nil {
			return 0, errNotFast
		}
	}
	if int64(T(n)) != n {
		return 0, errNotFast
	}
	return T(n), nil
}

func decodeInt[T ~int | ~int64 | ~int32](d *fastDecoder, p *T) error {
	if d.null() {
		*p = 0
		return d.skipNull()
	}
	n, err := readInt[T](d)
	*p = n
	return err
}

func decodeIntPtr[T ~int | ~int64 | ~int32](d *fastDecoder, p **T) error {
	if d.null() {
		*p = nil
		return d.skipNull()
	}
	n, err := readInt[T](d)
	if err != nil {
		return err
	}
	if unsafe.Sizeof(n) == 8 {
		setCell(d, p, &d.c.int64s, int64(n))
	} else {
		*p = &n
	}
	return nil
}

func readFloat[T ~float32 | ~float64](d *fastDecoder) (T, error) {
	raw, err := d.dec.ReadValue()
	if err != nil {
		return 0, err
	}
	if raw.Kind() != '0' {
		return 0, errNotFast
	}
	var zero T
	f, err := strconv.ParseFloat(string(raw), int(unsafe.Sizeof(zero))*8)
	if err != nil {
		return 0, errNotFast
	}
	return T(f), nil
}

func decodeFloatPtr[T ~float32 | ~float64](d *fastDecoder, p **T) error {
	if d.null() {
		*p = nil
		return d.skipNull()
	}
	f, err := readFloat[T](d)
	if err != nil {
		return err
	}
	cell := new(T)
	*cell = f
	*p = cell
	return nil
}

// readTime reads a time written as RFC 3339 in its plain form (2006-01-02T15:04:05Z, with
// an optional fraction and a numeric offset in place of Z), escaped or not.
// encoding/json/v2 parses
// those with time.Time.UnmarshalText too; it also accepts and rejects some rarer forms,
// which are left to it.
func (d *fastDecoder) readTime() (time.Time, error) {
	var t time.Time
	raw, err := d.dec.ReadValue()
	if err != nil {
		return t, err
	}
	if raw.Kind() != '"' {
		return t, errNotFast
	}
	text := raw[1 : len(raw)-1]
	if bytes.IndexByte(text, '\\') >= 0 {
		var buf [64]byte
		if text, err = jsontext.AppendUnquote(buf[:0], raw); err != nil {
			return t, errNotFast
		}
	}
	if !plainRFC3339(text) || t.UnmarshalText(text) != nil {
		return t, errNotFast
	}
	return t, nil
}

// plainRFC3339 reports whether b has the shape 2006-01-02T15:04:05[.999999999](Z|±07:00),
// with an offset of less than 24 hours and 60 minutes.
func plainRFC3339(b []byte) bool {
	const shape = "0000-00-00T00:00:00"
	if len(b) < len(shape)+1 {
		return false
	}
	for i := range len(shape) {
		if shape[i] == '0' && (b[i] < '0' || b[i] > '9') || shape[i] != '0' && b[i] != shape[i] {
			return false
		}
	}
	rest := b[len(shape):]
	if rest[0] == '.' {
		n := 1
		for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
			n++
		}
		if n == 1 || n > 10 {
			return false
		}
		rest = rest[n:]
	}
	switch {
	case len(rest) == 1 && rest[0] == 'Z':
		return true
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		for _, i := range []int{1, 2, 4, 5} {
			if rest[i] < '0' || rest[i] > '9' {
				return false
			}
		}
		return (rest[1]-'0')*10+rest[2]-'0' < 24 && (rest[4]-'0')*10+rest[5]-'0' < 60
	}
	return false
}

func (d *fastDecoder) decodeTimePtr(p **time.Time) error {
	if d.null() {
		*p = nil
		return d.skipNull()
	}
	t, err := d.readTime()
	if err != nil {
		return err
	}
	setCell(d, p, &d.c.times, t)
	return nil
}
