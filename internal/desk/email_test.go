package desk

import "testing"

// TestAutoReplyRefusal: livedesk never answers automatic mail automatically (issue 16: no mail
// loops); a customer's own mail may be answered.
func TestAutoReplyRefusal(t *testing.T) {
	const box = "support@shop.example"
	cases := []struct {
		name string
		in   InboundMail
		want string
	}{
		{"a customer", InboundMail{FromAddress: "irina@example.org"}, ""},
		{"an auto-reply", InboundMail{FromAddress: "irina@example.org", NoAutoReply: true, AutoReason: "Auto-Submitted: auto-replied"}, "Auto-Submitted: auto-replied"},
		{"the null sender", InboundMail{FromAddress: "irina@example.org", NoAutoReply: true, AutoReason: "MAIL FROM:<>"}, "MAIL FROM:<>"},
		{"automatic without a reason", InboundMail{FromAddress: "irina@example.org", NoAutoReply: true}, "automatic mail"},
		{"no sender", InboundMail{FromAddress: "unknown@unknown.invalid"}, "no sender address"},
		{"an empty sender", InboundMail{}, "no sender address"},
		{"the mailbox itself", InboundMail{FromAddress: "support@shop.example"}, "from the mailbox itself"},
	}
	for _, tc := range cases {
		if got := AutoReplyRefusal(tc.in, box); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
