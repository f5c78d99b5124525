package zoomusers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/zoomkit/go-zoomusers/zoomusers"
)

// exampleZoom stands in for Zoom in these examples: a token endpoint, three users in
// pages of two, and picture uploads.
func exampleZoom() *httptest.Server {
	users := []map[string]any{
		{"id": "z1", "email": "jill@example.com", "first_name": "Jill", "type": 2},
		{"id": "z2", "email": "raj@example.com", "first_name": "Raj", "type": 1},
		{"id": "z3", "email": "ana@example.com", "first_name": "Ana", "type": 2},
	}
	reply := func(w http.ResponseWriter, status int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Zm-Trackingid", "v=2.0;clid=us05;rid=EX-1")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(v)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /oauth/token", func(w http.ResponseWriter, r *http.Request) {
		reply(w, 200, map[string]any{"access_token": "example", "token_type": "bearer", "expires_in": 3600})
	})
	mux.HandleFunc("GET /v2/users", func(w http.ResponseWriter, r *http.Request) {
		start, next := 0, "page-2"
		if r.URL.Query().Get("next_page_token") == "page-2" {
			start, next = 2, ""
		}
		reply(w, 200, map[string]any{"users": users[start:min(start+2, len(users))], "next_page_token": next, "total_records": len(users)})
	})
	mux.HandleFunc("GET /v2/users/{id}", func(w http.ResponseWriter, r *http.Request) {
		for _, u := range users {
			if u["id"] == r.PathValue("id") || u["email"] == r.PathValue("id") {
				reply(w, 200, u)
				return
			}
		}
		reply(w, 404, map[string]any{"code": 1001, "message": "User does not exist: " + r.PathValue("id") + "."})
	})
	mux.HandleFunc("POST /v2/users/{id}/picture", func(w http.ResponseWriter, r *http.Request) {
		f, h, err := r.FormFile("pic_file")
		if err != nil {
			reply(w, 400, map[string]any{"code": 120, "message": "No file uploaded."})
			return
		}
		n, _ := io.Copy(io.Discard, f)
		fmt.Printf("server got %s (%s, %d bytes)\n", h.Filename, h.Header.Get("Content-Type"), n)
		w.WriteHeader(201)
	})
	return httptest.NewServer(mux)
}

func exampleClient(zoom *httptest.Server) *zoomusers.Client {
	c, err := zoomusers.New(
		zoomusers.WithServerToServer("my-account-id", "my-client-id", "my-client-secret"),
		zoomusers.WithBaseURL(zoom.URL+"/v2"),           // default: https://api.zoom.us/v2
		zoomusers.WithTokenURL(zoom.URL+"/oauth/token"), // default: https://zoom.us/oauth/token
	)
	if err != nil {
		log.Fatal(err)
	}
	return c
}

// Set up a client with Server-to-Server OAuth credentials and fetch a user by email.
func Example() {
	zoom := exampleZoom()
	defer zoom.Close()

	c, err := zoomusers.New(
		zoomusers.WithServerToServer("my-account-id", "my-client-id", "my-client-secret"),
		zoomusers.WithBaseURL(zoom.URL+"/v2"),
		zoomusers.WithTokenURL(zoom.URL+"/oauth/token"),
		zoomusers.WithPacing(zoomusers.PlanPro, 0.5), // use half the account's rate limits
	)
	if err != nil {
		log.Fatal(err)
	}
	u, err := c.User("jill@example.com").Get(context.Background(), nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(*u.ID, *u.FirstName, u.Type == zoomusers.UserTypeLicensed)
	// Output: z1 Jill true
}

// List every user; pages are fetched as the loop needs them.
func ExampleClient_ListUsers() {
	zoom := exampleZoom()
	defer zoom.Close()
	c := exampleClient(zoom)

	for u, err := range c.ListUsers(context.Background(), &zoomusers.ListUsersParams{Status: zoomusers.UserStatusActive}).All() {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(*u.Email)
	}
	// Output:
	// jill@example.com
	// raj@example.com
	// ana@example.com
}

// Read page metadata while listing.
func ExampleUserPager_Pages() {
	zoom := exampleZoom()
	defer zoom.Close()
	c := exampleClient(zoom)

	for page, err := range c.ListUsers(context.Background(), nil).Pages() {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%d of %d users, next token %q\n", len(page.Users), page.TotalRecords, page.NextPageToken)
	}
	// Output:
	// 2 of 3 users, next token "page-2"
	// 1 of 3 users, next token ""
}

// Tell Zoom's errors apart with errors.Is and read their details with errors.As.
func ExampleError() {
	zoom := exampleZoom()
	defer zoom.Close()
	c := exampleClient(zoom)

	_, err := c.User("nobody@example.com").Get(context.Background(), nil)
	if errors.Is(err, zoomusers.ErrNotFound) {
		fmt.Println("not found")
	}
	var zerr *zoomusers.Error
	if errors.As(err, &zerr) {
		fmt.Println(zerr.StatusCode, zerr.Code, zerr.Message)
		fmt.Println("tracking id:", zerr.TrackingID)
	}
	_, err = c.User("..").Get(context.Background(), nil)
	fmt.Println(errors.Is(err, zoomusers.ErrInvalidUserID))
	// Output:
	// not found
	// 404 1001 User does not exist: nobody@example.com.
	// tracking id: v=2.0;clid=us05;rid=EX-1
	// true
}

// Upload a profile picture. An *os.File streams from disk; any io.Reader works, and a
// seekable one can be retried.
func ExampleUserHandle_UploadPicture() {
	zoom := exampleZoom()
	defer zoom.Close()
	c := exampleClient(zoom)

	picture := bytes.NewReader(append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 2040)...)) // or os.Open("jill.png")
	if err := c.User("jill@example.com").UploadPicture(context.Background(), "jill.png", picture); err != nil {
		log.Fatal(err)
	}
	err := c.User("jill@example.com").UploadPicture(context.Background(), "notes.txt", strings.NewReader("plain text"))
	fmt.Println(errors.Is(err, zoomusers.ErrFileType))
	// Output:
	// server got jill.png (image/png, 2048 bytes)
	// true
}
