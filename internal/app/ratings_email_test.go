package app_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-message/mail"

	"livedesk/internal/config"
	"livedesk/internal/desk"
	"livedesk/internal/livedesk"
	"livedesk/internal/testkit"
)

// ratingMailEnv is mailEnv with a public address for links and the account mailing rating
// links; it returns the conversation of a customer's mail that Анна answered (the reply is
// taken by the relay already).
func ratingMailEnv(t *testing.T, rl *testkit.Relay, publicURL string) (*testkit.Env, *testkit.Account, *testkit.Client, string) {
	t.Helper()
	env := testkit.Start(t, func(c *config.Config) {
		c.SMTPListen = "127.0.0.1:0"
		c.SMTPRelay = rl.Addr()
		c.OutboxPoll = 50 * time.Millisecond
		c.PublicURL = publicURL
	})
	a := env.NewAccount()
	anna := a.Operator("Анна", "operator", 5, "available")
	a.Admin.Must("POST", "/api/v1/admin/contact-points", map[string]any{"name": "Почта магазина", "channel": "email",
		"settings": map[string]any{"address": "support@shop.example"}}, nil)
	a.Admin.Must("PATCH", "/api/v1/admin/settings", map[string]any{"rating_email": true}, nil)
	raw := "From: Irina <irina@example.org>\nTo: support@shop.example\nSubject: Order 4512\nMessage-ID: <m1@example.org>\n" +
		"MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\nWhere is my order 4512?\n"
	if err := sendMail(env.App.MailAddr(), "irina@example.org", "support@shop.example", raw); err != nil {
		t.Fatal(err)
	}
	conv := waitConversations(t, anna, 1)[0].ID
	anna.Must("POST", "/api/v1/conversations/"+conv+"/messages", map[string]any{"client_id": testkit.Unique("r"), "text": "It is on its way."}, nil)
	rl.Next(t)
	return env, a, anna, conv
}

// noRedirect is an HTTP client that shows redirects instead of following them.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// pageAnswer is an answer of the rating page.
type pageAnswer struct {
	StatusCode int
	Header     http.Header
}

func page(t *testing.T, method, u string, form url.Values) (pageAnswer, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return pageAnswer{StatusCode: resp.StatusCode, Header: resp.Header}, string(b)
}

