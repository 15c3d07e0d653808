package app_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-message/mail"

	"livedesk/internal/testkit"
)

// codeOf reads the code out of a confirmation mail.
func codeOf(t *testing.T, m testkit.RelayMail) string {
	t.Helper()
	mr, err := mail.CreateReader(strings.NewReader(string(m.Raw)))
	if err != nil {
		t.Fatal(err)
	}
	p, err := mr.NextPart()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := p.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	c := regexp.MustCompile(`\b(\d{4})-(\d{4})\b`).FindStringSubmatch(b.String())
	if c == nil {
		t.Fatalf("no code in the confirmation mail:\n%s", b.String())
	}
	return c[1] + c[2]
}

type mailboxState struct {
	Address            string     `json:"address"`
	VerifiedAt         *time.Time `json:"verified_at"`
	ConfirmationSentAt *time.Time `json:"confirmation_sent_at"`
	CodeExpiresAt      *time.Time `json:"code_expires_at"`
}

// replyOnce has the operator answer the conversation and returns the mail the relay took.
func replyOnce(t *testing.T, rl *testkit.Relay, op *testkit.Client, conv, text string) (testkit.RelayMail, *mail.Reader) {
	t.Helper()
	op.Must("POST", "/api/v1/conversations/"+conv+"/messages", map[string]any{"client_id": testkit.Unique("r"), "text": text}, nil)
	out := rl.Next(t)
	mr, err := mail.CreateReader(strings.NewReader(string(out.Raw)))
	if err != nil {
		t.Fatal(err)
	}
	return out, mr
}

// TestMailboxConfirmation (issue 13, item 5): a mailbox's address is the sender of replies
// only after its account entered the code mailed to it; until then replies go out from the
// platform address with Reply-To the mailbox. Another account asking for a taken address
// learns nothing about it; a confirmation mail coming back to livedesk is not taken.
func TestMailboxConfirmation(t *testing.T) {
	t.Parallel()
	rl := testkit.StartRelay(t)
	env, a, anna := mailEnv(t, rl.Addr())
	var list struct {
		Items []struct {
			ID      string
			Channel string
		}
	}
	a.Admin.Must("GET", "/api/v1/admin/contact-points", nil, &list)
	cp := ""
	for _, it := range list.Items {
		if it.Channel == "email" {
			cp = it.ID
		}
	}
	base := "/api/v1/admin/contact-points/" + cp + "/mailbox"

	// The confirmation mail goes to the address, from the platform.
	conf := rl.NextConfirmation(t)
	if conf.From != "noreply@localhost" || len(conf.To) != 1 || conf.To[0] != "support@shop.example" {
		t.Fatalf("confirmation envelope %s → %v", conf.From, conf.To)
	}
	code := codeOf(t, conf)
	var st mailboxState
	for deadline := time.Now().Add(10 * time.Second); ; { // the sender records it after the relay took it
		a.Admin.Must("GET", base, nil, &st)
		if st.ConfirmationSentAt != nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if st.Address != "support@shop.example" || st.VerifiedAt != nil || st.ConfirmationSentAt == nil || st.CodeExpiresAt == nil {
		t.Fatalf("state before confirming: %+v", st)
	}

	// Unconfirmed: replies come from the platform, answers go to the mailbox.
	if err := sendMail(env.App.MailAddr(), "irina@example.org", "support@shop.example",
		"From: irina@example.org\nTo: support@shop.example\nSubject: hi\nMessage-ID: <c1@example.org>\n\nПривет\n"); err != nil {
		t.Fatal(err)
	}
	conv := waitConversations(t, anna, 1)[0].ID
	out, mr := replyOnce(t, rl, anna, conv, "Ответ до подтверждения")
	from, _ := mr.Header.AddressList("From")
	replyTo, _ := mr.Header.AddressList("Reply-To")
	if out.From != "noreply@localhost" || len(from) != 1 || from[0].Address != "noreply@localhost" ||
		len(replyTo) != 1 || replyTo[0].Address != "support@shop.example" {
		t.Fatalf("unconfirmed reply: envelope %s, From %v, Reply-To %v", out.From, from, replyTo)
	}

	// Another account cannot read or confirm this account's mailbox.
	other := env.NewAccount()
	if got := other.Admin.Do("POST", base+"/confirm", map[string]any{"code": code}); got.Status != 404 {
		t.Fatalf("another account confirming: %d %s", got.Status, got.Body)
	}

	// A new code at most once a minute; a wrong code is refused.
	if got := a.Admin.Do("POST", base+"/resend", nil); got.Status != 429 {
		t.Fatalf("resend right after the mail: %d %s, want 429", got.Status, got.Body)
	}
	wrong := "00000000"
	if wrong == code {
		wrong = "11111111"
	}
	if got := a.Admin.Do("POST", base+"/confirm", map[string]any{"code": wrong}); got.Status != 400 || got.Code() != "invalid_input" {
		t.Fatalf("a wrong code: %d %s", got.Status, got.Body)
	}

	// A confirmation mail that comes back to livedesk's own listener is not taken.
	if err := sendMail(env.App.MailAddr(), "noreply@localhost", "support@shop.example", strings.ReplaceAll(string(conf.Raw), "\r\n", "\n")); err == nil || !strings.Contains(err.Error(), "550") {
		t.Fatalf("our confirmation mail delivered to the mailbox: %v, want 550", err)
	}

	// The right code confirms: replies now come from the mailbox itself.
	a.Admin.Must("POST", base+"/confirm", map[string]any{"code": code[:4] + "-" + code[4:]}, &st)
	if st.VerifiedAt == nil {
		t.Fatalf("state after the right code: %+v", st)
	}
	// Once confirmed, another account cannot take the address, and is told nothing about its
	// holder.
	got := other.Admin.Do("POST", "/api/v1/admin/contact-points", map[string]any{"name": "Чужая", "channel": "email",
		"settings": map[string]any{"address": "support@shop.example"}})
	if got.Status != 409 || strings.Contains(string(got.Body), "shop.example") || !strings.Contains(string(got.Body), "this address cannot be used") {
		t.Fatalf("a confirmed address: %d %s", got.Status, got.Body)
	}
	out, mr = replyOnce(t, rl, anna, conv, "Ответ после подтверждения")
	from, _ = mr.Header.AddressList("From")
	if out.From != "support@shop.example" || len(from) != 1 || from[0].Address != "support@shop.example" || mr.Header.Get("Reply-To") != "" {
		t.Fatalf("confirmed reply: envelope %s, From %v, Reply-To %q", out.From, from, mr.Header.Get("Reply-To"))
	}

	// Changing the address starts over.
	a.Admin.Must("PATCH", "/api/v1/admin/contact-points/"+cp, map[string]any{"settings": map[string]any{"address": "help@shop.example"}}, nil)
	a.Admin.Must("GET", base, nil, &st)
	if st.Address != "help@shop.example" || st.VerifiedAt != nil {
		t.Fatalf("state after the address changed: %+v", st)
	}
	code = codeOf(t, rl.NextConfirmation(t))

	// Five wrong codes end a code: even the right one no longer works.
	for range 5 {
		a.Admin.Do("POST", base+"/confirm", map[string]any{"code": wrong})
	}
	if got := a.Admin.Do("POST", base+"/confirm", map[string]any{"code": code}); got.Status != 400 || !strings.Contains(string(got.Body), "expired") {
		t.Fatalf("the right code after five wrong ones: %d %s", got.Status, got.Body)
	}
}
