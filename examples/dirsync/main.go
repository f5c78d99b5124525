// Dirsync keeps a local directory of the account's users in step with Zoom: it loads
// every user once through the API, then applies the user.* events Zoom sends, so that a
// user deactivated or renamed in Zoom's web portal is deactivated or renamed here too.
//
//	ZOOM_ACCOUNT_ID=… ZOOM_CLIENT_ID=… ZOOM_CLIENT_SECRET=… ZOOM_WEBHOOK_SECRET_TOKEN=… go run ./examples/dirsync -addr :8080
//
// Without credentials it runs against the fake Zoom of package zoomtest: it subscribes
// itself to the fake's events, makes a few changes, and prints the directory.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/webhook"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest"
)

// Entry is what the directory keeps about a user.
type Entry struct {
	ID, Email, Name, Dept string
	Active                bool
	// Seen is the time of the last event applied, to ignore older ones arriving late:
	// Zoom does not promise order, and redelivers failures up to 85 minutes later.
	Seen time.Time
}

// Directory is the local copy, by user ID.
type Directory struct {
	c  *zoomusers.Client
	mu sync.Mutex
	by map[string]*Entry
}

// Load fills the directory with the account's active and inactive users.
func Load(ctx context.Context, c *zoomusers.Client) (*Directory, error) {
	d := &Directory{c: c, by: map[string]*Entry{}}
	for _, status := range []zoomusers.UserStatus{zoomusers.UserStatusActive, zoomusers.UserStatusInactive} {
		for u, err := range c.ListUsers(ctx, &zoomusers.ListUsersParams{Status: status}).All() {
			if err != nil {
				return nil, fmt.Errorf("loading %s users: %w", status, err)
			}
			d.by[u.GetID()] = entryOf(u)
		}
	}
	return d, nil
}

func entryOf(u zoomusers.User) *Entry {
	return &Entry{ID: u.GetID(), Email: u.GetEmail(), Name: strings.TrimSpace(u.GetFirstName() + " " + u.GetLastName()),
		Dept: u.GetDept(), Active: u.GetStatus() == zoomusers.UserStatusActive}
}

// Handle applies one verified event; it is the webhook.HandlerFunc. An error (the API
// refusing to say who a user is) makes Zoom deliver the event again later. Events are
// applied one at a time, so that two about one user cannot interleave.
func (d *Directory) Handle(ctx context.Context, ev *webhook.Event) error {
	id := ev.UserID()
	d.mu.Lock()
	defer d.mu.Unlock()
	e := d.by[id]
	if e != nil && ev.Time.Before(e.Seen) {
		return nil // a late redelivery of something older than what we hold
	}
	switch data := ev.Data.(type) {
	case *webhook.UserCreated:
		u := data.User
		e = &Entry{ID: u.ID, Email: u.Email, Name: strings.TrimSpace(u.FirstName + " " + u.LastName),
			Active: data.CreationType != "create"} // "create" waits for the user to accept
	case *webhook.UserInvitationAccepted, *webhook.UserActivated, *webhook.UserDeactivated, *webhook.UserUpdated:
		if e == nil {
			// Someone we never saw: ask Zoom for the whole user rather than guess.
			u, err := d.c.User(id).Get(ctx, nil)
			if err != nil {
				return fmt.Errorf("looking up %s: %w", id, err)
			}
			e = entryOf(*u)
		}
		e = apply(*e, data)
	case *webhook.UserDeleted, *webhook.UserDisassociated:
		delete(d.by, id)
		return nil
	default:
		return nil // settings, presence, sign-ins: not kept here
	}
	e.Seen = ev.Time
	d.by[id] = e
	return nil
}

// apply is e after a change of status or profile.
func apply(e Entry, data webhook.Data) *Entry {
	switch data := data.(type) {
	case *webhook.UserInvitationAccepted, *webhook.UserActivated:
		e.Active = true
	case *webhook.UserDeactivated:
		e.Active = false
	case *webhook.UserUpdated:
		u := data.User
		first, last, _ := strings.Cut(e.Name, " ")
		for _, k := range data.Changed {
			switch k {
			case "email":
				e.Email = u.Email
			case "first_name":
				first = u.FirstName
			case "last_name":
				last = u.LastName
			case "dept":
				e.Dept = str(u.Fields["dept"])
			}
		}
		e.Name = strings.TrimSpace(first + " " + last)
	}
	return &e
}

