package email

import (
	"strings"
	"testing"

	"github.com/emersion/go-message"
)

// TestNoAutoReplyReason: automatic, bulk, robot and report mail never gets an auto-reply;
// a person's mail does.
func TestNoAutoReplyReason(t *testing.T) {
	cases := []struct {
		header string
		never  bool
	}{
		{"From: Ivan <ivan@example.org>\r\nAuto-Submitted: no\r\n", false},
		{"From: Ivan <ivan@example.org>\r\nPrecedence: first-class\r\n", false},
		{"From: Ivan <ivan@example.org>\r\nAuto-Submitted: auto-replied\r\n", true},
		{"From: Ivan <ivan@example.org>\r\nAuto-Submitted: auto-generated; owner-email=x@y\r\n", true},
		{"From: Ivan <ivan@example.org>\r\nPrecedence: bulk\r\n", true},
		{"From: Ivan <ivan@example.org>\r\nPrecedence: junk\r\n", true},
		{"From: Ivan <ivan@example.org>\r\nPrecedence: list\r\n", true},
		{"From: Ivan <ivan@example.org>\r\nList-Id: <team.lists.example.org>\r\n", true},
		{"From: MAILER-DAEMON@mx.example.org\r\n", true},
		{"From: Mail Delivery Subsystem <mailer-daemon@example.org>\r\n", true},
		{"From: postmaster@example.org\r\n", true},
		{"From: noreply@example.org\r\n", true},
		{"From: no-reply@example.org\r\n", true},
		{"From: no_reply+tag@example.org\r\n", true},
		{"From: \"Shop\" <DoNotReply@shop.example>\r\n", true},
		{"From: do-not-reply@shop.example\r\n", true},
		{"From: notifications-noreply@service.example\r\n", true},
		{"From: Norea Plyushkina <norea@example.org>\r\n", false},
		{"From: Ivan <ivan@example.org>\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=x\r\n", true},
		{"From: Ivan <ivan@example.org>\r\nX-Auto-Response-Suppress: All\r\n", true},
		{"From: Ivan <ivan@example.org>\r\nX-Autoreply: yes\r\n", true},
		{"From: Ivan <ivan@example.org>\r\nReturn-Path: <>\r\n", true},
	}
	for _, c := range cases {
		e, err := message.Read(strings.NewReader(c.header + "\r\n"))
		if err != nil {
			t.Fatal(err)
		}
		if got := NoAutoReplyReason(e.Header); (got != "") != c.never {
			t.Errorf("%q: reason %q, want never=%v", c.header, got, c.never)
		}
	}
}
