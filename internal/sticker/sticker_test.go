package sticker

import (
	"bytes"
	"encoding/xml"
	"io"
	"sort"
	"strings"
	"testing"
)

func TestDefaultPack(t *testing.T) {
	p := Default()
	if len(p.Stickers) < 16 {
		t.Fatalf("the default pack has %d stickers, want at least 16", len(p.Stickers))
	}
	if p.ID != DefaultPackID || !p.Builtin {
		t.Errorf("pack %q builtin=%v", p.ID, p.Builtin)
	}
	var listed []string
	seen := map[string]bool{}
	for _, s := range p.Stickers {
		if seen[s.ID] || seen[s.Name] {
			t.Errorf("%s (%s) twice", s.ID, s.Name)
		}
		seen[s.ID], seen[s.Name] = true, true
		if !IsDefault(s.ID) || s.URL != "/api/v1/stickers/"+s.ID || s.Name == "" {
			t.Errorf("sticker %+v", s)
		}
		img, ok := DefaultImage(s.ID)
		if !ok || img.ContentType != "image/svg+xml" {
			t.Fatalf("%s: no picture", s.ID)
		}
		checkSVG(t, s.ID, img.Data)
		if got, ok := DefaultSticker(s.ID); !ok || got != s {
			t.Errorf("DefaultSticker(%s) = %+v %v", s.ID, got, ok)
		}
		listed = append(listed, strings.TrimPrefix(s.ID, DefaultPrefix))
	}
	sort.Strings(listed)
	if files := defaultFiles(); strings.Join(files, ",") != strings.Join(listed, ",") {
		t.Errorf("embedded files %v, listed %v: every picture must be in the pack", files, listed)
	}
	for _, id := range []string{"", "livedesk-", "livedesk-nope", "livedesk-../sticker", "spasibo", "1"} {
		if _, ok := DefaultImage(id); ok {
			t.Errorf("DefaultImage(%q) found a picture", id)
		}
	}
}

// checkSVG: well-formed XML, an <svg> root, and nothing that runs or loads anything.
func checkSVG(t *testing.T, id string, data []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(data))
	root := ""
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s: not well-formed: %v", id, err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			if root == "" {
				root = se.Name.Local
			}
			switch strings.ToLower(se.Name.Local) {
			case "script", "foreignobject", "image", "use", "iframe":
				t.Errorf("%s: has <%s>", id, se.Name.Local)
			}
			for _, a := range se.Attr {
				if strings.HasPrefix(strings.ToLower(a.Name.Local), "on") || a.Name.Local == "href" {
					t.Errorf("%s: attribute %s", id, a.Name.Local)
				}
			}
		}
	}
	if root != "svg" {
		t.Errorf("%s: root element %q", id, root)
	}
}

func TestSniff(t *testing.T) {
	for _, c := range []struct {
		data []byte
		want string
	}{
		{[]byte("\x89PNG\r\n\x1a\n\x00\x00"), "image/png"},
		{[]byte("GIF89a...."), "image/gif"},
		{[]byte("GIF87a...."), "image/gif"},
		{[]byte("RIFF\x10\x00\x00\x00WEBPVP8 "), "image/webp"},
		{[]byte("RIFF\x10\x00\x00\x00WAVEfmt "), ""},
		{[]byte("<svg xmlns='http://www.w3.org/2000/svg'/>"), ""},
		{[]byte("<html><script>alert(1)</script>"), ""},
		{[]byte("\xff\xd8\xff\xe0JFIF"), ""},
		{[]byte("\x89PNG"), ""},
		{nil, ""},
	} {
		if got := Sniff(c.data); got != c.want {
			t.Errorf("Sniff(%q) = %q, want %q", c.data, got, c.want)
		}
	}
}
