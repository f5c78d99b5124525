package bulk

import (
	"reflect"
	"strings"
	"sync"

	"github.com/zoomkit/go-zoomusers/zoomusers"
)

// transferFields are the indexes and asset names of the transfer_* switches of the delete
// parameters: read from the model generated from the spec, so that an asset Zoom adds to
// the spec is transferred without a change here.
var transferFields = sync.OnceValue(func() (out []struct {
	index int
	name  string
}) {
	t := reflect.TypeFor[zoomusers.DeleteUserParams]()
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("form"), ",")
		asset, ok := strings.CutPrefix(name, "transfer_")
		if ok && f.Type == reflect.TypeFor[*bool]() {
			out = append(out, struct {
				index int
				name  string
			}{i, asset})
		}
	}
	return out
})

// TransferAll sets p to hand every asset Zoom can transfer (meetings, webinars,
// recordings, whiteboards, clips, notes, visitors, docs: whatever the spec lists) to the
// user with email to, and returns the names of those assets.
func TransferAll(p *zoomusers.DeleteUserParams, to string) []string {
	p.TransferEmail = &to
	v := reflect.ValueOf(p).Elem()
	var names []string
	for _, f := range transferFields() {
		on := true
		v.Field(f.index).Set(reflect.ValueOf(&on))
		names = append(names, f.name)
	}
	return names
}
