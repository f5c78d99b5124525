package zoomtest_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest"
)

// answer is a raw answer of the fake, for what the client would not send or would hide.
type answer struct {
	status int
	header http.Header
	body   []byte
	zoom   struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
		Errors  []struct {
			Field   string `json:"field"`
			Message string `json:"message"`
		} `json:"errors"`
	}
}

// fields lists the answer's field errors as "field: message".
func (a answer) fields() []string {
	var out []string
	for _, e := range a.zoom.Errors {
		out = append(out, e.Field+": "+e.Message)
	}
	return out
}

// accessToken gets a Server-to-Server token from the fake.
func accessToken(t *testing.T, srv *zoomtest.Server) string {
	t.Helper()
	form := url.Values{"grant_type": {"account_credentials"}, "account_id": {zoomtest.AccountID}}
	req, _ := http.NewRequest("POST", srv.TokenURL(), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(zoomtest.ClientID, zoomtest.ClientSecret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || tok.AccessToken == "" {
		t.Fatalf("token: %v %+v", err, tok)
	}
	return tok.AccessToken
}

// call sends one request to the fake's API with a fresh token; body is JSON unless
// contentType says otherwise.
func call(t *testing.T, srv *zoomtest.Server, method, path, contentType string, body []byte) answer {
	t.Helper()
	req, err := http.NewRequest(method, srv.BaseURL()+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType == "" {
		contentType = "application/json"
	}
	if body != nil {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Authorization", "Bearer "+accessToken(t, srv))
	return send(t, req)
}

// send sends req and reads the answer.
func send(t *testing.T, req *http.Request) answer {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	a := answer{status: resp.StatusCode, header: resp.Header}
	a.body, _ = io.ReadAll(resp.Body)
	json.Unmarshal(a.body, &a.zoom)
	return a
}

// callJSON is call with v encoded as the JSON body.
func callJSON(t *testing.T, srv *zoomtest.Server, method, path string, v any) answer {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return call(t, srv, method, path, "", raw)
}

// upload posts data as the multipart file part field, named name.
func upload(t *testing.T, srv *zoomtest.Server, path, field, name string, data []byte) answer {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if field != "" {
		part, _ := mw.CreateFormFile(field, name)
		part.Write(data)
	}
	mw.Close()
	return call(t, srv, "POST", path, mw.FormDataContentType(), buf.Bytes())
}

// want fails the test unless the answer has this status and Zoom code.
func (a answer) want(t *testing.T, what string, status, code int) {
	t.Helper()
	if a.status != status || a.zoom.Code != code {
		t.Errorf("%s: %d code %d %q, want %d code %d", what, a.status, a.zoom.Code, a.zoom.Message, status, code)
	}
}

// Files whose first bytes make them what their names say.
var (
	pngData  = append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 2000)...)
	jpegData = append([]byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"), make([]byte, 2000)...)
	gifData  = append([]byte("GIF89a"), make([]byte, 2000)...)
	mp4Data  = append([]byte("\x00\x00\x00\x18ftypmp42"), make([]byte, 2000)...)
	movData  = append([]byte("\x00\x00\x00\x14ftypqt  "), make([]byte, 2000)...)
	textData = []byte("just some text, not a picture")
)

func sha(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

func decodeJSON(t *testing.T, raw []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
}

// userClient is a client with a user-level OAuth token of the user with this email.
func userClient(t *testing.T, srv *zoomtest.Server, email string) *zoomusers.Client {
	t.Helper()
	cfg := &oauth2.Config{ClientID: zoomtest.ClientID, ClientSecret: zoomtest.ClientSecret,
		Endpoint: oauth2.Endpoint{TokenURL: srv.TokenURL(), AuthStyle: oauth2.AuthStyleInHeader}}
	tok, err := cfg.Exchange(context.Background(), srv.AuthorizeUser(email))
	if err != nil {
		t.Fatal(err)
	}
	c, err := zoomusers.New(zoomusers.WithBaseURL(srv.BaseURL()), zoomusers.WithTokenURL(srv.TokenURL()),
		zoomusers.WithUserOAuth(cfg, tok, func(context.Context, *oauth2.Token) error { return nil }))
	if err != nil {
		t.Fatal(err)
	}
	return c
}
