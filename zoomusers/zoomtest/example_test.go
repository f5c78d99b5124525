package zoomtest_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest"
)

// Point a client at the fake, make a write, and check its effect with the read-back API.
func Example() {
	srv := zoomtest.NewServer(zoomtest.WithUsers(3))
	defer srv.Close()
	c, err := zoomusers.New(srv.ClientOptions()...)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	created, err := c.CreateUser(ctx, zoomusers.CreateUserRequest{
		Action:   zoomusers.CreateUserActionAutoCreate,
		UserInfo: zoomusers.NewUser{Email: "new@example.com", Type: zoomusers.UserTypeBasic},
	})
	if err != nil {
		log.Fatal(err)
	}
	st, _ := srv.UserState(created.GetEmail())
	fmt.Println(st.Profile.GetEmail(), st.Profile.GetStatus(), "created once:", srv.Requests(zoomusers.OpUserCreate) == 1)
	fmt.Println("users:", srv.UserCount())
	// Output:
	// new@example.com active created once: true
	// users: 5
}

// Provoke a failure Zoom may give: here the next user lookup answers 503, which the
// client retries, and then a daily-limit 429, which it does not.
func ExampleServer_Inject() {
	srv := zoomtest.NewServer()
	defer srv.Close()
	c, err := zoomusers.New(append(srv.ClientOptions(), zoomusers.WithRetryPolicy(zoomusers.DefaultRetryPolicy{BaseDelay: 1}))...)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	srv.Inject(zoomusers.OpUser, 1, zoomtest.Fault{Status: 503})
	if _, err := c.User(zoomtest.OwnerEmail).Get(ctx, nil); err != nil {
		log.Fatal(err)
	}
	fmt.Println("503 retried, lookups answered:", srv.Requests(zoomusers.OpUser))

	srv.Inject(zoomusers.OpUser, 1, zoomtest.Fault{DailyLimit: true})
	_, err = c.User(zoomtest.OwnerEmail).Get(ctx, nil)
	var zerr *zoomusers.Error
	fmt.Println(errors.Is(err, zoomusers.ErrRateLimited), errors.As(err, &zerr) && zerr.DailyLimit())
	// Output:
	// 503 retried, lookups answered: 1
	// true true
}
