package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest"
)

func TestOffboard(t *testing.T) {
	srv := zoomtest.NewServer(zoomtest.WithUsers(5), zoomtest.WithPlan(zoomusers.PlanBusiness))
	defer srv.Close()
	c, _ := zoomusers.New(srv.ClientOptions()...)
	ctx := context.Background()
	if _, err := c.User("u3@example.com").AddAssistants(ctx, zoomusers.Assistant{Email: zoomusers.Ptr("u0@example.com")}); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := offboard(ctx, c, "u3@example.com", zoomtest.OwnerEmail, &out); err != nil {
		t.Fatal(err)
	}
	if _, err := c.User("u3@example.com").Get(ctx, nil); !errors.Is(err, zoomusers.ErrNotFound) {
		t.Errorf("the user is still there: %v", err)
	}
	if s, _ := c.User("u0@example.com").Schedulers(ctx); len(s) != 0 {
		t.Errorf("the assistant still schedules for the departed user: %+v", s)
	}
	if !strings.Contains(out.String(), "deleted u3@example.com") {
		t.Errorf("output:\n%s", out.String())
	}
	// Running it again is harmless: the user is gone, and it says so.
	out.Reset()
	if err := offboard(ctx, c, "u3@example.com", zoomtest.OwnerEmail, &out); err != nil || !strings.Contains(out.String(), "already gone") {
		t.Errorf("second run: %v\n%s", err, out.String())
	}
	if err := offboard(ctx, c, "u2@example.com", "nobody@example.com", &out); err == nil || !strings.Contains(err.Error(), "successor") {
		t.Errorf("unknown successor: %v", err)
	}
}
