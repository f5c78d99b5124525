package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"

	"github.com/zoomkit/go-zoomusers/zoomusers/bulk"
)

// isTerminal reports whether v is a terminal (not a pipe, a file or /dev/null).
func isTerminal(v any) bool {
	f, ok := v.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// confirm asks a yes/no question on the terminal. Without a terminal to ask on it
// refuses, naming the flag that answers yes in advance: a script must say so. An
// interrupt while it waits for the answer ends it with ctx's error (exit 130); the read
// it leaves behind ends with the process.
func (e *env) confirm(ctx context.Context, question string) error {
	if !isTerminal(e.stdin) || !isTerminal(e.stderr) {
		return usagef("%s: standard input is not a terminal to ask on; add -yes to go ahead without asking", strings.TrimSuffix(question, "?"))
	}
	fmt.Fprintf(e.stderr, "%s [y/N] ", question)
	type answer struct {
		line string
		err  error
	}
	answered := make(chan answer, 1)
	go func() {
		line, err := bufio.NewReader(e.stdin).ReadString('\n')
		answered <- answer{line, err}
	}()
	var a answer
	select {
	case <-ctx.Done():
		fmt.Fprintln(e.stderr)
		return fmt.Errorf("not confirmed: %w", ctx.Err())
	case a = <-answered:
	}
	if a.err != nil && a.err != io.EOF {
		return a.err
	}
	switch strings.ToLower(strings.TrimSpace(a.line)) {
	case "y", "yes":
		return nil
	}
	return usagef("not confirmed; nothing was changed")
}

// progressLine draws progress on one line of a terminal, redrawn in place at most ten
// times a second. Into a pipe or a file it draws nothing, unless made by
// newLoggedProgress: then it writes plain lines for logs, one every plainEvery and one
// when a phase ends.
type progressLine struct {
	mu    sync.Mutex
	w     io.Writer // nil: draw nothing
	plain bool      // whole lines, no redrawing
	last  time.Time
	width int
}

// plainEvery spaces the progress lines written to a log.
const plainEvery = 10 * time.Second

func newProgressLine(stderr io.Writer) *progressLine {
	if !isTerminal(stderr) {
		return &progressLine{}
	}
	return &progressLine{w: stderr}
}

// newLoggedProgress is a progressLine that writes plain lines when stderr is not a
// terminal, so that a job run from cron or CI shows it is alive.
func newLoggedProgress(stderr io.Writer) *progressLine {
	if !isTerminal(stderr) {
		return &progressLine{w: stderr, plain: true, last: time.Now()}
	}
	return &progressLine{w: stderr}
}

func (p *progressLine) show(text string, force bool) {
	if p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.plain {
		if force || time.Since(p.last) >= plainEvery {
			p.last = time.Now()
			fmt.Fprintln(p.w, text)
		}
		return
	}
	if !force && time.Since(p.last) < 100*time.Millisecond {
		return
	}
	p.last = time.Now()
	pad := max(0, p.width-len(text))
	p.width = len(text)
	fmt.Fprintf(p.w, "\r%s%s", text, strings.Repeat(" ", pad))
}

// update is a bulk.Progress handler.
func (p *progressLine) update(pr bulk.Progress) {
	p.show(pr.String(), pr.Total > 0 && pr.Done == pr.Total)
}

// clear removes the line, so that what follows starts at the left margin.
func (p *progressLine) clear() {
	if p.w == nil || p.plain {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.width > 0 {
		fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", p.width))
		p.width = 0
	}
}
