package app_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"livedesk/internal/testkit"
)

// searchPage is GET /api/v1/search's answer.
type searchPage struct {
	Results []struct {
		Conversation testkit.Conversation `json:"conversation"`
		Match        string               `json:"match"`
		Field        string               `json:"field"`
		Message      *struct {
			ID   string `json:"id"`
			Kind string `json:"kind"`
		} `json:"message"`
		Snippet []struct {
			Text string `json:"text"`
			Hit  bool   `json:"hit"`
		} `json:"snippet"`
	} `json:"results"`
	NextBefore *string `json:"next_before"`
}

func searchFor(t *testing.T, c *testkit.Client, query string) searchPage {
	t.Helper()
	var p searchPage
	c.Must("GET", "/api/v1/search?"+query, nil, &p)
	return p
}

func (p searchPage) conversations() []string {
	var out []string
	for _, r := range p.Results {
		out = append(out, r.Conversation.ID)
	}
	return out
}

// TestSearchFollowsReadScope: for every operator and every conversation of the read world,
// searching the conversation's own word, and its number, finds it exactly when the operator
// may open it (GET /conversations/{id} answers 200): the search's SQL rule and desk.mayRead
// agree. Nobody finds another account's conversation.
func TestSearchFollowsReadScope(t *testing.T) {
	w := readSetup(t)
	words := map[string]string{w.mine: "первый", w.offered: "второй", w.closedMine: "третий",
		w.wroteThenGone: "четвёртый", w.heldThenGone: "пятый"}
	readers := map[string]*testkit.Client{"Анна": w.anna, "Борис": w.boris, "Глеб": w.gleb, "Сева": w.sup, "admin": w.a.Admin}
	for name, c := range readers {
		for conv, word := range words {
			readable := c.Do("GET", "/api/v1/conversations/"+conv, nil).Status == 200
			byWord := slices.Contains(searchFor(t, c, "q="+url.QueryEscape(word)).conversations(), conv)
			byNumber := slices.Contains(searchFor(t, c, "q="+url.QueryEscape("#"+conv)).conversations(), conv)
			if byWord != readable || byNumber != readable {
				t.Errorf("%s, conversation %s («%s»): readable %v, found by word %v, by number %v", name, conv, word, readable, byWord, byNumber)
			}
		}
	}
	// Another account with the same words finds only its own.
	other := w.a.Env.NewAccount()
	_, key := other.ContactPoint("webchat")
	other.Admin.SetStatus("available")
	theirs := w.a.Env.Visitor(key, "Один").Say("первый заказ").ConversationID
	for _, q := range []string{"первый", "#" + w.mine, "Один"} {
		if got := searchFor(t, other.Admin, "q="+url.QueryEscape(q)).conversations(); slices.ContainsFunc(got, func(id string) bool { return id != theirs }) {
			t.Errorf("the other account's admin searching %q found %v", q, got)
		}
	}
	if got := searchFor(t, other.Admin, "q="+url.QueryEscape("первые")).conversations(); !slices.Equal(got, []string{theirs}) {
		t.Errorf("the other account's admin found %v, want its own %s", got, theirs)
	}
}

