package gen_test

import (
	"encoding/json"
	"fmt"
	"log"

	"github.com/zoomkit/go-zoomusers/gen"
)

// The models are plain structs generated from api/openapi.yaml: optional fields are
// pointers with accessors that return the zero value when Zoom left the field out, and
// enums print Zoom's label. Services use them through package zoomusers, whose client
// decodes Zoom's answers into them.
func Example() {
	var u gen.User
	if err := json.Unmarshal([]byte(`{"email":"ada@example.com","type":2,"pmi":3542471135}`), &u); err != nil {
		log.Fatal(err)
	}
	fmt.Println(u.GetEmail(), u.Type, u.GetPMI())
	fmt.Printf("dept %q, known: %v\n", u.GetDept(), u.Dept != nil)
	// Output:
	// ada@example.com Licensed 3542471135
	// dept "", known: false
}
