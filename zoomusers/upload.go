package zoomusers

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"path/filepath"
	"strings"
)

// Upload limits Zoom documents.
const (
	MaxPictureSize           = 2 << 20  // profile pictures: 2 MB
	MaxVirtualBackgroundSize = 15 << 20 // virtual background images and videos: 15 MB
)

var (
	// ErrFileTooLarge is returned for an upload over Zoom's size limit: before sending
	// when the size can be known, or as soon as the stream passes the limit.
	ErrFileTooLarge = errors.New("zoomusers: file too large")
	// ErrFileType is returned, before sending, for a file of a type Zoom refuses.
	ErrFileType = errors.New("zoomusers: file type not accepted")
	// ErrEmptyFile is returned, before sending, for an empty upload.
	ErrEmptyFile = errors.New("zoomusers: file is empty")
)

type uploadKind struct {
	field   string
	maxSize int64
	types   []string // accepted media types
}

var (
	pictureUpload           = uploadKind{"pic_file", MaxPictureSize, []string{"image/jpeg", "image/png"}}
	virtualBackgroundUpload = uploadKind{"file", MaxVirtualBackgroundSize, []string{"image/jpeg", "image/png", "image/gif", "video/mp4", "video/quicktime"}}
)

// UploadPicture replaces the user's profile picture with a JPEG or PNG image of at most
// 2 MB, streamed from r. If r is an io.ReadSeeker the size is checked before sending and
// a failed attempt can be retried; otherwise the upload stops with ErrFileTooLarge once
// it passes the limit, and is never retried.
func (u *UserHandle) UploadPicture(ctx context.Context, name string, r io.Reader, opts ...Option) error {
	if u.err != nil {
		return u.err
	}
	body, edit, err := multipartBody(pictureUpload, name, r)
	if err != nil {
		return err
	}
	ctx = u.call(ctx, OpUserPicture, opts)
	return done(u.c.api.UserPictureWithBody(ctx, u.id, body.contentType, body.reader, edit))
}

// UploadVirtualBackground adds a virtual background to the user: a JPEG, PNG or GIF
// image or an MP4 or MOV video of at most 15 MB, streamed from r as UploadPicture
// streams. Zoom keeps at most 10 per user.
func (u *UserHandle) UploadVirtualBackground(ctx context.Context, name string, r io.Reader, opts ...Option) (*VirtualBackgroundFile, error) {
	if u.err != nil {
		return nil, u.err
	}
	body, edit, err := multipartBody(virtualBackgroundUpload, name, r)
	if err != nil {
		return nil, err
	}
	ctx = u.call(ctx, OpUploadVBuser, opts)
	return decode[VirtualBackgroundFile](u.c)(u.c.api.UploadVBuserWithBody(ctx, u.id, body.contentType, body.reader, edit))
}

type multipartStream struct {
	contentType string
	reader      io.Reader
}

