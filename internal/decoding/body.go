package decoding

import (
	"io"
	"sync"
)

// Answers are read into pooled buffers: decoding copies every value out of the body
// (encoding/json/v2's Unmarshal never retains its input, and a Drift clones the value
// it reports), so the buffer can serve the next answer once the decode is done.

// maxPooledBody is the largest buffer kept for reuse; a longer answer's buffer is left
// to the garbage collector, so that one huge page does not stay in memory.
const maxPooledBody = 4 << 20

var bodyBuffers = sync.Pool{New: func() any { return new([]byte) }}

// ReadBody reads r to its end into a pooled buffer; give it back with ReleaseBody
// once nothing refers to its bytes. sizeHint is the announced length (the answer's
// Content-Length, already bounded by the caller), or -1.
func ReadBody(r io.Reader, sizeHint int64) (*[]byte, error) {
	bp := bodyBuffers.Get().(*[]byte)
	b := (*bp)[:0]
	if sizeHint > 0 && int64(cap(b)) <= sizeHint {
		b = make([]byte, 0, sizeHint+1) // one byte more: EOF is seen without growing
	}
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			*bp = b
			return bp, nil
		}
		if err != nil {
			*bp = b
			ReleaseBody(bp)
			return nil, err
		}
	}
}

// ReleaseBody gives a buffer from ReadBody back for reuse.
func ReleaseBody(bp *[]byte) {
	if cap(*bp) <= maxPooledBody {
		*bp = (*bp)[:0]
		bodyBuffers.Put(bp)
	}
}
