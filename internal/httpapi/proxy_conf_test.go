package httpapi

import (
	"os"
	"regexp"
	"strconv"
	"testing"

	"livedesk/internal/attachment"
)

// TestProxyBodyLimit: the nginx configuration given to operators (deploy/nginx) lets through
// the largest bodies livedesk takes — a sticker pack, an upload of attachments — and not
// much more (nginx refuses the rest before a node reads it).
func TestProxyBodyLimit(t *testing.T) {
	conf, err := os.ReadFile("../../deploy/nginx/livedesk.conf")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^\s*client_max_body_size\s+(\d+)([kKmMgG]?);`).FindSubmatch(conf)
	if m == nil {
		t.Fatal("no client_max_body_size in deploy/nginx/livedesk.conf")
	}
	n, _ := strconv.ParseInt(string(m[1]), 10, 64)
	switch string(m[2]) {
	case "k", "K":
		n <<= 10
	case "m", "M":
		n <<= 20
	case "g", "G":
		n <<= 30
	}
	largest := max(int64(maxStickerBody), attachment.MaxBody)
	if n < largest || n > largest+4<<20 {
		t.Fatalf("client_max_body_size is %d bytes; livedesk takes bodies up to %d (sticker pack %d, attachments %d): want that, give or take a few MiB",
			n, largest, maxStickerBody, attachment.MaxBody)
	}
}