// TestRatingEmailLink: closing an email conversation mails the customer a closing mail in the
// thread with a signed link; the page it opens rates the conversation without a login (the
// operator hears it live), shows the rating, and refuses forged links; an installation without
// a public address sends no closing mail.
func TestRatingEmailLink(t *testing.T) {
	t.Parallel()
	rl := testkit.StartRelay(t)
	env, a, anna, conv := ratingMailEnv(t, rl, "https://help.shop.example")
	ws := anna.WS(false, "")
	ws.Ready()
	defer ws.Close()
	anna.Must("POST", "/api/v1/conversations/"+conv+"/close", map[string]any{}, nil)

	out := rl.Next(t)
	if len(out.To) != 1 || out.To[0] != "irina@example.org" {
		t.Fatalf("the closing mail went to %v", out.To)
	}
	mr, err := mail.CreateReader(strings.NewReader(string(out.Raw)))
	if err != nil {
		t.Fatal(err)
	}
	subject, _ := mr.Header.Subject()
	inReplyTo, _ := mr.Header.MsgIDList("In-Reply-To")
	if subject != "Re: Order 4512" || len(inReplyTo) != 1 || !strings.HasSuffix(inReplyTo[0], "@shop.example") {
		t.Fatalf("closing mail headers: subject %q, in-reply-to %v (want the reply's id)", subject, inReplyTo)
	}
	part, err := mr.NextPart()
	if err != nil {
		t.Fatal(err)
	}
	text, _ := io.ReadAll(part.Body)
	link := regexp.MustCompile(`https://help\.shop\.example/rate/(r1\.[A-Za-z0-9._%-]+)`).FindStringSubmatch(string(text))
	if link == nil || !strings.Contains(string(text), "Оцените, пожалуйста, консультацию") {
		t.Fatalf("closing mail text without the rating link:\n%s", text)
	}
	// The history says the closing mail went out.
	found := false
	for _, m := range history(t, anna, conv) {
		if m.Kind == "system" && m.Text == desk.RatingMailLine {
			found = true
		}
	}
	if !found {
		t.Fatalf("no system line of the closing mail in %+v", history(t, anna, conv))
	}

	pageURL := env.URL + "/rate/" + link[1]
	resp, body := page(t, "GET", pageURL, nil)
	if resp.StatusCode != 200 || !strings.Contains(body, "Оцените, пожалуйста, консультацию") || !strings.Contains(body, "Order 4512") ||
		!strings.Contains(body, `name="score"`) || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") ||
		!strings.Contains(resp.Header.Get("Content-Security-Policy"), "default-src 'none'") {
		t.Fatalf("rating page: %d %v\n%s", resp.StatusCode, resp.Header, body)
	}
	// English for a browser that prefers it.
	req, _ := http.NewRequest("GET", pageURL, nil)
	req.Header.Set("Accept-Language", "en-GB,en;q=0.9,ru;q=0.5")
	if r2, err := http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	} else {
		b, _ := io.ReadAll(r2.Body)
		r2.Body.Close()
		if !strings.Contains(string(b), "Please rate the support you received") {
			t.Fatalf("English page:\n%s", b)
		}
	}

	// No score: the page again with the reason, nothing stored.
	resp, body = page(t, "POST", pageURL, url.Values{"scale": {"stars"}, "comment": {"без оценки"}})
	if resp.StatusCode != 400 || !strings.Contains(body, "Выберите оценку") {
		t.Fatalf("a form without a score: %d\n%s", resp.StatusCode, body)
	}
	resp, _ = page(t, "POST", pageURL, url.Values{"scale": {"stars"}, "score": {"5"}, "comment": {"Быстро и вежливо"}})
	if resp.StatusCode != 303 || !strings.HasSuffix(resp.Header.Get("Location"), "/rate/"+link[1]+"?done=1") {
		t.Fatalf("rating by the form: %d, Location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	f := ws.WaitFor("conversation.rated", nil)
	var p struct {
		ConversationID string     `json:"conversation_id"`
		Rating         ratingJSON `json:"rating"`
	}
	if err := json.Unmarshal(f.Data, &p); err != nil || p.ConversationID != conv || p.Rating.Score != 5 || p.Rating.Source != "email" ||
		p.Rating.Comment != "Быстро и вежливо" {
		t.Fatalf("conversation.rated: %s", f.Data)
	}
	resp, body = page(t, "GET", pageURL+"?done=1", nil)
	if resp.StatusCode != 200 || !strings.Contains(body, "Спасибо за оценку!") || !strings.Contains(body, "Изменить оценку") {
		t.Fatalf("the page after rating: %d\n%s", resp.StatusCode, body)
	}

	// A forged link (another conversation under this one's signature) does not work.
	forged := strings.Replace(link[1], "."+conv+".", "."+conv+"0.", 1)
	if forged == link[1] {
		t.Fatalf("the token %q does not name conversation %s", link[1], conv)
	}
	if resp, body := page(t, "GET", env.URL+"/rate/"+forged, nil); resp.StatusCode != 404 || !strings.Contains(body, "Ссылка для оценки не работает") {
		t.Fatalf("forged link: %d\n%s", resp.StatusCode, body)
	}
	// A link's claims of another account (the account the token names is checked with the
	// conversation): A's conversation and visitor under account B are not found, exactly like
	// a conversation that does not exist.
	other := testkit.ParseID(t, env.NewAccount().ID)
	convID, visitorID := testkit.ParseID(t, conv), testkit.ParseID(t, anna.Conversation(conv).Visitor.ID)
	ctx := context.Background()
	for _, c := range []struct {
		what                 string
		account, conv, guest livedesk.ID
	}{{"another account", other, convID, visitorID}, {"no such conversation", testkit.ParseID(t, a.ID), 987654321, visitorID}} {
		if _, err := env.App.Desk.RatingOfLink(ctx, c.account, c.guest, c.conv); !livedesk.IsCode(err, livedesk.CodeNotFound) {
			t.Errorf("the page of a link naming %s: %v, want not_found", c.what, err)
		}
		five := 5
		_, err := env.App.Desk.Rate(ctx, desk.Rater{AccountID: c.account, VisitorID: c.guest, Source: livedesk.RatingFromEmail},
			desk.RatingInput{ConversationID: c.conv, Scale: "stars", Score: &five})
		if !livedesk.IsCode(err, livedesk.CodeNotFound) {
			t.Errorf("rating through a link naming %s: %v, want not_found", c.what, err)
		}
	}

	// The page is rate limited per address: soon 429, still a page.
	limited := false
	for i := 0; i < 25 && !limited; i++ {
		resp, body := page(t, "GET", pageURL, nil)
		limited = resp.StatusCode == 429 && strings.Contains(body, "Слишком много запросов")
	}
	if !limited {
		t.Fatal("25 rating pages a minute from one address were all served")
	}
}

// TestRatingEmailNeedsPublicURL: without --public-url there is nothing to link to, so the
// close writes no closing mail even when the account asks for one.
func TestRatingEmailNeedsPublicURL(t *testing.T) {
	t.Parallel()
	rl := testkit.StartRelay(t)
	_, _, anna, conv := ratingMailEnv(t, rl, "")
	anna.Must("POST", "/api/v1/conversations/"+conv+"/close", map[string]any{}, nil)
	for _, m := range history(t, anna, conv) {
		if m.Kind == "system" && m.Text == desk.RatingMailLine {
			t.Fatalf("a closing mail without a public address: %+v", history(t, anna, conv))
		}
	}
}
