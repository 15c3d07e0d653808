package testkit

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"io"
	"mime/multipart"
	"net/http"
	"testing"
)

// File is one file of an upload.
type File struct {
	Name    string
	Content []byte
}

// Uploaded is one item of an upload answer.
type Uploaded struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Size        int64  `json:"size"`
	ContentType string `json:"content_type"`
}

// Attachment is a file of a message as tests look at it.
type Attachment struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Size        int64  `json:"size"`
	ContentType string `json:"content_type"`
	URL         string `json:"url"`
	Expired     bool   `json:"expired"`
}

// MultipartBody encodes files as a multipart/form-data body (field "files") and returns it
// with its content type.
func MultipartBody(t testing.TB, files ...File) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, f := range files {
		fw, err := w.CreateFormFile("files", f.Name)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(f.Content)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), w.FormDataContentType()
}

// Send sends a request with any body and content type (and the client's token) and reads
// the answer.
func (c *Client) Send(method, path, contentType string, body io.Reader, header http.Header) (Response, http.Header) {
	c.T.Helper()
	req, err := http.NewRequest(method, c.Base+path, body)
	if err != nil {
		c.T.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if c.Token != "" && req.Header.Get("Authorization") == "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	resp, err := httpClient(c.Source).Do(req)
	if err != nil {
		c.T.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return Response{Status: resp.StatusCode, Body: b}, resp.Header
}

// Upload sends files to an upload endpoint (/api/v1/attachments or
// /api/v1/widget/attachments).
func (c *Client) Upload(path string, files ...File) Response {
	c.T.Helper()
	body, ct := MultipartBody(c.T, files...)
	r, _ := c.Send("POST", path, ct, bytes.NewReader(body), nil)
	return r
}

// MustUpload uploads files or fails, and returns the uploaded items.
func (c *Client) MustUpload(path string, files ...File) []Uploaded {
	c.T.Helper()
	r := c.Upload(path, files...)
	if r.Status != http.StatusCreated {
		c.T.Fatalf("upload to %s: %d %s", path, r.Status, r.Body)
	}
	var out []Uploaded
	r.Decode(c.T, &out)
	return out
}

// HugePNG returns a real PNG of width × height black 1-bit pixels: a few hundred kilobytes
// on the wire for a picture whose decoding takes width × height × 4 bytes (a 30,000 ×
// 30,000 one, 3.6 GB, freezes a browser tab).
func HugePNG(t testing.TB, width, height int) []byte {
	t.Helper()
	var buf bytes.Buffer
	chunk := func(typ string, data []byte) {
		var n [4]byte
		binary.BigEndian.PutUint32(n[:], uint32(len(data)))
		buf.Write(n[:])
		crc := crc32.NewIEEE()
		crc.Write([]byte(typ))
		crc.Write(data)
		buf.WriteString(typ)
		buf.Write(data)
		binary.BigEndian.PutUint32(n[:], crc.Sum32())
		buf.Write(n[:])
	}
	buf.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], uint32(width))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(height))
	ihdr[8], ihdr[9] = 1, 0 // 1-bit greyscale
	chunk("IHDR", ihdr)
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	row := make([]byte, 1+(width+7)/8) // filter byte 0, then zero bits
	for range height {
		zw.Write(row)
	}
	zw.Close()
	chunk("IDAT", z.Bytes())
	chunk("IEND", nil)
	return buf.Bytes()
}
