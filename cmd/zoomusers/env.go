package main

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest"
)

// envVars are every environment variable the command reads; help and the README list
// them all (a test holds both to this table).
var envVars = []struct{ name, doc string }{
	{"ZOOM_ACCOUNT_ID", "the account ID of a Server-to-Server OAuth app"},
	{"ZOOM_CLIENT_ID", "the app's client ID"},
	{"ZOOM_CLIENT_SECRET", "the app's client secret"},
	{"ZOOM_BASE_URL", "the API's base URL (default " + zoomusers.DefaultBaseURL + "); needs the credentials"},
	{"ZOOM_TOKEN_URL", "the OAuth token URL (default " + zoomusers.DefaultTokenURL + "); needs the credentials"},
	{"ZOOM_WEBHOOK_SECRET_TOKEN", "webhook listen: the app's Secret Token, comma-separated to accept several while rotating"},
	{"ZOOM_PLAN", "the account's plan, for pacing requests under its rate limits: free, pro (default) or business"},
}

// env is what a command works with. The client is made on first use, so that help and
// local mistakes never need credentials or start the fake.
type env struct {
	getenv         func(string) string
	stdin          io.Reader
	stdout, stderr io.Writer

	extra []zoomusers.Option // a command's own client options, set before zoom is first called (doctor)

	once   sync.Once
	client *zoomusers.Client
	fake   *zoomtest.Server // nil against real Zoom
	err    error
}

func (e *env) close() {
	if e.fake != nil {
		e.fake.Close()
	}
}

// configError is a mistake in the environment: exit 2, before any request.
type configError struct{ msg string }

func (e *configError) Error() string { return e.msg }

// zoom returns the client, connecting on first use.
func (e *env) zoom() (*zoomusers.Client, error) {
	e.once.Do(func() { e.client, e.fake, e.err = connect(e.getenv, e.stderr, e.extra...) })
	return e.client, e.err
}

var plans = map[string]zoomusers.Plan{"free": zoomusers.PlanFree, "pro": zoomusers.PlanPro, "business": zoomusers.PlanBusiness}

// connect builds a client from the environment, or starts the fake when no credentials
// and no endpoints are set.
func connect(getenv func(string) string, stderr io.Writer, extra ...zoomusers.Option) (*zoomusers.Client, *zoomtest.Server, error) {
	creds := []string{"ZOOM_ACCOUNT_ID", "ZOOM_CLIENT_ID", "ZOOM_CLIENT_SECRET"}
	var set, missing []string
	for _, k := range creds {
		if getenv(k) != "" {
			set = append(set, k)
		} else {
			missing = append(missing, k)
		}
	}
	var endpoints []string
	for _, k := range []string{"ZOOM_BASE_URL", "ZOOM_TOKEN_URL"} {
		if getenv(k) != "" {
			endpoints = append(endpoints, k)
		}
	}
	plan := zoomusers.PlanPro
	if p := getenv("ZOOM_PLAN"); p != "" {
		var ok bool
		if plan, ok = plans[strings.ToLower(p)]; !ok {
			return nil, nil, &configError{fmt.Sprintf("ZOOM_PLAN=%q: want free, pro or business", p)}
		}
	}
	opts := []zoomusers.Option{zoomusers.WithUserAgent("zoomusers-cli/" + zoomusers.Version), zoomusers.WithPacing(plan, 0.5)}
	var fake *zoomtest.Server
	switch {
	case len(set) == 0 && len(endpoints) > 0:
		return nil, nil, &configError{fmt.Sprintf("%s is set but no credentials are: set ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET as well (cmd/zoomtest prints them for its fake), or unset %s to use the built-in fake Zoom",
			strings.Join(endpoints, " and "), strings.Join(endpoints, " and "))}
	case len(set) == 0:
		fmt.Fprintln(stderr, "zoomusers: no ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID or ZOOM_CLIENT_SECRET set; using the built-in fake Zoom with sample users")
		fake = zoomtest.NewServer(zoomtest.WithUsers(25), zoomtest.WithPlan(zoomusers.PlanPro))
		fake.SeedUsers("jill.chill@example.com", "raj.patel@example.com", "ana.lima@example.com")
		opts = append(opts, fake.ClientOptions()...)
	case len(missing) > 0:
		return nil, nil, &configError{fmt.Sprintf("%s %s set but %s %s not: set all three for a Server-to-Server OAuth app, or none to use the built-in fake Zoom",
			strings.Join(set, " and "), isAre(set), strings.Join(missing, " and "), isAre(missing))}
	case len(endpoints) == 1:
		// One endpoint moved and the other not sends the credentials or the token to a
		// server the admin did not mean, such as Zoom's token endpoint for a fake's API.
		other := map[string]string{"ZOOM_BASE_URL": "ZOOM_TOKEN_URL", "ZOOM_TOKEN_URL": "ZOOM_BASE_URL"}[endpoints[0]]
		return nil, nil, &configError{fmt.Sprintf("%s is set but %s is not: set both (cmd/zoomtest prints them for its fake), or neither to use Zoom's", endpoints[0], other)}
	default:
		opts = append(opts, zoomusers.WithServerToServer(getenv("ZOOM_ACCOUNT_ID"), getenv("ZOOM_CLIENT_ID"), getenv("ZOOM_CLIENT_SECRET")))
		if u := getenv("ZOOM_BASE_URL"); u != "" {
			opts = append(opts, zoomusers.WithBaseURL(u))
		}
		if u := getenv("ZOOM_TOKEN_URL"); u != "" {
			opts = append(opts, zoomusers.WithTokenURL(u))
		}
	}
	c, err := zoomusers.New(append(opts, extra...)...)
	if err != nil {
		if fake != nil {
			fake.Close()
		}
		return nil, nil, &configError{err.Error()}
	}
	return c, fake, nil
}

func isAre(list []string) string {
	if len(list) == 1 {
		return "is"
	}
	return "are"
}

// describe renders an error for a person: Zoom's code, message and tracking ID.
func describe(err error) string {
	var zerr *zoomusers.Error
	if errors.As(err, &zerr) {
		var b strings.Builder
		fmt.Fprintf(&b, "Zoom answered %d", zerr.StatusCode)
		if zerr.Code != 0 {
			fmt.Fprintf(&b, " (code %d)", zerr.Code)
		}
		fmt.Fprintf(&b, ": %s", zerr.Message)
		for _, f := range zerr.FieldErrors {
			fmt.Fprintf(&b, "; %s: %s", f.Field, f.Message)
		}
		if zerr.Code == 1120 { // ZOOM_FACTS.md, Errors: no valid invitation for a pending user
			b.WriteString("; the user is pending: they must accept Zoom's invitation email first, or delete the user and create it again with -action autoCreate")
		}
		if zerr.TrackingID != "" {
			fmt.Fprintf(&b, " [tracking id %s]", zerr.TrackingID)
		}
		if !zerr.RetryAfter.IsZero() {
			fmt.Fprintf(&b, "; try again after %s", zerr.RetryAfter.Format("2006-01-02 15:04 MST"))
		}
		return b.String()
	}
	var te *zoomusers.TokenError
	if errors.As(err, &te) {
		return fmt.Sprintf("could not sign in to Zoom: %s %s", te.ErrorCode, te.Reason)
	}
	return err.Error()
}
