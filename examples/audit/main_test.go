package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest"
)

func TestAuditExportsEveryUserWithinLimits(t *testing.T) {
	// A Free account: 2 Medium calls a second. Paced, the export meets no 429.
	srv := zoomtest.NewServer(zoomtest.WithUsers(3), zoomtest.WithPlan(zoomusers.PlanFree))
	defer srv.Close()
	c, _ := zoomusers.New(append(srv.ClientOptions(), zoomusers.WithPacing(zoomusers.PlanFree, 1), zoomusers.WithRetryPolicy(zoomusers.NoRetries))...)
	var out bytes.Buffer
	n, err := audit(context.Background(), c, &out)
	if err != nil || n != 4 {
		t.Fatalf("exported %d users: %v", n, err)
	}
	sc := bufio.NewScanner(&out)
	lines := 0
	for sc.Scan() {
		var r record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		if r.Error != "" || r.WaitingRoom == nil || r.MeetingAuthRule == nil || r.Email == "" {
			t.Errorf("incomplete record: %+v", r)
		}
		lines++
	}
	if lines != 4 {
		t.Errorf("%d lines, want 4", lines)
	}
}
