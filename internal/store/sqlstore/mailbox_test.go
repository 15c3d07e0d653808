package sqlstore

import (
	"context"
	"errors"
	"testing"

	"livedesk/internal/livedesk"
)

// TestMailboxClaims: an unconfirmed claim keeps nobody out (squatting an address blocked its
// real owner); the first account to confirm the address wins: a second confirmation and any
// later claim are refused without naming the holder, and inbound mail goes to the confirmed
// mailbox, before that to the oldest claim. One account cannot hold an address twice.
func TestMailboxClaims(t *testing.T) {
	s := openTest(t, nil)
	ctx := context.Background()
	var cps [4]*livedesk.ContactPoint
	err := s.Write(ctx, func(tx livedesk.Tx) error {
		for i := range cps {
			a, err := tx.CreateAccount("A", livedesk.Settings{})
			if err != nil {
				return err
			}
			cps[i] = &livedesk.ContactPoint{AccountID: a.ID, Name: "Почта", Channel: livedesk.ChannelEmail, Key: "k" + a.ID.String()}
			if err := tx.CreateContactPoint(cps[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	claim := func(cp *livedesk.ContactPoint) error {
		return s.Write(ctx, func(tx livedesk.Tx) error {
			_, err := tx.SetMailbox(cp.AccountID, cp.ID, "support@bank.example")
			return err
		})
	}
	verify := func(cp *livedesk.ContactPoint) error {
		return s.Write(ctx, func(tx livedesk.Tx) error { return tx.MailboxVerified(cp.ID) })
	}
	receiver := func() livedesk.ID {
		cp, err := s.Mailbox(ctx, "support@bank.example")
		if err != nil {
			t.Fatal(err)
		}
		return cp.ID
	}
	if err := claim(cps[0]); err != nil {
		t.Fatal(err)
	}
	if err := claim(cps[1]); err != nil {
		t.Fatalf("a second account's claim of an unconfirmed address: %v", err)
	}
	if got := receiver(); got != cps[0].ID {
		t.Errorf("mail before any confirmation goes to %d, want the oldest claim %d", got, cps[0].ID)
	}
	if err := verify(cps[1]); err != nil {
		t.Fatal(err)
	}
	if got := receiver(); got != cps[1].ID {
		t.Errorf("mail after confirmation goes to %d, want the confirmed %d", got, cps[1].ID)
	}
	if err := verify(cps[0]); !errors.Is(err, ErrAddressUnavailable) {
		t.Errorf("a second confirmation: %v, want ErrAddressUnavailable", err)
	}
	if err := claim(cps[2]); !errors.Is(err, ErrAddressUnavailable) {
		t.Errorf("a claim of a confirmed address: %v", err)
	}
	var due int
	if err := s.rq.QueryRowContext(ctx, `SELECT COUNT(*) FROM mailboxes WHERE confirm_due_at IS NOT NULL`).Scan(&due); err != nil || due != 0 {
		t.Errorf("confirmation mails still due to the confirmed address for other claims: %d, %v", due, err)
	}
}