// Entries lists the directory by email.
func (d *Directory) Entries() []Entry {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make([]Entry, 0, len(d.by))
	for _, e := range d.by {
		out = append(out, *e)
	}
	slices.SortFunc(out, func(a, b Entry) int { return strings.Compare(a.Email, b.Email) })
	return out
}

// Print writes the directory, one user a line.
func (d *Directory) Print(w io.Writer) {
	for _, e := range d.Entries() {
		state := "active"
		if !e.Active {
			state = "inactive"
		}
		fmt.Fprintf(w, "%-28s %-22s %-10s %s\n", e.Email, e.Name, e.Dept, state)
	}
}

func main() {
	addr := flag.String("addr", "localhost:8080", "address Zoom's events arrive at (behind your HTTPS proxy)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	account, id, secret := os.Getenv("ZOOM_ACCOUNT_ID"), os.Getenv("ZOOM_CLIENT_ID"), os.Getenv("ZOOM_CLIENT_SECRET")
	if account == "" || id == "" || secret == "" {
		log.Print("no ZOOM_* credentials: a short run against the fake Zoom")
		if err := demo(ctx, os.Stdout); err != nil {
			log.Fatal(err)
		}
		return
	}
	c, err := zoomusers.New(zoomusers.WithServerToServer(account, id, secret))
	if err != nil {
		log.Fatal(err)
	}
	dir, err := Load(ctx, c)
	if err != nil {
		log.Fatal(err)
	}
	h, err := handler(dir, strings.Split(os.Getenv("ZOOM_WEBHOOK_SECRET_TOKEN"), ","))
	if err != nil {
		log.Fatal(err)
	}
	srv := &http.Server{Addr: *addr, Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go func() { <-ctx.Done(); srv.Shutdown(context.Background()) }()
	log.Printf("loaded %d users; listening on %s", len(dir.Entries()), *addr)
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
	dir.Print(os.Stdout)
}

// handler is the directory's event endpoint. The deduper drops Zoom's redeliveries of
// events already applied.
func handler(dir *Directory, secrets []string) (*webhook.Handler, error) {
	return webhook.NewHandler(dir.Handle, webhook.HandlerOptions{
		Options: webhook.Options{Secrets: secrets},
		Dedupe:  webhook.NewMemoryDeduper(0),
		Logger:  slog.Default(),
	})
}

// demo runs the directory against the fake Zoom: load, subscribe, change, print.
func demo(ctx context.Context, out io.Writer) error {
	const secret = "demo-secret-token"
	fake := zoomtest.NewServer(zoomtest.WithUsers(3))
	defer fake.Close()
	c, err := zoomusers.New(fake.ClientOptions()...)
	if err != nil {
		return err
	}
	dir, err := Load(ctx, c)
	if err != nil {
		return err
	}
	h, err := handler(dir, []string{secret})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()
	if err := fake.AddWebhook(ctx, "http://"+ln.Addr().String(), secret); err != nil {
		return err
	}
	// Changes an admin might make in the web portal.
	first, last, dept := "Grace", "Hopper", "Finance"
	steps := []func() error{
		func() error {
			_, err := c.CreateUser(ctx, zoomusers.CreateUserRequest{Action: zoomusers.CreateUserActionAutoCreate,
				UserInfo: zoomusers.NewUser{Email: "grace@example.com", FirstName: &first, LastName: &last, Type: zoomusers.UserTypeLicensed}})
			return err
		},
		func() error { return c.User("u0@example.com").Update(ctx, zoomusers.UserUpdate{Dept: &dept}, nil) },
		func() error { return c.User("u1@example.com").SetStatus(ctx, zoomusers.UserStatusActionDeactivate) },
		func() error { return c.User("u2@example.com").UpdateEmail(ctx, "u2.new@example.com") },
		func() error { return c.User("u0@example.com").Delete(ctx, nil) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	if err := fake.FlushWebhooks(ctx); err != nil {
		return err
	}
	dir.Print(out)
	return nil
}

// str is a JSON string's value, "" for anything else (a cleared field is null).
func str(raw json.RawMessage) string {
	var s string
	json.Unmarshal(raw, &s)
	return s
}
