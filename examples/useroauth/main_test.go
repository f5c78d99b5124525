package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest"
)

func TestRotatedTokensAreSavedAndReused(t *testing.T) {
	srv := zoomtest.NewServer()
	defer srv.Close()
	srv.SeedUsers("jill@example.com")
	ctx := context.Background()
	cfg := &oauth2.Config{ClientID: zoomtest.ClientID, ClientSecret: zoomtest.ClientSecret,
		Endpoint: oauth2.Endpoint{TokenURL: srv.TokenURL(), AuthStyle: oauth2.AuthStyleInHeader}}
	tok, err := cfg.Exchange(ctx, srv.AuthorizeUser("jill@example.com"))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "tokens.json")
	tok.Expiry = time.Now().Add(-time.Minute) // force a refresh on the first call
	if err := saveToken(file)(ctx, tok); err != nil {
		t.Fatal(err)
	}
	for run := 1; run <= 3; run++ {
		before, _ := loadToken(file)
		var out bytes.Buffer
		if err := whoAmI(ctx, cfg, file, &out, zoomusers.WithBaseURL(srv.BaseURL())); err != nil {
			t.Fatalf("run %d: %v", run, err)
		}
		if !strings.Contains(out.String(), "<jill@example.com>") {
			t.Errorf("run %d printed %q", run, out.String())
		}
		after, _ := loadToken(file)
		if after.RefreshToken == before.RefreshToken {
			t.Fatalf("run %d: the rotated refresh token was not saved", run)
		}
		// Make the next run refresh too, with the token this run saved.
		after.Expiry = time.Now().Add(-time.Minute)
		saveToken(file)(ctx, after)
	}
}
