// Command zoomtest runs the fake Zoom of package zoomtest on its own, so that clients in
// any language can be tested against it:
//
//	go run ./cmd/zoomtest --addr 127.0.0.1:8099 --users 500
//
// It prints the base URL, token URL and Server-to-Server credentials it accepts, then the
// same as export lines to paste into a shell (for the zoomusers command, say). It
// enforces the rate limits of the Pro plan unless --plan says otherwise, as the zoomtest
// package does (zoomtest.DefaultPlan).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "zoomtest:", err)
		os.Exit(exitCode(err))
	}
}

// usageError is a mistake on the command line: exit 2, as the zoomusers command does.
type usageError struct{ error }

// exitCode is 2 for a mistake on the command line, 1 for anything else (such as an
// address already in use).
func exitCode(err error) int {
	if errors.As(err, new(usageError)) {
		return 2
	}
	return 1
}

// shellQuote quotes s for a POSIX shell when it holds anything but safe characters.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:@") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// run serves the fake until ctx is done.
func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("zoomtest", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8099", "address to listen on (loopback unless you mean otherwise)")
	users := fs.Int("users", 100, "users to seed besides the account owner")
	plan := fs.String("plan", strings.ToLower(zoomtest.DefaultPlan.String()), "account plan whose rate limits apply: free, pro or business")
	noLimits := fs.Bool("no-rate-limits", false, "turn rate limiting off")
	wild := fs.Bool("wild", false, "answer like Zoom in the wild: pmi as strings, custom_attributes as an object, undocumented and repeated keys (see zoomtest.WithWildAnswers)")
	snapshot := fs.String("snapshot", "", "seed users and answer shapes from a capture of `zoomusers doctor -corpus DIR` (see zoomtest.WithSnapshot)")
	fs.SetOutput(out)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(out, "\nExample:\n  go run ./cmd/zoomtest --addr 127.0.0.1:8099 --plan business --users 500\n")
			return nil
		}
		return usageError{err}
	}
	p, ok := map[string]zoomusers.Plan{"free": zoomusers.PlanFree, "pro": zoomusers.PlanPro, "business": zoomusers.PlanBusiness}[strings.ToLower(*plan)]
	if !ok {
		return usageError{fmt.Errorf("--plan %q: want free, pro or business", *plan)}
	}
	if *users < 0 {
		return usageError{fmt.Errorf("--users %d: want 0 or more", *users)}
	}
	opts := []zoomtest.Option{zoomtest.WithUsers(*users), zoomtest.WithPlan(p)}
	if *noLimits {
		opts = append(opts, zoomtest.WithoutRateLimits())
	}
	if *wild {
		opts = append(opts, zoomtest.WithWildAnswers())
	}
	if *snapshot != "" {
		if _, err := zoomtest.ReadSnapshot(*snapshot); err != nil {
			// The message names the file and the problem; main prefixes "zoomtest:" once.
			return usageError{fmt.Errorf("--snapshot: %s", strings.TrimPrefix(err.Error(), "zoomtest: "))}
		}
		opts = append(opts, zoomtest.WithSnapshot(*snapshot))
	}
	fake := zoomtest.NewUnstarted(opts...)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: fake.Handler(), ReadHeaderTimeout: 10 * time.Second}
	root := "http://" + ln.Addr().String()
	limits := "plan " + strings.ToLower(p.String())
	if *noLimits {
		limits = "off"
	}
	fmt.Fprintf(out, "fake Zoom listening\n  base URL:      %s/v2\n  token URL:     %s/oauth/token\n  account ID:    %s\n  client ID:     %s\n  client secret: %s\n  rate limits:   %s\n",
		root, root, zoomtest.AccountID, zoomtest.ClientID, zoomtest.ClientSecret, limits)
	fmt.Fprintf(out, "\n# paste into a shell to point zoomusers (or any client reading these) at this fake:\n")
	for _, kv := range [][2]string{{"ZOOM_ACCOUNT_ID", zoomtest.AccountID}, {"ZOOM_CLIENT_ID", zoomtest.ClientID},
		{"ZOOM_CLIENT_SECRET", zoomtest.ClientSecret}, {"ZOOM_BASE_URL", root + "/v2"}, {"ZOOM_TOKEN_URL", root + "/oauth/token"}} {
		fmt.Fprintf(out, "export %s=%s\n", kv[0], shellQuote(kv[1]))
	}

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	}
}
