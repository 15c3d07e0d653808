package livedesk

import "testing"

// TestGuestNumber: a guest's number is stable, short and the same as the apps compute
// (web/shared/guest.test.ts checks the same pairs).
func TestGuestNumber(t *testing.T) {
	for id, want := range map[ID]int{1: 3761, 15: 3751, 123456: 3216, 4294967295: 3535} {
		if got := GuestNumber(id); got != want {
			t.Errorf("GuestNumber(%d) = %d, want %d", id, got, want)
		}
	}
	if got := DisplayName("", 15); got != "Гость #3751" {
		t.Errorf("DisplayName of a guest = %q", got)
	}
	if got := DisplayName("Анна", 15); got != "Анна" {
		t.Errorf("DisplayName of Анна = %q", got)
	}
}

// TestForVisitorHidesOperatorFields: the visitor never gets a mail's full text or its
// delivery state, and the message itself is not changed.
func TestForVisitorHidesOperatorFields(t *testing.T) {
	m := &Message{Text: "Спасибо!", FullText: "Спасибо!\n\nАнна пишет:\n> Ответ", EmailDelivery: &EmailDelivery{State: "sent"}}
	v := m.ForVisitor()
	if v.FullText != "" || v.EmailDelivery != nil || v.Text != "Спасибо!" {
		t.Fatalf("the visitor's copy: %+v", v)
	}
	if m.FullText == "" || m.EmailDelivery == nil {
		t.Fatal("ForVisitor changed the message")
	}
	if plain := (&Message{Text: "a"}); plain.ForVisitor() != plain {
		t.Fatal("a message with nothing to hide was copied")
	}
}
