package bulk_test

import (
	"context"
	"fmt"
	"log"
	"strings"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/bulk"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest"
)

// Plan a job from a CSV file, read what it would change, then apply it.
func Example() {
	srv := zoomtest.NewServer(zoomtest.WithUsers(2)) // u0@example.com and u1@example.com
	defer srv.Close()
	c, err := zoomusers.New(srv.ClientOptions()...)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	csv := "email,status,dept\n" +
		"u0@example.com,active,Sales\n" + // change a field
		"u1@example.com,inactive,\n" // deactivate
	rows, err := bulk.Read(strings.NewReader(csv), bulk.CSV)
	if err != nil {
		log.Fatal(err)
	}
	plan, err := bulk.NewPlan(ctx, c, rows, bulk.PlanOptions{})
	if err != nil {
		log.Fatal(err)
	}
	for _, row := range plan.Rows {
		fmt.Println(row.Row.Email, row.Steps[0].Action)
	}
	sum, err := plan.Apply(ctx, c, bulk.ApplyOptions{OnResult: func(r bulk.Result) {
		fmt.Println(r.Email, r.Outcome)
	}})
	if err != nil {
		log.Fatal(err)
	}
	st, _ := srv.UserState("u1@example.com")
	fmt.Println(sum.Changed, "changed; u1 is now", st.Profile.GetStatus())
	// Unordered output:
	// u0@example.com update
	// u1@example.com deactivate
	// u0@example.com changed
	// u1@example.com changed
	// 2 changed; u1 is now inactive
}
