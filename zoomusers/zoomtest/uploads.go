package zoomtest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"

	"github.com/zoomkit/go-zoomusers/gen"
	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest/internal/zoomserver"
)

// Upload limits and answers are those of Zoom's 2021 spec (code 120) and the 2025 spec's
// descriptions: pictures JPEG or PNG up to 2 MB; virtual backgrounds JPEG, PNG, GIF, MP4
// or MOV up to 15 MB, ten per user.

// upload is what the fake keeps of an uploaded file: its name, sniffed type, size and a
// hash of its bytes, so a test can tell that the bytes sent are the bytes received.
type upload struct {
	name, contentType string
	size              int64
	sha256            string
}

// readUpload reads the file part field of a multipart upload, at most limit+1 bytes of it.
func readUpload(body *multipart.Reader, field string, limit int64) (upload, error) {
	for {
		part, err := body.NextPart()
		if err != nil {
			// Not a refusal: the validator refused a body without a readable file part
			// (validate.go), so this is the fake's own failure (a 500).
			return upload{}, fmt.Errorf("zoomtest: reading the %s part: %w", field, err)
		}
		if part.FormName() != field {
			continue
		}
		hash := sha256.New()
		head := make([]byte, 512)
		n, _ := io.ReadFull(io.TeeReader(part, hash), head)
		rest, _ := io.Copy(hash, io.LimitReader(part, limit+1))
		size := int64(n) + rest
		if size == 0 {
			// Evidence: Zoom 2021 spec, POST /users/{userId}/picture 400 "120" (file is empty).
			return upload{}, apiError(http.StatusBadRequest, 120, "File is empty.")
		}
		if size > limit {
			// Evidence: Zoom 2021 spec, 400 "120" on POST /users/{userId}/picture (2M) and
			// POST /users/{userId}/settings/virtual_backgrounds (15M).
			return upload{}, apiError(http.StatusBadRequest, 120, "File size cannot exceed %dM.", limit>>20)
		}
		ct := http.DetectContentType(head[:n])
		if i := strings.IndexByte(ct, ';'); i >= 0 {
			ct = ct[:i]
		}
		if ct == "application/octet-stream" && bytes.Contains(head[:n], []byte("ftypqt")) {
			ct = "video/quicktime"
		}
		return upload{name: part.FileName(), contentType: ct, size: size, sha256: hex.EncodeToString(hash.Sum(nil))}, nil
	}
}

// pictureUploaded is Zoom's 201 to a picture upload. The 2021 spec names the picture's
// location in Content-Location; the 2025 spec adds an empty JSON object as the body,
// which api/openapi.yaml does not declare yet, so the fake sends no body.
type pictureUploaded struct{ location string }

func (p pictureUploaded) VisitUserPictureResponse(w http.ResponseWriter) error {
	w.Header().Set("Content-Location", p.location)
	w.WriteHeader(http.StatusCreated)
	return nil
}

func (s *state) UserPicture(ctx context.Context, req zoomserver.UserPictureRequestObject) (zoomserver.UserPictureResponseObject, error) {
	f, err := readUpload(req.Body, "pic_file", maxPictureBytes)
	if err != nil {
		return nil, err
	}
	if f.contentType != "image/jpeg" && f.contentType != "image/png" {
		// Evidence: Zoom 2021 spec, POST /users/{userId}/picture 400 "120" (jpg/jpeg or png).
		return nil, apiError(http.StatusBadRequest, 120, "Only jpg/jpeg or png image file can be uploaded.")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, req.UserID)
	if err != nil {
		return nil, err
	}
	defer s.emitUpdated(ctx, u, u.User)
	u.picture = &Picture{Name: f.name, ContentType: f.contentType, Size: f.size, SHA256: f.sha256}
	u.PicURL = zoomusers.Ptr("https://fake.zoom.us/p/" + u.id + "/" + f.sha256[:12])
	return pictureUploaded{location: *u.PicURL}, nil
}

func (s *state) UserPictureDelete(ctx context.Context, req zoomserver.UserPictureDeleteRequestObject) (zoomserver.UserPictureDeleteResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, req.UserID)
	if err != nil {
		return nil, err
	}
	defer s.emitUpdated(ctx, u, u.User)
	u.picture, u.PicURL = nil, nil
	return zoomserver.UserPictureDelete204Response{}, nil
}

func (s *state) UploadVBuser(ctx context.Context, req zoomserver.UploadVBuserRequestObject) (zoomserver.UploadVBuserResponseObject, error) {
	f, err := readUpload(req.Body, "file", maxBackgroundBytes)
	if err != nil {
		return nil, err
	}
	kind := gen.VirtualBackgroundFileTypeImage
	switch f.contentType {
	case "image/jpeg", "image/png", "image/gif":
	case "video/mp4", "video/quicktime":
		kind = gen.VirtualBackgroundFileTypeVideo
	default:
		// Evidence: Zoom 2021 spec, POST /users/{userId}/settings/virtual_backgrounds 400 "120";
		// MP4 and MOV from the 2025 spec's description.
		return nil, apiError(http.StatusBadRequest, 120, "Only jpg/jpeg, gif or png image file can be uploaded.")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, req.UserID)
	if err != nil {
		return nil, err
	}
	if len(u.backgrounds) >= maxBackgrounds {
		// Evidence: Zoom 2021 spec, POST /users/{userId}/settings/virtual_backgrounds 400 "120" (10 files).
		return nil, apiError(http.StatusBadRequest, 120, "A maximum of %d files are allowed for a user.", maxBackgrounds)
	}
	vb := VirtualBackground{ID: randomToken("vb-"), Name: f.name, Type: string(kind), ContentType: f.contentType, Size: f.size, SHA256: f.sha256}
	u.backgrounds = append(u.backgrounds, vb)
	return zoomserver.UploadVBuser201JSONResponse{Body: gen.VirtualBackgroundFile{ID: &vb.ID, Name: &vb.Name, Size: zoomusers.Ptr(int(vb.Size)), Type: &kind, IsDefault: zoomusers.Ptr(false)}}, nil
}

// DelUserVB removes the comma-separated file_ids, all or none: one unknown ID refuses
// the request (Zoom's "Invalid parameter: file_ids.").
func (s *state) DelUserVB(ctx context.Context, req zoomserver.DelUserVBRequestObject) (zoomserver.DelUserVBResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, req.UserID)
	if err != nil {
		return nil, err
	}
	ids := strings.Split(deref(req.Params.FileIDs), ",")
	for _, id := range ids {
		if !slices.ContainsFunc(u.backgrounds, func(f VirtualBackground) bool { return f.ID == id }) {
			// Evidence: Zoom 2021 spec, DELETE /users/{userId}/settings/virtual_backgrounds 400 "300".
			return nil, apiError(http.StatusBadRequest, 300, "Invalid parameter: file_ids.")
		}
	}
	u.backgrounds = slices.DeleteFunc(u.backgrounds, func(f VirtualBackground) bool { return slices.Contains(ids, f.ID) })
	return zoomserver.DelUserVB204Response{}, nil
}
