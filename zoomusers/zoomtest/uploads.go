package zoomtest

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"

	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest/internal/zoomapi"
)

// readUpload reads the one file part of a multipart upload, at most limit+1 bytes of it.
func readUpload(body *multipart.Reader, field string, limit int64) (name, contentType string, size int64, err error) {
	for {
		part, perr := body.NextPart()
		if perr == io.EOF {
			return "", "", 0, apiError(http.StatusBadRequest, 120, "No file uploaded.")
		}
		if perr != nil {
			return "", "", 0, apiError(http.StatusBadRequest, 300, "Malformed multipart body: %v", perr)
		}
		if part.FormName() != field {
			continue
		}
		head := make([]byte, 512)
		n, _ := io.ReadFull(part, head)
		rest, _ := io.Copy(io.Discard, io.LimitReader(part, limit+1))
		size = int64(n) + rest
		if size == 0 {
			return "", "", 0, apiError(http.StatusBadRequest, 120, "The uploaded file is empty.")
		}
		if size > limit {
			return "", "", 0, apiError(http.StatusBadRequest, 120, "File size cannot exceed %d MB.", limit>>20)
		}
		ct := http.DetectContentType(head[:n])
		if i := strings.IndexByte(ct, ';'); i >= 0 {
			ct = ct[:i]
		}
		if ct == "application/octet-stream" && bytes.Contains(head[:n], []byte("ftypqt")) {
			ct = "video/quicktime"
		}
		return part.FileName(), ct, size, nil
	}
}

func (s *state) UserPicture(ctx context.Context, req zoomapi.UserPictureRequestObject) (zoomapi.UserPictureResponseObject, error) {
	_, ct, _, err := readUpload(req.Body, "pic_file", maxPictureBytes)
	if err != nil {
		return nil, err
	}
	if ct != "image/jpeg" && ct != "image/png" {
		return nil, apiError(http.StatusBadRequest, 120, "Only JPEG and PNG pictures are accepted, not %s.", ct)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, req.UserId)
	if err != nil {
		return nil, err
	}
	u.picture = true
	u.PicUrl = ptr("https://fake.zoom.us/p/" + u.id)
	return zoomapi.UserPicture201Response{}, nil
}

func (s *state) UserPictureDelete(ctx context.Context, req zoomapi.UserPictureDeleteRequestObject) (zoomapi.UserPictureDeleteResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, req.UserId)
	if err != nil {
		return nil, err
	}
	u.picture, u.PicUrl = false, nil
	return zoomapi.UserPictureDelete204Response{}, nil
}

func (s *state) UploadVBuser(ctx context.Context, req zoomapi.UploadVBuserRequestObject) (zoomapi.UploadVBuserResponseObject, error) {
	name, ct, size, err := readUpload(req.Body, "file", maxBackgroundBytes)
	if err != nil {
		return nil, err
	}
	kind := zoomapi.VirtualBackgroundFileTypeImage
	switch ct {
	case "image/jpeg", "image/png", "image/gif":
	case "video/mp4", "video/quicktime":
		kind = zoomapi.VirtualBackgroundFileTypeVideo
	default:
		return nil, apiError(http.StatusBadRequest, 120, "Unsupported virtual background file type %s.", ct)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, req.UserId)
	if err != nil {
		return nil, err
	}
	if len(u.backgrounds) >= maxBackgrounds {
		return nil, apiError(http.StatusBadRequest, 120, "A user can have at most %d virtual background files.", maxBackgrounds)
	}
	f := zoomapi.VirtualBackgroundFile{Id: ptr(randomToken("vb-")), Name: &name, Size: &size, Type: &kind, IsDefault: ptr(false)}
	u.backgrounds = append(u.backgrounds, f)
	return zoomapi.UploadVBuser201JSONResponse{Body: f}, nil
}

func (s *state) DelUserVB(ctx context.Context, req zoomapi.DelUserVBRequestObject) (zoomapi.DelUserVBResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, req.UserId)
	if err != nil {
		return nil, err
	}
	for _, id := range strings.Split(deref(req.Params.FileIds), ",") {
		i := slices.IndexFunc(u.backgrounds, func(f zoomapi.VirtualBackgroundFile) bool { return deref(f.Id) == id })
		if i < 0 {
			return nil, apiError(http.StatusBadRequest, 300, "Invalid virtual background file ID: %s.", id)
		}
		u.backgrounds = slices.Delete(u.backgrounds, i, i+1)
	}
	return zoomapi.DelUserVB204Response{}, nil
}
