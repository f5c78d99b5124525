package zoomusers

import (
	"fmt"
	"reflect"
	"strconv"
	"time"
	"unsafe"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/zoomkit/go-zoomusers/gen"
)

// Decoding optional fields from shared cells.
//
// The models' optional fields are pointers, nil when Zoom leaves the field out, and a
// decoder allocates each pointer's target on its own: about ten allocations for a user,
// over two hundred for a user's settings, where a hand-written client decoding into
// plain values makes none. Here the targets of one answer are carved from a few chunks
// of cells instead, one chunk per underlying type, the first chunks of the common types
// in one allocation (cellBlock), so a user's optional fields usually cost one
// allocation in all. The values decode exactly as they would without the
// chunks: each cell is filled by encoding/json/v2's own unmarshaler for its type, so an
// answer that fails here fails the same way without them, and the repair pass
// (repair.go) sees the same errors.
//
// A chunk is never reused: the answer's values keep it alive. Chunks stay small
// (maxChunk cells), so a caller that keeps one user of a page keeps at most about a
// kilobyte of its neighbours' cells with it.
//
// A named type (an enum such as gen.UserStatus) shares the chunk of its underlying type:
// the two have the same memory layout. A pointer type missing from carvers still
// decodes, one allocation per value; TestCellsCoverModels names any the models add.

const (
	firstChunk = 16 // cells in an answer's first chunk of a type
	maxChunk   = 64 // cells in a chunk at most
)

// cells holds the chunks one answer's optional fields are carved from, and the
// decoding options whose unmarshalers carve from them. A cells serves one decode at a
// time: take it with getCells, give it back with putCells.
type cells struct {
	strings []string
	bools   []bool
	ints    []int
	int64s  []int64
	float32 []float32
	float64 []float64
	times   []time.Time

	blocked bool // this answer's first chunks, a cellBlock, are taken
	opts    jsonv2.Options
	fast    fastDecoder // fastdecode.go
}

// cellBlock is an answer's first chunks of the common types, in one allocation: the
// optional fields of a user with a dozen fields fit in it, a user with all of them takes
// one chunk of strings more.
type cellBlock struct {
	strings [16]string
	bools   [8]bool
	ints    [2]int // the general path's; the fast path carves every 64-bit integer from int64s
	int64s  [6]int64
	times   [2]time.Time
}

// refill gives the answer its first chunks, once: those still empty take their part of
// one cellBlock. It reports whether it did.
func (c *cells) refill() bool {
	if c.blocked {
		return false
	}
	c.blocked = true
	b := new(cellBlock)
	if c.strings == nil {
		c.strings = b.strings[:0]
	}
	if c.bools == nil {
		c.bools = b.bools[:0]
	}
	if c.ints == nil {
		c.ints = b.ints[:0]
	}
	if c.int64s == nil {
		c.int64s = b.int64s[:0]
	}
	if c.times == nil {
		c.times = b.times[:0]
	}
	return true
}

// carvers lists, for each pointer type decoded from cells, the chunk its cells come from.
func (c *cells) carvers() []carving {
	return []carving{
		carver[string](c, &c.strings),
		carver[bool](c, &c.bools),
		carver[int](c, &c.ints),
		carver[int64](c, &c.int64s),
		carver[float32](c, &c.float32),
		carver[float64](c, &c.float64),
		carver[time.Time](c, &c.times),
		carver[gen.AudioType](c, &c.strings),
		carver[gen.AuthenticationOptionType](c, &c.strings),
		carver[gen.AuthenticationOptionUpdateAction](c, &c.strings),
		carver[gen.AuthenticationOptionUpdateType](c, &c.strings),
		carver[gen.AutoRecording](c, &c.strings),
		carver[gen.DeviceStatus](c, &c.strings),
		carver[gen.EncryptionType](c, &c.strings),
		carver[gen.EntryExitChime](c, &c.strings),
		carver[gen.PMIPasswordRequirement](c, &c.strings),
		carver[gen.PhoneLabel](c, &c.strings),
		carver[gen.ReactionEmojis](c, &c.strings),
		carver[gen.ScreenSharers](c, &c.strings),
		carver[gen.ScreenTakeover](c, &c.strings),
		carver[gen.SimultaneousSharing](c, &c.strings),
		carver[gen.UserStatus](c, &c.strings),
		carver[gen.VirtualBackgroundFileType](c, &c.strings),
		carver[gen.AttendeesChatWith](c, &c.ints),
		carver[gen.CloudRecordingRetention](c, &c.ints),
		carver[gen.ConsecutiveCharacters](c, &c.ints),
		carver[gen.DefaultAttendeesChatWith](c, &c.ints),
		carver[gen.MeetingChatSaving](c, &c.ints),
		carver[gen.PanelistsChatWith](c, &c.ints),
		carver[gen.ParticipantsChatWith](c, &c.ints),
		carver[gen.PronounsOption](c, &c.ints),
		carver[gen.QuestionAskers](c, &c.ints),
		carver[gen.SummaryRecipients](c, &c.ints),
		carver[gen.UserType](c, &c.ints),
		carver[gen.UserVerified](c, &c.ints),
		carver[gen.WaitingRoomAdmitters](c, &c.ints),
		carver[gen.WaitingRoomPlacement](c, &c.ints),
		carver[gen.WebinarChatSaving](c, &c.ints),
		carver[gen.ZoomEventsCapacity](c, &c.ints),
	}
}

