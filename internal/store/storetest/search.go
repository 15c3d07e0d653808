package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"livedesk/internal/livedesk"
	"livedesk/internal/search"
)

// searchWorld is an account with two operators and five conversations that each read a
// different way, and a second account that writes the same words.
type searchWorld struct {
	account, other livedesk.ID
	anna, boris    livedesk.ID
	cp, mail       livedesk.ID
	category       livedesk.ID
	// own: assigned to Anna; took: closed, Boris's, Anna commented in it; foreign: assigned to
	// Boris; queued: waiting; offered: Boris's, offered to Anna; otherAcct: the other
	// account's.
	own, took, foreign, queued, offered, otherAcct livedesk.ID
	// ownVisitor is own's visitor (name, email, phone).
	ownVisitor livedesk.ID
	// annaReply is Anna's reply in own.
	annaReply livedesk.ID
}

type line struct {
	op   livedesk.ID // 0: the visitor
	kind livedesk.MessageKind
	text string
}

func newSearchWorld(t *testing.T, st livedesk.Store) *searchWorld {
	t.Helper()
	w := &searchWorld{}
	write(t, st, func(tx livedesk.Tx) error {
		acct, err := tx.CreateAccount("search", livedesk.Settings{})
		if err != nil {
			return err
		}
		w.account = acct.ID
		ops := map[string]livedesk.ID{}
		for _, name := range []string{"Анна", "Борис"} {
			o := &livedesk.Operator{AccountID: acct.ID, Name: name, Email: fmt.Sprintf("%d-%s@search.test", acct.ID, name),
				PasswordHash: "x", Role: livedesk.RoleOperator, Limit: 10, Status: livedesk.StatusAvailable}
			if err := tx.CreateOperator(o); err != nil {
				return err
			}
			ops[name] = o.ID
		}
		w.anna, w.boris = ops["Анна"], ops["Борис"]
		cp := &livedesk.ContactPoint{AccountID: acct.ID, Name: "Сайт", Channel: livedesk.ChannelWebchat, Key: fmt.Sprintf("search-%d", acct.ID)}
		if err := tx.CreateContactPoint(cp); err != nil {
			return err
		}
		mail := &livedesk.ContactPoint{AccountID: acct.ID, Name: "Почта", Channel: livedesk.ChannelEmail, Key: fmt.Sprintf("search-mail-%d", acct.ID)}
		if err := tx.CreateContactPoint(mail); err != nil {
			return err
		}
		w.cp, w.mail = cp.ID, mail.ID
		cat := livedesk.Category{Name: "Доставка"}
		if err := tx.CreateCategory(acct.ID, &cat); err != nil {
			return err
		}
		w.category = cat.ID

		conv := func(point *livedesk.ContactPoint, visitor *livedesk.Visitor, assignee livedesk.ID, lines ...line) (livedesk.ID, []livedesk.ID, error) {
			visitor.AccountID, visitor.ContactPointID = acct.ID, point.ID
			if err := tx.CreateVisitor(visitor); err != nil {
				return 0, nil, err
			}
			id, err := tx.CreateConversation(acct.ID, point, visitor.ID)
			if err != nil {
				return 0, nil, err
			}
			if assignee != 0 {
				if _, err := tx.ReserveCapacity(assignee, false); err != nil {
					return 0, nil, err
				}
				if err := tx.AssignConversation(id, assignee); err != nil {
					return 0, nil, err
				}
			}
			var ids []livedesk.ID
			for _, l := range lines {
				m := &livedesk.Message{ConversationID: id, Kind: l.kind, Text: l.text,
					Author: livedesk.Author{Type: livedesk.AuthorVisitor, ID: visitor.ID, Name: visitor.Name}}
				if l.op != 0 {
					m.Author = livedesk.Author{Type: livedesk.AuthorOperator, ID: l.op, Name: "op"}
				}
				if err := tx.InsertMessage(acct.ID, m); err != nil {
					return 0, nil, err
				}
				ids = append(ids, m.ID)
			}
			return id, ids, nil
		}
		text, comment, system := livedesk.KindText, livedesk.KindComment, livedesk.KindSystem
		own := &livedesk.Visitor{Name: "Алёна Петрова", Email: "alena.petrova@example.test", Phone: "+7 (912) 345-67-89"}
		var ids []livedesk.ID
		if w.own, ids, err = conv(cp, own, w.anna,
			line{0, text, "Здравствуйте! Где мой заказ 4512? Доставку обещали вчера."},
			line{w.anna, text, "Ваш заказ передан в доставку, курьер приедет завтра."},
			line{0, text, "Thanks, I will wait for the delivery of my orders."}); err != nil {
			return err
		}
		w.ownVisitor, w.annaReply = own.ID, ids[1]
		if w.took, _, err = conv(cp, &livedesk.Visitor{Name: "Пётр"}, w.boris,
			line{0, text, "Заказы не пришли, ёлка сломана"},
			line{w.anna, comment, "Проверить заказ на складе"},
			line{w.boris, text, "Отправим новую елку"}); err != nil {
			return err
		}
		if err := tx.CloseConversation(w.took, w.boris, w.category); err != nil {
			return err
		}
		if w.foreign, _, err = conv(cp, &livedesk.Visitor{Name: "Мария"}, w.boris,
			line{0, text, "Хочу отменить заказа номер 77"},
			line{0, system, "заказ системная строка"}); err != nil {
			return err
		}
		if w.queued, _, err = conv(mail, &livedesk.Visitor{Name: "", Email: "queue@example.test"}, 0,
			line{0, text, "Оформление заказа не работает"}); err != nil {
			return err
		}
		if w.offered, _, err = conv(cp, &livedesk.Visitor{Name: "Ольга"}, w.boris,
			line{0, text, "Можно изменить адрес доставки заказа?"}); err != nil {
			return err
		}
		return tx.CreateTransfer(acct.ID, &livedesk.Transfer{ConversationID: w.offered, FromOperatorID: w.boris, ToOperatorID: w.anna,
			State: livedesk.TransferPending, ExpiresAt: tx.Now().Add(time.Minute)})
	})
	// The other account writes the same words, and its visitor has the same name.
	write(t, st, func(tx livedesk.Tx) error {
		acct, err := tx.CreateAccount("search other", livedesk.Settings{})
		if err != nil {
			return err
		}
		w.other = acct.ID
		cp := &livedesk.ContactPoint{AccountID: acct.ID, Name: "Другой сайт", Channel: livedesk.ChannelWebchat, Key: fmt.Sprintf("search-%d", acct.ID)}
		if err := tx.CreateContactPoint(cp); err != nil {
			return err
		}
		v := &livedesk.Visitor{AccountID: acct.ID, ContactPointID: cp.ID, Name: "Алёна Петрова", Phone: "+7 912 345 67 89"}
		if err := tx.CreateVisitor(v); err != nil {
			return err
		}
		if w.otherAcct, err = tx.CreateConversation(acct.ID, cp, v.ID); err != nil {
			return err
		}
		return tx.InsertMessage(acct.ID, &livedesk.Message{ConversationID: w.otherAcct, Kind: livedesk.KindText,
			Text: "Где мой заказ 4512? Доставка", Author: livedesk.Author{Type: livedesk.AuthorVisitor, ID: v.ID}})
	})
	return w
}

