package zoomusers_test

import (
	"context"
	"fmt"
	"log"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest"
)

// Reading a user: accessors instead of dereferences, enums that print Zoom's labels,
// and Ptr for the optional fields of a request.
func Example_readingAUser() {
	srv := zoomtest.NewServer(zoomtest.WithoutRateLimits())
	defer srv.Close()
	c, err := zoomusers.New(srv.ClientOptions()...)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	u, err := c.User(zoomtest.OwnerEmail).Get(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(u.GetEmail(), u.Type, u.GetStatus(), u.GetPMI() != 0)
	fmt.Printf("job title %q\n", u.GetJobTitle()) // "" when absent

	err = c.User(u.GetID()).Update(ctx, zoomusers.UserUpdate{JobTitle: zoomusers.Ptr("Engineer")}, nil)
	if err != nil {
		log.Fatal(err)
	}
	u, _ = c.User(u.GetID()).Get(ctx, nil)
	fmt.Println("job title", u.GetJobTitle())

	s, err := c.User(u.GetID()).Settings(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	waiting := s.GetInMeeting().GetWaitingRoom()                  // false when off, or absent
	known := s.InMeeting != nil && s.InMeeting.WaitingRoom != nil // settings keep absent apart
	fmt.Println("waiting room", waiting, "known", known)
	// Output:
	// owner@example.com Licensed active true
	// job title ""
	// job title Engineer
	// waiting room true known true
}
