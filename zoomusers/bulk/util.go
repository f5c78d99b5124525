package bulk

import (
	"bufio"
	"crypto/sha256"
	"io"
)

func sha256Sum(b []byte) []byte {
	s := sha256.Sum256(b)
	return s[:16] // 128 bits tell rows apart; the journal stays readable
}

// lineReader reads lines of any length with their numbers.
type lineReader struct {
	r    *bufio.Reader
	line int
}

func newLineReader(r io.Reader) *lineReader { return &lineReader{r: bufio.NewReader(r)} }

// next returns the next line without its end, and its number; io.EOF after the last.
func (l *lineReader) next() (int, []byte, error) {
	text, err := l.r.ReadBytes('\n')
	if len(text) == 0 && err != nil {
		return 0, nil, err
	}
	l.line++
	for len(text) > 0 && (text[len(text)-1] == '\n' || text[len(text)-1] == '\r') {
		text = text[:len(text)-1]
	}
	return l.line, text, nil
}