// searchConversations runs a message search in steps the way the desk does and returns
// the conversations found, newest match first.
func searchConversations(t *testing.T, st livedesk.Store, f livedesk.SearchFilter, query string) []livedesk.ID {
	t.Helper()
	q, ok := search.Parse(query)
	if !ok {
		t.Fatalf("query %q searches nothing", query)
	}
	ms := livedesk.MessageSearch{SearchFilter: f, Scan: 2}
	for _, term := range q.Terms {
		ms.Terms = append(ms.Terms, livedesk.SearchTerm{Words: term.Words, Phrase: term.Phrase})
	}
	var out []livedesk.ID
	for {
		hits, err := st.SearchMessages(context.Background(), ms)
		if err != nil {
			t.Fatalf("SearchMessages(%q): %v", query, err)
		}
		var ids []livedesk.ID
		for _, m := range hits.Messages {
			if !slices.Contains(out, m.ConversationID) {
				out = append(out, m.ConversationID)
				ids = append(ids, m.ConversationID)
			}
		}
		convs, err := st.ConversationsByID(context.Background(), f.Account, ids)
		if err != nil || len(convs) != len(ids) {
			t.Fatalf("ConversationsByID(%v) = %d conversations, %v", ids, len(convs), err)
		}
		for _, c := range convs {
			if c.AccountID != f.Account || !slices.Contains(ids, c.ID) {
				t.Fatalf("ConversationsByID(%v) read %+v", ids, c)
			}
		}
		if len(ids) > 0 {
			if other, err := st.ConversationsByID(context.Background(), f.Account+1000, ids); err != nil || len(other) != 0 {
				t.Fatalf("ConversationsByID of another account read %d conversations, %v", len(other), err)
			}
		}
		if hits.Next == 0 {
			return out
		}
		ms.Before = hits.Next
	}
}

