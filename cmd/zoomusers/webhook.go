package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/zoomkit/go-zoomusers/zoomusers/webhook"
)

// webhookUsage is the help of the webhook command.
const webhookUsage = `zoomusers webhook listen [-addr HOST:PORT] [-path /PATH] [-secret TOKEN ...] [-format text|json] [-tolerance 5m]

Serves a Zoom event notification endpoint and prints every verified event, one a line.
It answers Zoom's URL validation, refuses unsigned or stale requests (logged on stderr)
and answers 200 to each verified event. The secret is the app's Secret Token: -secret,
repeated to accept an old and a new token while rotating, or ZOOM_WEBHOOK_SECRET_TOKEN
(comma-separated for several). Zoom needs a public HTTPS URL: put a tunnel or proxy in
front of -addr.
`

// webhookCmd runs "zoomusers webhook listen".
func webhookCmd(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("webhook", flag.ContinueOnError)
	addr := fs.String("addr", "localhost:8080", "address to listen on")
	path := fs.String("path", "/", "URL path Zoom posts to")
	var secrets secretList
	fs.Var(&secrets, "secret", "the app's Secret Token; repeat while rotating (default $ZOOM_WEBHOOK_SECRET_TOKEN)")
	format := fs.String("format", "text", "text (one summary a line) or json (each body as received)")
	tolerance := fs.Duration("tolerance", webhook.DefaultTolerance, "how far a request's timestamp may be from this host's clock")
	pos, err := e.parse(fs, args, "listen")
	if err != nil {
		return err
	}
	if pos[0] != "listen" {
		return usagef("wants a subcommand: listen\n\n%s", webhookUsage)
	}
	if len(secrets) == 0 {
		for s := range strings.SplitSeq(e.getenv("ZOOM_WEBHOOK_SECRET_TOKEN"), ",") {
			if s = strings.TrimSpace(s); s != "" {
				secrets = append(secrets, s)
			}
		}
	}
	if len(secrets) == 0 {
		return usagef("needs the app's Secret Token: -secret TOKEN or ZOOM_WEBHOOK_SECRET_TOKEN")
	}
	if *format != "text" && *format != "json" {
		return usagef("-format %q: want text or json", *format)
	}
	if !strings.HasPrefix(*path, "/") {
		return usagef("-path %q: want a path starting with /", *path)
	}

	out := &lockedWriter{w: e.stdout}
	h, err := webhook.NewHandler(func(_ context.Context, ev *webhook.Event) error {
		if *format == "json" {
			var line bytes.Buffer
			if err := json.Compact(&line, ev.Raw); err != nil {
				return err
			}
			line.WriteByte('\n')
			_, err := out.Write(line.Bytes())
			return err
		}
		_, err := fmt.Fprintln(out, summarize(ev))
		return err
	}, webhook.HandlerOptions{
		Options: webhook.Options{Secrets: secrets, Tolerance: *tolerance},
		Logger:  slog.New(slog.NewTextHandler(&lockedWriter{w: e.stderr}, nil)),
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return usagef("listening on %s: %v", *addr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("POST "+*path, h)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	fmt.Fprintf(e.stderr, "zoomusers webhook: listening on http://%s%s with %d secret token(s); Ctrl-C stops\n", ln.Addr(), *path, len(secrets))
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func init() {
	commands["webhook"] = command{webhookCmd, "listen", "serve a Zoom event endpoint and print every verified event (needs no Zoom credentials)",
		"zoomusers webhook listen -addr :8080 -path /zoom/events   # secret from ZOOM_WEBHOOK_SECRET_TOKEN"}
}

// summarize is an event as one line: when, what, about whom, by whom, and the change.
func summarize(ev *webhook.Event) string {
	var b strings.Builder
	when := "-"
	if !ev.Time.IsZero() {
		when = ev.Time.UTC().Format(time.RFC3339)
	}
	fmt.Fprintf(&b, "%s %s", when, ev.Type)
	if id := ev.UserID(); id != "" {
		fmt.Fprintf(&b, " user=%s", id)
	}
	if ev.Operator != "" {
		fmt.Fprintf(&b, " by=%s", ev.Operator)
	}
	b.WriteString(" ")
	switch d := ev.Data.(type) {
	case *webhook.UserCreated:
		fmt.Fprintf(&b, "%s (%s)", d.User.Email, d.CreationType)
	case *webhook.UserUpdated:
		if d.Operation != "" {
			b.WriteString(d.Operation)
		}
		for i, k := range d.Changed {
			if i > 0 {
				b.WriteString("; ")
			}
			fmt.Fprintf(&b, "%s: %s -> %s", k, orNull(d.Old.Fields[k]), orNull(d.User.Fields[k]))
		}
	case *webhook.UserDeleted:
		b.WriteString(d.User.Email)
	case *webhook.UserDisassociated:
		b.WriteString(d.User.Email)
	case *webhook.UserDeactivated:
		b.WriteString(d.User.Email)
	case *webhook.UserActivated:
		b.WriteString(d.User.Email)
	case *webhook.UserInvitationAccepted:
		b.WriteString(d.User.Email)
	case *webhook.UserSettingsUpdated:
		now, _ := json.Marshal(d.Settings)
		old, _ := json.Marshal(d.OldSettings)
		fmt.Fprintf(&b, "%s (was %s)", now, old)
	case *webhook.UserPresenceStatusUpdated:
		fmt.Fprintf(&b, "%s %s", d.Email, d.Status)
	case *webhook.UserSignedIn:
		fmt.Fprintf(&b, "%s on %s %s", d.Session.Email, d.Session.ClientType, d.Session.Version)
	case *webhook.UserSignedOut:
		fmt.Fprintf(&b, "%s on %s %s", d.Session.Email, d.Session.ClientType, d.Session.Version)
	case *webhook.UserPersonalNotesUpdated:
		fmt.Fprintf(&b, "%s %q (was %q)", d.Email, d.Notes, d.OldNotes)
	case *webhook.UserEntitlementAdded:
		b.WriteString(d.Email)
	case *webhook.UserEntitlementRemoved:
		b.WriteString(d.Email)
	default:
		var payload bytes.Buffer
		if json.Compact(&payload, ev.Payload) == nil {
			b.Write(payload.Bytes())
		}
	}
	return strings.TrimSpace(b.String())
}

func orNull(raw json.RawMessage) string {
	if len(raw) == 0 {
		return "(none)"
	}
	return string(raw)
}

// secretList is a repeatable -secret flag.
type secretList []string

func (s *secretList) String() string { return fmt.Sprintf("%d secret(s)", len(*s)) }

func (s *secretList) Set(v string) error {
	if v == "" {
		return errors.New("empty secret")
	}
	*s = append(*s, v)
	return nil
}

// lockedWriter serializes writes from the server's goroutines.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
