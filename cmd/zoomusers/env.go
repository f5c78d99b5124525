package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest"
)

// env is what a command works with.
type env struct {
	client         *zoomusers.Client
	fake           *zoomtest.Server // nil against real Zoom
	stdout, stderr io.Writer
}

func (e *env) close() {
	if e.fake != nil {
		e.fake.Close()
	}
}

// connect builds a client from the environment, or starts the fake when no credentials
// are set.
func connect(ctx context.Context, getenv func(string) string, stderr io.Writer) (*env, error) {
	account, id, secret := getenv("ZOOM_ACCOUNT_ID"), getenv("ZOOM_CLIENT_ID"), getenv("ZOOM_CLIENT_SECRET")
	opts := []zoomusers.Option{zoomusers.WithUserAgent("zoomusers-cli/" + zoomusers.Version)}
	e := &env{}
	switch {
	case account == "" && id == "" && secret == "":
		fmt.Fprintln(stderr, "zoomusers: no ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID or ZOOM_CLIENT_SECRET set; using the built-in fake Zoom with sample users")
		e.fake = zoomtest.NewServer(zoomtest.WithUsers(25), zoomtest.WithPlan(zoomusers.PlanPro))
		e.fake.SeedUsers("jill.chill@example.com", "raj.patel@example.com", "ana.lima@example.com")
		opts = append(opts, e.fake.ClientOptions()...)
	case account == "" || id == "" || secret == "":
		return nil, errors.New("set all of ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET, or none to use the fake Zoom")
	default:
		opts = append(opts, zoomusers.WithServerToServer(account, id, secret), zoomusers.WithPacing(zoomusers.PlanPro, 0.5))
		if u := getenv("ZOOM_BASE_URL"); u != "" {
			opts = append(opts, zoomusers.WithBaseURL(u))
		}
		if u := getenv("ZOOM_TOKEN_URL"); u != "" {
			opts = append(opts, zoomusers.WithTokenURL(u))
		}
	}
	c, err := zoomusers.New(opts...)
	if err != nil {
		e.close()
		return nil, err
	}
	e.client = c
	return e, nil
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
		if zerr.TrackingID != "" {
			fmt.Fprintf(&b, " [tracking id %s]", zerr.TrackingID)
		}
		return b.String()
	}
	var te *zoomusers.TokenError
	if errors.As(err, &te) {
		return fmt.Sprintf("could not sign in to Zoom: %s %s", te.ErrorCode, te.Reason)
	}
	return err.Error()
}