func sameSet(a, b []livedesk.ID) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func testSearchMorphology(t *testing.T, open Opener) {
	st, _ := open(t)
	w := newSearchWorld(t, st)
	staff := livedesk.SearchFilter{Account: w.account}
	cases := []struct {
		query string
		want  []livedesk.ID
	}{
		// «заказ» finds заказ, заказа, заказы (not the system line of foreign: only text and comments)
		{"заказ", []livedesk.ID{w.own, w.took, w.foreign, w.queued, w.offered}},
		{"заказы", []livedesk.ID{w.own, w.took, w.foreign, w.queued, w.offered}},
		{"ЗАКАЗА", []livedesk.ID{w.own, w.took, w.foreign, w.queued, w.offered}},
		// «доставка» finds доставку, доставки
		{"доставка", []livedesk.ID{w.own, w.offered}},
		// ё and е are one letter, both ways
		{"ёлку", []livedesk.ID{w.took}},
		{"елка", []livedesk.ID{w.took}},
		// English forms
		{"order", []livedesk.ID{w.own}},
		{"Deliveries", []livedesk.ID{w.own}},
		// every word must match
		{"заказ доставку", []livedesk.ID{w.own, w.offered}},
		{"заказ 4512", []livedesk.ID{w.own}},
		// a phrase: the words in order, stop words between them allowed
		{`"заказ передан в доставку"`, []livedesk.ID{w.own}},
		{`"заказ на складе"`, []livedesk.ID{w.took}},
		{`"доставку заказ"`, []livedesk.ID{w.offered}},
		{`"заказ доставку"`, nil},
		// internal comments are found (operators read them)
		{"складе", []livedesk.ID{w.took}},
		// no such word; a system line is not searched
		{"системная", nil},
		{"курьерская", nil},
	}
	for _, c := range cases {
		if got := searchConversations(t, st, staff, c.query); !sameSet(got, c.want) {
			t.Errorf("%q found %v, want %v", c.query, got, c.want)
		}
	}
	// Newest match first: own's last match is newer than took's.
	if got := searchConversations(t, st, staff, "заказ"); len(got) != 5 || got[0] != w.offered || got[4] != w.own {
		t.Errorf("order of «заказ»: %v (want offered first, own last by their newest matching message)", got)
	}
	// The other account finds only its own conversation.
	if got := searchConversations(t, st, livedesk.SearchFilter{Account: w.other}, "заказ"); !sameSet(got, []livedesk.ID{w.otherAcct}) {
		t.Errorf("the other account found %v", got)
	}
}

