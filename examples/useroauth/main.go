// Useroauth acts for the Zoom user who authorized an OAuth app. Zoom rotates the refresh
// token on every refresh and kills the old one at once, so each new token is written to
// the token file (atomically) before it is used: a crash never leaves a dead token behind.
//
//	go run ./examples/useroauth -tokens tokens.json -client-id … -client-secret …
//
// The token file holds an oauth2.Token as JSON, first written by your authorization step.
// Without -client-id it runs against the fake Zoom, authorizing a sample user itself.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"

	"golang.org/x/oauth2"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest"
)

func main() {
	tokens := flag.String("tokens", filepath.Join(os.TempDir(), "zoom-tokens.json"), "the token file")
	clientID := flag.String("client-id", "", "the OAuth app's client ID")
	clientSecret := flag.String("client-secret", "", "the OAuth app's client secret")
	flag.Parse()
	ctx := context.Background()
	cfg := &oauth2.Config{ClientID: *clientID, ClientSecret: *clientSecret,
		Endpoint: oauth2.Endpoint{AuthURL: "https://zoom.us/oauth/authorize", TokenURL: zoomusers.DefaultTokenURL, AuthStyle: oauth2.AuthStyleInHeader}}
	var opts []zoomusers.Option
	if *clientID == "" {
		log.Print("no -client-id: using the fake Zoom and authorizing a sample user")
		srv := zoomtest.NewServer()
		defer srv.Close()
		srv.SeedUsers("jill@example.com")
		cfg.ClientID, cfg.ClientSecret, cfg.Endpoint.TokenURL = zoomtest.ClientID, zoomtest.ClientSecret, srv.TokenURL()
		tok, err := cfg.Exchange(ctx, srv.AuthorizeUser("jill@example.com"))
		if err != nil {
			log.Fatal(err)
		}
		if err := saveToken(*tokens)(ctx, tok); err != nil {
			log.Fatal(err)
		}
		opts = append(opts, zoomusers.WithBaseURL(srv.BaseURL()))
	}
	if err := whoAmI(ctx, cfg, *tokens, os.Stdout, opts...); err != nil {
		log.Fatal(err)
	}
}

// whoAmI prints the authorizing user, refreshing (and saving) the token as needed.
func whoAmI(ctx context.Context, cfg *oauth2.Config, tokenFile string, out io.Writer, opts ...zoomusers.Option) error {
	tok, err := loadToken(tokenFile)
	if err != nil {
		return err
	}
	c, err := zoomusers.New(append([]zoomusers.Option{zoomusers.WithUserOAuth(cfg, tok, saveToken(tokenFile))}, opts...)...)
	if err != nil {
		return err
	}
	me, err := c.Me().Get(ctx, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "signed in as %s %s <%s>\n", me.GetFirstName(), me.GetLastName(), me.GetEmail())
	return nil
}

func loadToken(path string) (*oauth2.Token, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	tok := new(oauth2.Token)
	if err := json.Unmarshal(raw, tok); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return tok, nil
}

// saveToken writes the token next to path and renames it into place, so the file always
// holds one whole token.
func saveToken(path string) zoomusers.TokenSaver {
	return func(_ context.Context, tok *oauth2.Token) error {
		raw, err := json.Marshal(tok)
		if err != nil {
			return err
		}
		tmp, err := os.CreateTemp(filepath.Dir(path), ".zoom-token-*")
		if err != nil {
			return err
		}
		defer os.Remove(tmp.Name())
		if _, err := tmp.Write(raw); err != nil {
			tmp.Close()
			return err
		}
		if err := tmp.Chmod(0o600); err != nil {
			tmp.Close()
			return err
		}
		if err := tmp.Close(); err != nil {
			return err
		}
		return os.Rename(tmp.Name(), path)
	}
}
