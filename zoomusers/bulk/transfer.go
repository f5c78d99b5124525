package bulk

import (
	"reflect"
	"strings"
	"sync"

	"github.com/zoomkit/go-zoomusers/gen"
	"github.com/zoomkit/go-zoomusers/zoomusers"
)

// transferField is one transfer_* switch of the delete operation: the asset it names and
// the DeleteUserParams field that sets it.
type transferField struct {
	index int
	name  string
}

// transferFields are the transfer_* switches of the delete parameters, read from the
// model generated from the spec (zoomusers.DeleteUserParams has a field of the same
// name for each; TestTransferAllCoversTheSpec holds it to that), so that an asset Zoom
// adds to the spec is transferred without a change here.
var transferFields = sync.OnceValue(func() (out []transferField) {
	spec := reflect.TypeFor[gen.UserDeleteParams]()
	params := reflect.TypeFor[zoomusers.DeleteUserParams]()
	for i := range spec.NumField() {
		f := spec.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("form"), ",")
		asset, ok := strings.CutPrefix(name, "transfer_")
		if !ok || f.Type != reflect.TypeFor[*bool]() {
			continue
		}
		if p, found := params.FieldByName(f.Name); found && p.Type.Kind() == reflect.Bool {
			out = append(out, transferField{p.Index[0], asset})
		}
	}
	return out
})

// TransferAll sets p to hand every asset Zoom can transfer (meetings, webinars,
// recordings, whiteboards, clips, notes, visitors, docs: whatever the spec lists) to the
// user with email to, and returns the names of those assets.
func TransferAll(p *zoomusers.DeleteUserParams, to string) []string {
	p.TransferEmail = to
	v := reflect.ValueOf(p).Elem()
	var names []string
	for _, f := range transferFields() {
		v.Field(f.index).SetBool(true)
		names = append(names, f.name)
	}
	return names
}