func testSearchScope(t *testing.T, open Opener) {
	st, _ := open(t)
	w := newSearchWorld(t, st)
	all := []livedesk.ID{w.own, w.took, w.foreign, w.queued, w.offered}
	now := time.Now()
	cases := []struct {
		name string
		f    livedesk.SearchFilter
		want []livedesk.ID
	}{
		{"staff", livedesk.SearchFilter{Account: w.account}, all},
		// Anna: hers, the closed one she commented in, the one offered to her
		{"anna", livedesk.SearchFilter{Account: w.account, Reader: w.anna}, []livedesk.ID{w.own, w.took, w.offered}},
		// Boris: the closed one he held last, his open ones (offered away but still his)
		{"boris", livedesk.SearchFilter{Account: w.account, Reader: w.boris}, []livedesk.ID{w.took, w.foreign, w.offered}},
		{"an operator of the other account", livedesk.SearchFilter{Account: w.other, Reader: w.anna}, nil},
		{"state closed", livedesk.SearchFilter{Account: w.account, State: livedesk.StateClosed}, []livedesk.ID{w.took}},
		{"state queued", livedesk.SearchFilter{Account: w.account, State: livedesk.StateQueued}, []livedesk.ID{w.queued}},
		{"state open, anna", livedesk.SearchFilter{Account: w.account, Reader: w.anna, State: livedesk.StateAssigned}, []livedesk.ID{w.own, w.offered}},
		{"assignee boris", livedesk.SearchFilter{Account: w.account, Assignee: w.boris}, []livedesk.ID{w.took, w.foreign, w.offered}},
		{"category", livedesk.SearchFilter{Account: w.account, Category: w.category}, []livedesk.ID{w.took}},
		{"channel email", livedesk.SearchFilter{Account: w.account, Channel: livedesk.ChannelEmail}, []livedesk.ID{w.queued}},
		{"contact point", livedesk.SearchFilter{Account: w.account, ContactPoint: w.mail}, []livedesk.ID{w.queued}},
		{"another account's contact point", livedesk.SearchFilter{Account: w.other, ContactPoint: w.mail}, nil},
		{"from an hour ago", livedesk.SearchFilter{Account: w.account, From: now.Add(-time.Hour)}, all},
		{"from an hour ahead", livedesk.SearchFilter{Account: w.account, From: now.Add(time.Hour)}, nil},
		{"until an hour ago", livedesk.SearchFilter{Account: w.account, To: now.Add(-time.Hour)}, nil},
	}
	for _, c := range cases {
		if got := searchConversations(t, st, c.f, "заказ"); !sameSet(got, c.want) {
			t.Errorf("%s: found %v, want %v", c.name, got, c.want)
		}
	}
}

