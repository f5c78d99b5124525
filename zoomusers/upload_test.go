package zoomusers

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

var (
	pngHeader  = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	jpegHeader = []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00")
	mp4Header  = []byte("\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom")
)

// generated is an unseekable stream of size bytes starting with header, produced on the
// fly so that the test itself never holds the file.
type generated struct {
	header []byte
	size   int64
	off    int64
}

func (g *generated) Read(p []byte) (int, error) {
	if g.off >= g.size {
		return 0, io.EOF
	}
	n := int64(len(p))
	if rest := g.size - g.off; n > rest {
		n = rest
	}
	for i := range n {
		if pos := g.off + i; pos < int64(len(g.header)) {
			p[i] = g.header[pos]
		} else {
			p[i] = byte(pos)
		}
	}
	g.off += n
	return int(n), nil
}

// receivedPart reads the multipart upload the server got and reports its part.
type receivedPart struct {
	field, filename, contentType string
	size                         int64
	contentLength                int64
}

func multipartServer(t *testing.T, got *receivedPart, answer http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if err != nil {
			t.Errorf("content type: %v", err)
			return
		}
		mr := multipart.NewReader(r.Body, params["boundary"])
		part, err := mr.NextPart()
		if err != nil {
			t.Errorf("no part: %v", err)
			return
		}
		n, _ := io.Copy(io.Discard, part)
		*got = receivedPart{part.FormName(), part.FileName(), part.Header.Get("Content-Type"), n, r.ContentLength}
		if _, err := mr.NextPart(); err != io.EOF {
			t.Errorf("want exactly one part, next: %v", err)
		}
		answer(w, r)
	}
}

func TestUploadVirtualBackgroundStreams15MB(t *testing.T) {
	var got receivedPart
	f := newFakeZoom(t, nil)
	f.api = multipartServer(t, &got, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 201, map[string]any{"id": "vb1", "name": "bg.mp4", "size": got.size, "type": "video"})
	})
	src := &generated{header: mp4Header, size: MaxVirtualBackgroundSize}
	vb, err := f.client().User("u1").UploadVirtualBackground(context.Background(), "bg.mp4", src)
	if err != nil {
		t.Fatal(err)
	}
	want := receivedPart{field: "file", filename: "bg.mp4", contentType: "video/mp4", size: MaxVirtualBackgroundSize, contentLength: -1}
	if got != want {
		t.Errorf("server received %+v, want %+v", got, want)
	}
	if *vb.ID != "vb1" || *vb.Size != MaxVirtualBackgroundSize {
		t.Errorf("answer = %+v", vb)
	}
}

func TestUploadPictureSeekableHasLengthAndIsRetried(t *testing.T) {
	var got receivedPart
	var calls atomic.Int64
	f := newFakeZoom(t, nil)
	f.api = multipartServer(t, &got, func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.Header().Set("X-RateLimit-Type", "QPS")
			zoomError(w, 429, 429, "Too many requests")
			return
		}
		w.WriteHeader(201)
	})
	file := append(bytes.Clone(pngHeader), bytes.Repeat([]byte{7}, 100_000)...)
	if err := f.client().User("u1").UploadPicture(context.Background(), "me.png", bytes.NewReader(file)); err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 2 {
		t.Fatalf("uploads = %d, want 2 (one 429, one retry)", calls.Load())
	}
	if got.field != "pic_file" || got.contentType != "image/png" || got.size != int64(len(file)) || got.contentLength <= int64(len(file)) {
		t.Errorf("retried upload received as %+v", got)
	}
}

func TestUploadUnseekableIsNotRetried(t *testing.T) {
	var got receivedPart
	f := newFakeZoom(t, nil)
	f.api = multipartServer(t, &got, status(503))
	src := &generated{header: jpegHeader, size: 50_000}
	err := f.client().User("u1").UploadPicture(context.Background(), "me.jpg", io.MultiReader(src))
	var zerr *Error
	if !errors.As(err, &zerr) || zerr.StatusCode != 503 || f.apiRequests.Load() != 1 {
		t.Errorf("err = %v after %d attempts, want the 503 after 1", err, f.apiRequests.Load())
	}
}

func TestUploadLimitsCheckedBeforeSending(t *testing.T) {
	f := newFakeZoom(t, func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body) // as Zoom does, read the whole upload before answering
		w.WriteHeader(201)
	})
	u := f.client().User("u1")
	ctx := context.Background()
	big := bytes.NewReader(append(bytes.Clone(pngHeader), make([]byte, MaxPictureSize)...))
	if err := u.UploadPicture(ctx, "big.png", big); !errors.Is(err, ErrFileTooLarge) {
		t.Errorf("oversized seekable picture: %v", err)
	}
	if err := u.UploadPicture(ctx, "doc.pdf", strings.NewReader("%PDF-1.7 not an image")); !errors.Is(err, ErrFileType) {
		t.Errorf("PDF picture: %v", err)
	}
	if err := u.UploadPicture(ctx, "bg.gif", strings.NewReader("GIF89a......")); !errors.Is(err, ErrFileType) {
		t.Errorf("GIF picture (Zoom takes JPEG and PNG only): %v", err)
	}
	if err := u.UploadPicture(ctx, "empty.png", strings.NewReader("")); !errors.Is(err, ErrEmptyFile) {
		t.Errorf("empty picture: %v", err)
	}
	if n := f.apiRequests.Load(); n != 0 {
		t.Errorf("%d uploads reached the server", n)
	}
	// An unseekable stream is stopped as soon as it passes the limit.
	_, err := u.UploadVirtualBackground(ctx, "huge.mp4", &generated{header: mp4Header, size: MaxVirtualBackgroundSize + 1})
	if !errors.Is(err, ErrFileTooLarge) {
		t.Errorf("oversized stream: %v", err)
	}
	if n := f.apiRequests.Load(); n > 1 {
		t.Errorf("an oversized stream was sent %d times", n)
	}
}

func TestUploadMOVByExtension(t *testing.T) {
	var got receivedPart
	f := newFakeZoom(t, nil)
	f.api = multipartServer(t, &got, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 201, map[string]any{"id": "m"}) })
	mov := append([]byte("\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  "), make([]byte, 1000)...)
	if _, err := f.client().User("u1").UploadVirtualBackground(context.Background(), "clip.MOV", bytes.NewReader(mov)); err != nil {
		t.Fatal(err)
	}
	if got.contentType != "video/quicktime" {
		t.Errorf("part content type = %q, want video/quicktime", got.contentType)
	}
}
