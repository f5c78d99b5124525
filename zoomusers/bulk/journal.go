package bulk

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// Journal records the rows a job has finished, in a file of JSON lines, so that a run
// after an interruption (a crash, Ctrl-C, a daily limit) skips them. A row is known by
// its content: a row edited since is run again. Rows that failed are recorded too, for the
// record, and run again. Each entry is written with one write to a file opened for
// appending, so a process killed at any point leaves every earlier entry whole.
type Journal struct {
	mu   sync.Mutex
	f    *os.File
	path string
	done map[string]Result
}

type journalEntry struct {
	Key string    `json:"key"`
	At  time.Time `json:"at"`
	Result
}

// OpenJournal opens the journal at path, creating it if need be, and reads the rows it
// holds as finished. A torn last line (the process died while writing it) is ignored.
func OpenJournal(path string) (*Journal, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("bulk: opening the journal: %w", err)
	}
	j := &Journal{f: f, path: path, done: map[string]Result{}}
	lr := newLineReader(f)
	for {
		line, text, err := lr.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("bulk: reading the journal %s: %w", path, err)
		}
		var e journalEntry
		if err := json.Unmarshal(text, &e); err != nil || e.Key == "" {
			if _, peekErr := lr.r.Peek(1); peekErr == io.EOF {
				continue // a torn last entry
			}
			f.Close()
			return nil, fmt.Errorf("bulk: the journal %s is damaged at line %d; it is not a journal of this tool, or was edited", path, line)
		}
		if e.Outcome.finished() {
			j.done[e.Key] = e.Result
		} else {
			delete(j.done, e.Key)
		}
	}
	if err := dropTornTail(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("bulk: repairing the journal %s: %w", path, err)
	}
	return j, nil
}

// dropTornTail cuts a last line without its newline (the process died while writing it)
// so that the next entry starts on a line of its own.
func dropTornTail(f *os.File) error {
	st, err := f.Stat()
	if err != nil {
		return err
	}
	size := st.Size()
	buf := make([]byte, 4096)
	end := size
	for end > 0 {
		n := int64(len(buf))
		if end < n {
			n = end
		}
		if _, err := f.ReadAt(buf[:n], end-n); err != nil {
			return err
		}
		if i := bytes.LastIndexByte(buf[:n], '\n'); i >= 0 {
			end = end - n + int64(i) + 1
			break
		}
		end -= n
	}
	if end == size {
		return nil
	}
	return f.Truncate(end)
}

// Path returns the journal's file name.
func (j *Journal) Path() string { return j.path }

// Finished counts the rows the journal holds as finished.
func (j *Journal) Finished() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return len(j.done)
}

// Done returns the result of the row's finished run, if the journal has one.
func (j *Journal) Done(r Row) (Result, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	res, ok := j.done[r.key()]
	return res, ok
}

func (j *Journal) record(r Row, res Result) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	e := journalEntry{Key: r.key(), At: time.Now().UTC(), Result: res}
	raw, err := json.Marshal(e)
	if err != nil {
		return err
	}
	if _, err := j.f.Write(append(raw, '\n')); err != nil {
		return fmt.Errorf("bulk: writing the journal %s: %w", j.path, err)
	}
	if res.Outcome.finished() {
		j.done[e.Key] = res
	}
	return nil
}

// Close flushes the journal to disk and closes it.
func (j *Journal) Close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if err := j.f.Sync(); err != nil {
		j.f.Close()
		return err
	}
	return j.f.Close()
}