func testSearchVisitors(t *testing.T, open Opener) {
	st, _ := open(t)
	w := newSearchWorld(t, st)
	ctx := context.Background()
	cases := []struct {
		name  string
		f     livedesk.SearchFilter
		words []string
		phone string
		want  []livedesk.ID
	}{
		{"name, ё as е", livedesk.SearchFilter{Account: w.account}, []string{"алена"}, "", []livedesk.ID{w.own}},
		{"two words of the name", livedesk.SearchFilter{Account: w.account}, []string{"петрова", "алена"}, "", []livedesk.ID{w.own}},
		{"a part of the email", livedesk.SearchFilter{Account: w.account}, []string{"petrova@exa"}, "", []livedesk.ID{w.own}},
		{"name and email words", livedesk.SearchFilter{Account: w.account}, []string{"алена", "example"}, "", []livedesk.ID{w.own}},
		{"phone digits", livedesk.SearchFilter{Account: w.account}, nil, "9123456789", []livedesk.ID{w.own}},
		{"the end of the phone", livedesk.SearchFilter{Account: w.account}, nil, "4567", []livedesk.ID{w.own}},
		{"a word nobody has", livedesk.SearchFilter{Account: w.account}, []string{"алена", "смирнова"}, "", nil},
		{"email of a queued one", livedesk.SearchFilter{Account: w.account}, []string{"queue@"}, "", []livedesk.ID{w.queued}},
		{"read rule: boris", livedesk.SearchFilter{Account: w.account, Reader: w.boris}, []string{"алена"}, "", nil},
		{"read rule: anna", livedesk.SearchFilter{Account: w.account, Reader: w.anna}, []string{"алена"}, "", []livedesk.ID{w.own}},
		{"filter: closed", livedesk.SearchFilter{Account: w.account, State: livedesk.StateClosed}, []string{"алена"}, "", nil},
		{"the other account", livedesk.SearchFilter{Account: w.other}, []string{"алена"}, "", []livedesk.ID{w.otherAcct}},
		{"the other account by phone", livedesk.SearchFilter{Account: w.other}, nil, "9123456789", []livedesk.ID{w.otherAcct}},
	}
	for _, c := range cases {
		hits, err := st.SearchVisitors(ctx, livedesk.VisitorSearch{SearchFilter: c.f, Words: c.words, Phone: c.phone, Limit: 10})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var got []livedesk.ID
		for _, h := range hits {
			got = append(got, h.Conversation.ID)
			if h.Visitor == nil || h.Visitor.ID != h.Conversation.Visitor.ID || h.Conversation.AccountID != c.f.Account {
				t.Errorf("%s: hit %+v", c.name, h)
			}
		}
		if !sameSet(got, c.want) {
			t.Errorf("%s: found %v, want %v", c.name, got, c.want)
		}
	}
	// A visitor whose name changes is found by the new name only.
	write(t, st, func(tx livedesk.Tx) error {
		v, err := tx.Visitor(w.account, w.ownVisitor)
		if err != nil {
			return err
		}
		v.Name = "Алёна Смирнова"
		return tx.UpdateVisitor(v)
	})
	for words, want := range map[string][]livedesk.ID{"смирнова": {w.own}, "петрова": nil} {
		hits, err := st.SearchVisitors(ctx, livedesk.VisitorSearch{SearchFilter: livedesk.SearchFilter{Account: w.account},
			Words: []string{words}, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		var got []livedesk.ID
		for _, h := range hits {
			got = append(got, h.Conversation.ID)
		}
		if !sameSet(got, want) {
			t.Errorf("after renaming, %q found %v, want %v", words, got, want)
		}
	}
}

// testSearchFollowsWrites checks that a message is searchable as soon as its write is
// acknowledged and that the scan continues where it stopped (Next) without a gap or a
// repeat.
func testSearchFollowsWrites(t *testing.T, open Opener) {
	st, _ := open(t)
	w := newSearchWorld(t, st)
	ctx := context.Background()
	var want []livedesk.ID
	for i := range 7 {
		write(t, st, func(tx livedesk.Tx) error {
			m := &livedesk.Message{ConversationID: w.own, Kind: livedesk.KindText, Text: fmt.Sprintf("посылка номер %d", i),
				Author: livedesk.Author{Type: livedesk.AuthorOperator, ID: w.anna}}
			err := tx.InsertMessage(w.account, m)
			want = append([]livedesk.ID{m.ID}, want...)
			return err
		})
	}
	ms := livedesk.MessageSearch{SearchFilter: livedesk.SearchFilter{Account: w.account}, Scan: 3,
		Terms: []livedesk.SearchTerm{{Words: []string{"посылки"}}}}
	var got []livedesk.ID
	for steps := 0; ; steps++ {
		hits, err := st.SearchMessages(ctx, ms)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range hits.Messages {
			got = append(got, m.ID)
		}
		if hits.Next == 0 {
			break
		}
		if steps > 5 {
			t.Fatal("the scan does not end")
		}
		ms.Before = hits.Next
	}
	if !slices.Equal(got, want) {
		t.Errorf("found %v, want %v (newest first, each once)", got, want)
	}
}

// runSearch is the conversation search's part of the suite: morphology, the read rule and
// the filters, visitors' fields, and the index following writes.
func runSearch(t *testing.T, open Opener) {
	t.Run("Morphology", func(t *testing.T) { testSearchMorphology(t, open) })
	t.Run("ScopeAndFilters", func(t *testing.T) { testSearchScope(t, open) })
	t.Run("Visitors", func(t *testing.T) { testSearchVisitors(t, open) })
	t.Run("FollowsWrites", func(t *testing.T) { testSearchFollowsWrites(t, open) })
}
