// Audit exports every user of the account with the settings an auditor asks about, as
// JSON lines, paced to stay within the account's rate limits.
//
//	ZOOM_ACCOUNT_ID=… ZOOM_CLIENT_ID=… ZOOM_CLIENT_SECRET=… go run ./examples/audit -plan pro > audit.jsonl
//
// Without credentials it runs against the fake Zoom of package zoomtest.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"io"
	"log"
	"os"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest"
)

// record is one line of the export.
type record struct {
	ID              string `json:"id"`
	Email           string `json:"email"`
	Type            int    `json:"type"`
	Status          string `json:"status"`
	WaitingRoom     *bool  `json:"waiting_room"`      // nil: Zoom did not say
	CloudRecording  *bool  `json:"cloud_recording"`   // nil: Zoom did not say
	MeetingAuthRule *bool  `json:"meeting_auth_rule"` // meeting authentication required
	Error           string `json:"error,omitempty"`   // why the settings are missing
}

func main() {
	share := flag.Float64("share", 0.5, "fraction of the account's rate limits to use")
	flag.Parse()
	opts := []zoomusers.Option{zoomusers.WithPacing(zoomusers.PlanPro, *share)}
	account, id, secret := os.Getenv("ZOOM_ACCOUNT_ID"), os.Getenv("ZOOM_CLIENT_ID"), os.Getenv("ZOOM_CLIENT_SECRET")
	if account != "" && id != "" && secret != "" {
		opts = append(opts, zoomusers.WithServerToServer(account, id, secret))
	} else {
		log.Print("no ZOOM_* credentials: using the fake Zoom")
		srv := zoomtest.NewServer(zoomtest.WithUsers(20), zoomtest.WithPlan(zoomusers.PlanPro))
		defer srv.Close()
		opts = append(opts, srv.ClientOptions()...)
	}
	c, err := zoomusers.New(opts...)
	if err != nil {
		log.Fatal(err)
	}
	n, err := audit(context.Background(), c, os.Stdout)
	log.Printf("exported %d users", n)
	if err != nil {
		log.Fatal(err)
	}
}

// audit writes one record per user. A user whose settings cannot be read is still
// exported, with the reason; a failed listing stops the export.
func audit(ctx context.Context, c *zoomusers.Client, out io.Writer) (int, error) {
	enc := json.NewEncoder(out)
	n := 0
	for u, err := range c.ListUsers(ctx, nil).All() {
		if err != nil {
			return n, err
		}
		r := record{ID: u.GetID(), Email: u.GetEmail(), Type: int(u.Type), Status: string(u.GetStatus())}
		h := c.User(r.Email)
		if s, err := h.Settings(ctx, nil); err != nil {
			r.Error = err.Error()
		} else {
			if s.InMeeting != nil {
				r.WaitingRoom = s.InMeeting.WaitingRoom
			}
			if s.Recording != nil {
				r.CloudRecording = s.Recording.CloudRecording
			}
		}
		if a, err := h.MeetingAuthentication(ctx); err == nil {
			r.MeetingAuthRule = &a.MeetingAuthentication
		} else if r.Error == "" {
			r.Error = err.Error()
		}
		if err := enc.Encode(r); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
