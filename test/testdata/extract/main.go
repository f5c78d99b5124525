// Extract writes the example answers of Zoom's documentation pages and specs to the
// corpus the golden tests decode (see package test/internal/corpus), replacing the
// extracted files there and leaving the hand-written drift cases. Run it from the
// repository root whenever the seeds or reference specs change:
//
//	go run ./test/testdata/extract
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/zoomkit/go-zoomusers/test/internal/corpus"
)

func main() {
	seeds := flag.String("seeds", "../shared/seeds", "directory of Zoom documentation pages (*.txt)")
	reference := flag.String("reference", "../shared/reference", "directory of Zoom's specs (*.json)")
	out := flag.String("out", "test/testdata/corpus", "corpus directory")
	flag.Parse()
	files, err := corpus.Extract(*seeds, *reference)
	if err == nil {
		err = corpus.Write(*out, files)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "extract:", err)
		os.Exit(1)
	}
	for _, f := range files {
		fmt.Printf("%s\t%d bytes\n", f.Name, len(f.Body))
	}
}