// multipartBody frames r as a one-part multipart/form-data body without buffering it:
// only the part header, the first 512 bytes (to check the type) and the closing
// boundary are held in memory.
func multipartBody(kind uploadKind, name string, r io.Reader) (multipartStream, func(context.Context, *http.Request) error, error) {
	noEdit := func(context.Context, *http.Request) error { return nil }
	if r == nil {
		return multipartStream{}, noEdit, ErrEmptyFile
	}
	seeker, _ := r.(io.ReadSeeker)
	var start, size int64 = 0, -1
	if seeker != nil {
		var err error
		if start, err = seeker.Seek(0, io.SeekCurrent); err == nil {
			var end int64
			if end, err = seeker.Seek(0, io.SeekEnd); err == nil {
				size = end - start
				_, err = seeker.Seek(start, io.SeekStart)
			}
		}
		if err != nil {
			seeker, size = nil, -1 // seeking failed: treat it as a plain stream
		}
	}
	if size > kind.maxSize {
		return multipartStream{}, noEdit, fmt.Errorf("%w: %s is %d bytes, the limit is %d", ErrFileTooLarge, name, size, kind.maxSize)
	}
	head := make([]byte, 512)
	n, err := io.ReadFull(r, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return multipartStream{}, noEdit, fmt.Errorf("zoomusers: reading %s: %w", name, err)
	}
	head = head[:n]
	if n == 0 {
		return multipartStream{}, noEdit, fmt.Errorf("%w: %s", ErrEmptyFile, name)
	}
	mediaType, err := detectType(kind, name, head)
	if err != nil {
		return multipartStream{}, noEdit, err
	}

	var framing bytes.Buffer
	mw := multipart.NewWriter(&framing)
	h := textproto.MIMEHeader{}
	// The conventional quoted form, as browsers and mime/multipart write it: naive
	// multipart parsers (Prism's among them) fail on the unquoted form that
	// mime.FormatMediaType produces.
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="%s"; filename="%s"`, quoteEscaper.Replace(kind.field), quoteEscaper.Replace(filepath.Base(name))))
	h.Set("Content-Type", mediaType)
	if _, err := mw.CreatePart(h); err != nil {
		return multipartStream{}, noEdit, err
	}
	prefix := bytes.Clone(framing.Bytes())
	framing.Reset()
	if err := mw.Close(); err != nil {
		return multipartStream{}, noEdit, err
	}
	suffix := bytes.Clone(framing.Bytes())

	rest := io.Reader(&limitedReader{r: r, left: kind.maxSize - int64(n), name: name, max: kind.maxSize})
	body := io.MultiReader(bytes.NewReader(prefix), bytes.NewReader(head), rest, bytes.NewReader(suffix))
	edit := noEdit
	if seeker != nil {
		length := int64(len(prefix)) + size + int64(len(suffix))
		edit = func(_ context.Context, req *http.Request) error {
			req.ContentLength = length
			req.GetBody = func() (io.ReadCloser, error) {
				if _, err := seeker.Seek(start, io.SeekStart); err != nil {
					return nil, err
				}
				return io.NopCloser(io.MultiReader(bytes.NewReader(prefix), io.LimitReader(seeker, size), bytes.NewReader(suffix))), nil
			}
			return nil
		}
	}
	return multipartStream{contentType: mw.FormDataContentType(), reader: body}, edit, nil
}

// detectType names the file's media type from its first bytes, or from its extension
// for formats the standard sniffer does not know (MOV).
func detectType(kind uploadKind, name string, head []byte) (string, error) {
	sniffed := http.DetectContentType(head)
	if i := strings.IndexByte(sniffed, ';'); i >= 0 {
		sniffed = sniffed[:i]
	}
	candidates := []string{sniffed}
	if byExt := videoTypes[strings.ToLower(filepath.Ext(name))]; byExt != "" && sniffed == "application/octet-stream" {
		candidates = append(candidates, byExt)
	}
	for _, t := range candidates {
		for _, ok := range kind.types {
			if t == ok {
				return t, nil
			}
		}
	}
	return "", fmt.Errorf("%w: %s looks like %s; accepted: %s", ErrFileType, name, sniffed, strings.Join(kind.types, ", "))
}

var quoteEscaper = strings.NewReplacer("\\", "\\\\", `"`, "\\\"", "\r", "%0D", "\n", "%0A")

// videoTypes names the video containers by extension: the standard library neither
// sniffs MOV nor, on every system, maps these extensions.
var videoTypes = map[string]string{".mov": "video/quicktime", ".mp4": "video/mp4"}

// limitedReader fails with ErrFileTooLarge once more than its limit has been read.
type limitedReader struct {
	r    io.Reader
	left int64
	name string
	max  int64
}

func (l *limitedReader) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	l.left -= int64(n)
	if l.left < 0 {
		return 0, fmt.Errorf("%w: %s is over the %d-byte limit", ErrFileTooLarge, l.name, l.max)
	}
	return n, err
}