// TestSearchResults: morphology through the API, the snippet marks the matched words, the
// result opens at the newest matching message, a comment is found by operators, filters
// narrow, and a visitor is found by name and by phone.
func TestSearchResults(t *testing.T) {
	env, _, key, op, v := testkit.StartChat(t)
	conv := v.Say("Где мой заказ 4512? Доставку обещали вчера").ConversationID
	later := v.Say("Заказы до сих пор не пришли").ID
	op.Must("POST", "/api/v1/conversations/"+conv+"/comments", map[string]string{"client_id": testkit.Unique("c"), "text": "Проверить склад"}, nil)
	other := &testkit.Client{T: t, Base: env.URL, Source: testkit.NextSource()}
	var session struct {
		Token string `json:"visitor_token"`
	}
	other.Must("POST", "/api/v1/widget/"+key+"/session", map[string]any{"name": "Алёна Петрова", "phone": "+7 (912) 345-67-89"}, &session)
	other.Token = session.Token
	otherConv := other.Say("Здравствуйте, вопрос про оплату").ConversationID

	p := searchFor(t, op, "q="+url.QueryEscape("заказа"))
	if len(p.Results) != 1 || p.Results[0].Conversation.ID != conv || p.Results[0].Match != "message" ||
		p.Results[0].Message == nil || p.Results[0].Message.ID != later {
		t.Fatalf("«заказа»: %+v, want %s at its newest matching message %s", p, conv, later)
	}
	var marked []string
	for _, s := range p.Results[0].Snippet {
		if s.Hit {
			marked = append(marked, s.Text)
		}
	}
	if !slices.Equal(marked, []string{"Заказы"}) {
		t.Errorf("snippet %+v marks %q", p.Results[0].Snippet, marked)
	}
	if p := searchFor(t, op, "q="+url.QueryEscape(`"мой заказ"`)); !slices.Equal(p.conversations(), []string{conv}) {
		t.Errorf("phrase: %v", p.conversations())
	}
	if p := searchFor(t, op, "q="+url.QueryEscape("склада")); len(p.Results) != 1 || p.Results[0].Message.Kind != "comment" {
		t.Errorf("a comment: %+v", p)
	}
	if p := searchFor(t, op, "q="+url.QueryEscape("заказ")+"&state=closed"); len(p.Results) != 0 {
		t.Errorf("state=closed: %v", p.conversations())
	}
	if p := searchFor(t, op, "q="+url.QueryEscape("заказ")+"&state=open&channel=webchat&operator="+op.ID); !slices.Equal(p.conversations(), []string{conv}) {
		t.Errorf("open webchat of the operator: %v", p.conversations())
	}
	if p := searchFor(t, op, "q="+url.QueryEscape("заказ")+"&from=2000-01-01&to=2000-12-31&tz=Europe/Moscow"); len(p.Results) != 0 {
		t.Errorf("in 2000: %v", p.conversations())
	}
	for _, q := range []string{"алена", "петрова", "345-67-89", "9123456789"} {
		p := searchFor(t, op, "q="+url.QueryEscape(q))
		if !slices.Equal(p.conversations(), []string{otherConv}) || p.Results[0].Match != "visitor" {
			t.Errorf("visitor by %q: %+v", q, p)
		}
	}
	// A stop word alone searches nothing, and says so with an empty page.
	if p := searchFor(t, op, "q="+url.QueryEscape("не")); len(p.Results) != 0 || p.NextBefore != nil {
		t.Errorf("a stop word: %+v", p)
	}
}

// TestSearchRefusals: bad queries and filters are 400 invalid_input naming the field; ids
// of another account answer exactly like ids that do not exist.
func TestSearchRefusals(t *testing.T) {
	env := testkit.Start(t)
	a, b := env.NewAccount(), env.NewAccount()
	bOp := b.Operator("Чужой", "operator", 1, "")
	bCP, _ := b.ContactPoint("webchat")
	bCat := b.Category("Чужая")
	op := a.Operator("Анна", "operator", 1, "")
	cases := []struct {
		what, query, field string
	}{
		{"no q", "", "q"},
		{"empty q", "q=", "q"},
		{"blank q", "q=%20%20", "q"},
		{"huge q", "q=" + strings.Repeat("я", 201), "q"},
		{"invalid UTF-8", "q=%FF%FE%FD", "q"},
		{"bad state", "q=x&state=gone", "state"},
		{"bad channel", "q=x&channel=fax", "channel"},
		{"bad operator id", "q=x&operator=abc", "operator"},
		{"another account's operator", "q=x&operator=" + bOp.ID, "operator"},
		{"no such operator", "q=x&operator=999999999", "operator"},
		{"another account's contact point", "q=x&contact_point=" + bCP, "contact_point"},
		{"no such contact point", "q=x&contact_point=999999999", "contact_point"},
		{"another account's category", "q=x&category=" + bCat, "category"},
		{"no such category", "q=x&category=999999999", "category"},
		{"bad from", "q=x&from=yesterday", "from"},
		{"to before from", "q=x&from=2026-02-02&to=2026-02-01", "to"},
		{"bad tz", "q=x&from=2026-02-02&tz=Mars/Olympus", "tz"},
		{"bad before", "q=x&before=-4", "before"},
		{"limit over 50", "q=x&limit=51", "limit"},
	}
	bodies := map[string][]byte{}
	for _, c := range cases {
		r := op.Do("GET", "/api/v1/search?"+c.query, nil)
		testkit.Expect(t, c.what, r, 400, "invalid_input")
		var e struct {
			Error struct {
				Details map[string]string `json:"details"`
			} `json:"error"`
		}
		r.Decode(t, &e)
		if e.Error.Details["field"] != c.field {
			t.Errorf("%s: %s, want the field %q named", c.what, r.Body, c.field)
		}
		bodies[c.what] = r.Body
	}
	for _, pair := range [][2]string{{"another account's operator", "no such operator"},
		{"another account's contact point", "no such contact point"}, {"another account's category", "no such category"}} {
		if string(bodies[pair[0]]) != string(bodies[pair[1]]) {
			t.Errorf("%s answers %s but %s answers %s", pair[0], bodies[pair[0]], pair[1], bodies[pair[1]])
		}
	}
	if r := (&testkit.Client{T: t, Base: env.URL}).Do("GET", "/api/v1/search?q=x", nil); r.Status != 401 {
		t.Errorf("without a session: %d", r.Status)
	}
}
