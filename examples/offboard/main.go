// Offboard removes a departing user from the Zoom account: it signs them out everywhere,
// detaches their assistants and schedulers, and deletes them after handing their
// meetings, webinars and recordings to another user.
//
//	ZOOM_ACCOUNT_ID=… ZOOM_CLIENT_ID=… ZOOM_CLIENT_SECRET=… go run ./examples/offboard -user leaver@example.com -to manager@example.com
//
// Without credentials it runs against the fake Zoom of package zoomtest.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest"
)

func main() {
	user := flag.String("user", "u1@example.com", "the departing user")
	to := flag.String("to", zoomtest.OwnerEmail, "who receives their meetings, webinars and recordings")
	flag.Parse()
	opts, closeFake := clientOptions()
	defer closeFake()
	c, err := zoomusers.New(opts...)
	if err != nil {
		log.Fatal(err)
	}
	if err := offboard(context.Background(), c, *user, *to, os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// offboard is the whole job; every step is safe to repeat.
func offboard(ctx context.Context, c *zoomusers.Client, user, successor string, out io.Writer) error {
	u := c.User(user)
	if _, err := c.User(successor).Get(ctx, nil); err != nil {
		return fmt.Errorf("successor %s: %w", successor, err)
	}
	if _, err := u.Get(ctx, nil); errors.Is(err, zoomusers.ErrNotFound) {
		fmt.Fprintf(out, "%s is already gone\n", user)
		return nil
	} else if err != nil {
		return err
	}
	if err := u.RevokeSSOToken(ctx); err != nil {
		return fmt.Errorf("signing out: %w", err)
	}
	fmt.Fprintf(out, "signed %s out of every device\n", user)
	if err := u.DeleteAssistants(ctx); err != nil {
		return fmt.Errorf("removing assistants: %w", err)
	}
	if err := u.DeleteSchedulers(ctx); err != nil {
		return fmt.Errorf("removing schedulers: %w", err)
	}
	fmt.Fprintln(out, "removed assistants and schedulers")
	err := u.Delete(ctx, &zoomusers.DeleteUserParams{
		Action:            zoomusers.DeleteActionDelete,
		TransferEmail:     successor,
		TransferMeeting:   true,
		TransferWebinar:   true,
		TransferRecording: true,
	})
	if err != nil {
		return fmt.Errorf("deleting: %w", err)
	}
	fmt.Fprintf(out, "deleted %s; meetings, webinars and recordings went to %s\n", user, successor)
	return nil
}

// clientOptions uses Server-to-Server credentials from the environment, or starts the
// fake Zoom when there are none.
func clientOptions() ([]zoomusers.Option, func()) {
	account, id, secret := os.Getenv("ZOOM_ACCOUNT_ID"), os.Getenv("ZOOM_CLIENT_ID"), os.Getenv("ZOOM_CLIENT_SECRET")
	if account != "" && id != "" && secret != "" {
		return []zoomusers.Option{zoomusers.WithServerToServer(account, id, secret)}, func() {}
	}
	log.Print("no ZOOM_* credentials: using the fake Zoom")
	srv := zoomtest.NewServer(zoomtest.WithUsers(5))
	return srv.ClientOptions(), srv.Close
}