// carving is the unmarshaler of one pointer type.
type carving struct {
	typ reflect.Type // the field's type, such as *string
	u   *jsonv2.Unmarshalers
}

// carver returns the unmarshaler of the fields of type *T, whose targets it carves
// from chunk. T and U must have the same memory layout (T is U, or a type defined on
// it).
func carver[T, U any](c *cells, chunk *[]U) carving {
	t, u := reflect.TypeFor[T](), reflect.TypeFor[U]()
	if t.Kind() != u.Kind() || t.Size() != u.Size() || !t.ConvertibleTo(u) {
		panic(fmt.Sprintf("zoomusers: cells of %v cannot hold a %v", u, t))
	}
	plain := !hasJSONMethods(t) // a type with its own methods is decoded by them
	return carving{typ: reflect.PointerTo(t), u: jsonv2.UnmarshalFromFunc(func(dec *jsontext.Decoder, p **T) error {
		if *p != nil {
			return jsonv2.UnmarshalDecode(dec, *p)
		}
		if dec.PeekKind() == 'n' {
			_, err := dec.ReadToken() // null leaves the field nil
			return err
		}
		cell := (*T)(unsafe.Pointer(carve(c, chunk)))
		if err := decodeCell(dec, cell, t.Kind(), plain); err != nil {
			return err
		}
		*p = cell
		return nil
	})}
}

// carve returns the next cell of chunk, from a new chunk when it is full.
func carve[U any](c *cells, chunk *[]U) *U {
	s := *chunk
	if len(s) == cap(s) && c.refill() {
		s = *chunk
	}
	if len(s) == cap(s) {
		s = make([]U, 0, min(max(2*cap(s), firstChunk), maxChunk))
	}
	s = s[:len(s)+1]
	*chunk = s
	return &s[len(s)-1]
}

// decodeCell decodes the next value into cell, of kind k. Booleans and integers written
// plainly are read straight from the token, which costs a fraction of a full unmarshal
// call per field; anything else goes through encoding/json/v2 itself, so the result and
// the errors are the same either way (TestCellsDecodeAsWithout). Strings go through it
// too: its decoder shares the text of repeated short strings ("active", "UTC") where a
// token's String would allocate each.
func decodeCell[T any](dec *jsontext.Decoder, cell *T, k reflect.Kind, plain bool) error {
	if !plain {
		return jsonv2.UnmarshalDecode(dec, cell)
	}
	next := dec.PeekKind()
	switch {
	case k == reflect.Bool && (next == 't' || next == 'f'):
		tok, err := dec.ReadToken()
		if err != nil {
			return err
		}
		*(*bool)(unsafe.Pointer(cell)) = tok.Bool()
		return nil
	case (k == reflect.Int64 || k == reflect.Int && strconv.IntSize == 64) && next == '0':
		raw, err := dec.ReadValue()
		if err != nil {
			return err
		}
		if n, ok := plainInt(raw); ok {
			*(*int64)(unsafe.Pointer(cell)) = n // an int is 64 bits wide here
			return nil
		}
		return jsonv2.Unmarshal(raw, cell, decodeOptions) // a fraction, an exponent, an overflow
	}
	return jsonv2.UnmarshalDecode(dec, cell)
}

// plainInt parses an integer written with digits alone, and reports false for any
// other number (which encoding/json/v2 then judges).
func plainInt(raw []byte) (int64, bool) {
	neg := len(raw) > 0 && raw[0] == '-'
	if neg {
		raw = raw[1:]
	}
	if len(raw) == 0 || len(raw) > 18 { // 18 digits never overflow
		return 0, false
	}
	var n int64
	for _, c := range raw {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

func newCells() *cells {
	c := new(cells)
	c.fast.c = c
	carvers := c.carvers()
	u := make([]*jsonv2.Unmarshalers, len(carvers))
	for i, cv := range carvers {
		u[i] = cv.u
	}
	c.opts = jsonv2.JoinOptions(decodeOptions, jsonv2.WithUnmarshalers(jsonv2.JoinUnmarshalers(u...)))
	return c
}

// freeCells keeps idle cells, whose options have warmed their per-type caches; a
// channel rather than a sync.Pool, which would drop them at every garbage collection.
var freeCells = make(chan *cells, 16)

func getCells() *cells {
	select {
	case c := <-freeCells:
		return c
	default:
		return newCells()
	}
}

// putCells gives c back once its decode is done. The chunks belong to the decoded
// answer now: c starts the next one with none.
func putCells(c *cells) {
	c.strings, c.bools, c.ints, c.int64s, c.float32, c.float64, c.times = nil, nil, nil, nil, nil, nil, nil
	c.blocked = false
	select {
	case freeCells <- c:
	default:
	}
}
