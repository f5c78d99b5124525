package bulk_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/zoomkit/go-zoomusers/gen"
	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/bulk"
)

// TestTransferAllCoversTheSpec: every transfer_* switch of the spec's delete operation
// is set by TransferAll and named in what it returns, and DeleteUserParams has a field
// for each (a switch added to the spec fails here until the hand-written params carry it).
func TestTransferAllCoversTheSpec(t *testing.T) {
	var want []string
	spec := reflect.TypeFor[gen.UserDeleteParams]()
	for i := range spec.NumField() {
		name, _, _ := strings.Cut(spec.Field(i).Tag.Get("form"), ",")
		if asset, ok := strings.CutPrefix(name, "transfer_"); ok && asset != "email" {
			want = append(want, asset)
		}
	}
	if len(want) < 8 {
		t.Fatalf("the spec lists only %v: the test reads the wrong type", want)
	}
	var p zoomusers.DeleteUserParams
	got := bulk.TransferAll(&p, "keeper@example.com")
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("TransferAll names %v, the spec's switches are %v", got, want)
	}
	v := reflect.ValueOf(p)
	on := 0
	for i := range v.NumField() {
		if f := v.Type().Field(i); strings.HasPrefix(f.Name, "Transfer") && f.Type.Kind() == reflect.Bool {
			if !v.Field(i).Bool() {
				t.Errorf("%s left false", f.Name)
			}
			on++
		}
	}
	if on != len(want) || p.TransferEmail != "keeper@example.com" {
		t.Errorf("%d switches on for %d assets; TransferEmail %q", on, len(want), p.TransferEmail)
	}
}
