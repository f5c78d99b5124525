// Command zoomusers manages the users of a Zoom account from the command line, and runs
// admin jobs over many users from a file, with a plan first. "zoomusers help" lists the
// commands and the environment variables; "zoomusers COMMAND -h" explains one command.
//
// USER is a user ID, an email address, or "me". Credentials come from ZOOM_ACCOUNT_ID,
// ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET (ZOOM_BASE_URL and ZOOM_TOKEN_URL override the
// endpoints). With none set, the command says so and runs against a built-in fake Zoom
// seeded with sample users.
//
// Exit status: 0 success; 1 Zoom or the network refused; 2 a local mistake (the command
// line, an input file, an invalid email or setting, missing credentials), found before
// any request; 3 a settings change Zoom answered with success but did not make (the
// read-back shows a key absent or unchanged); 130 interrupted (Ctrl-C), 143 terminated.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync/atomic"
	"syscall"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/bulk"
	"github.com/zoomkit/go-zoomusers/zoomusers/settingspec"
)

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	var caught atomic.Value
	sigc := make(chan os.Signal, 1)
	signal.Notify(sigc, os.Interrupt, syscall.SIGTERM)
	go func() {
		s := <-sigc
		caught.Store(s)
		cancel()
		signal.Stop(sigc) // a second Ctrl-C ends the process at once
	}()
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	if s, ok := caught.Load().(os.Signal); ok && code == exitInterrupted && s == syscall.SIGTERM {
		code = 128 + int(syscall.SIGTERM)
	}
	os.Exit(code)
}

// Exit codes.
const (
	exitOK          = 0
	exitRefused     = 1   // Zoom or the network refused
	exitLocal       = 2   // a local mistake, found before any request
	exitNotApplied  = 3   // Zoom answered success, the read-back shows a setting not applied
	exitInterrupted = 130 // Ctrl-C (128 + SIGINT); SIGTERM exits 143
)

// usageError is a local mistake: the command line, an input file, a value.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// errHelp ends a command that printed its help.
var errHelp = errors.New("help printed")

// exitCode classifies an error: local mistakes exit 2, whatever their source.
func exitCode(ctx context.Context, err error) int {
	var (
		ue  usageError
		ie  bulk.InputErrors
		uk  *settingspec.UnknownError
		ro  *settingspec.ReadOnlyError
		ve  *settingspec.ValueError
		cfg *configError
	)
	var zerr *zoomusers.Error
	var na notAppliedError
	switch {
	case err == nil || errors.Is(err, errHelp):
		return exitOK
	case errors.As(err, &na):
		return exitNotApplied
	case ctx.Err() != nil && errors.Is(err, context.Canceled):
		return exitInterrupted
	case errors.As(err, &zerr):
		return exitRefused
	case errors.As(err, &ue), errors.As(err, &ie), errors.As(err, &uk), errors.As(err, &ro), errors.As(err, &ve), errors.As(err, &cfg),
		errors.Is(err, zoomusers.ErrInvalidUserID), errors.Is(err, zoomusers.ErrFileType), errors.Is(err, zoomusers.ErrFileTooLarge),
		errors.Is(err, zoomusers.ErrEmptyFile):
		return exitLocal
	}
	return exitRefused
}

// run executes one command line and returns the exit code.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	defer e.close()
	if len(args) == 0 {
		fmt.Fprint(stderr, mainHelp())
		return exitLocal
	}
	name := args[0]
	switch name {
	case "-h", "--help", "-help":
		name = "help"
	case "-version", "--version":
		name = "version"
	}
	cmd, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "zoomusers: unknown command %q; run 'zoomusers help' for the list\n", args[0])
		return exitLocal
	}
	err := cmd.run(ctx, e, args[1:])
	code := exitCode(ctx, err)
	switch {
	case code == exitOK:
	case code == exitInterrupted:
		fmt.Fprintf(stderr, "zoomusers %s: interrupted\n", name)
	case code == exitLocal, code == exitNotApplied:
		fmt.Fprintf(stderr, "zoomusers %s: %s\n", name, unprefixed(err.Error()))
	default:
		fmt.Fprintf(stderr, "zoomusers %s: %s\n", name, unprefixed(describe(err)))
	}
	return code
}

// unprefixed drops the "zoomusers: " the library puts before its messages, so that a
// line reads "zoomusers get: invalid user ID", not "zoomusers get: zoomusers: invalid ...".
func unprefixed(msg string) string {
	for strings.HasPrefix(msg, "zoomusers: ") {
		msg = strings.TrimPrefix(msg, "zoomusers: ")
	}
	return msg
}
