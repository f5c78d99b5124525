// Command zoomusers manages the users of a Zoom account from the command line, and shows
// the zoomusers library at work.
//
//	zoomusers list [-status active|inactive|pending] [-role ID] [-format table|json|csv]
//	zoomusers get USER
//	zoomusers create -email EMAIL [-first NAME] [-last NAME] [-type basic|licensed] [-action create|autoCreate|custCreate|ssoCreate]
//	zoomusers update USER [-first NAME] [-last NAME] [-dept DEPT] [-job-title TITLE] [-timezone TZ]
//	zoomusers delete USER [-permanent] [-transfer-to EMAIL]
//	zoomusers activate USER | deactivate USER
//	zoomusers settings USER [-set section.field=value ...]
//	zoomusers assistants USER | schedulers USER
//	zoomusers upload-picture USER FILE
//	zoomusers demo
//	zoomusers webhook listen [-addr HOST:PORT] [-secret TOKEN ...]
//
// USER is a user ID, an email address, or "me". Credentials come from ZOOM_ACCOUNT_ID,
// ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET (ZOOM_BASE_URL and ZOOM_TOKEN_URL override the
// endpoints). With none set, the command says so and runs against a built-in fake Zoom
// seeded with sample users.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// Exit codes.
const (
	exitOK    = 0
	exitError = 1 // Zoom or the network refused
	exitUsage = 2 // a bad command line
)

// usageError is a mistake on the command line.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// run executes one command line and returns the exit code.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(stdout, usage)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "zoomusers: unknown command %q; run 'zoomusers help'\n", args[0])
		return exitUsage
	}
	env, err := connect(ctx, getenv, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "zoomusers:", err)
		return exitError
	}
	defer env.close()
	env.stdout, env.stderr = stdout, stderr
	if err := cmd(ctx, env, args[1:]); err != nil {
		var ue usageError
		if errors.As(err, &ue) {
			fmt.Fprintf(stderr, "zoomusers %s: %s\n", args[0], ue.msg)
			return exitUsage
		}
		fmt.Fprintf(stderr, "zoomusers %s: %s\n", args[0], describe(err))
		return exitError
	}
	return exitOK
}

const usage = `zoomusers manages the users of a Zoom account.

Commands:
  list            list users (-status, -role, -format table|json|csv)
  get USER        show one user (ID, email or "me")
  create          add a user (-email, -first, -last, -type, -action)
  update USER     change profile fields (-first, -last, -dept, -job-title, -timezone)
  delete USER     disassociate a user, or erase with -permanent (-transfer-to EMAIL)
  activate USER   activate a deactivated user
  deactivate USER deactivate a user
  settings USER   show settings, or change them with -set section.field=value
  assistants USER list a user's assistants
  schedulers USER list the users a user schedules for
  upload-picture USER FILE  set a profile picture (JPEG or PNG, at most 2 MB)
  demo            a short session: list, create, get, update, settings, delete
  webhook listen  serve a Zoom event endpoint and print verified events (-addr, -secret)

Credentials: ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID, ZOOM_CLIENT_SECRET (Server-to-Server OAuth).
Without them the commands run against a built-in fake Zoom with sample users.
`
