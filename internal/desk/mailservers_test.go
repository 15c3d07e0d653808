package desk_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"livedesk/internal/channel/email/imapbox"
	"livedesk/internal/desk"
	"livedesk/internal/livedesk"
	"livedesk/internal/secret"
	"livedesk/internal/store/sqlstore"
)

func mailDesk(t *testing.T) (*desk.Desk, livedesk.ID) {
	t.Helper()
	st, err := sqlstore.OpenSQLite(sqlstore.SQLiteOptions{Path: filepath.Join(t.TempDir(), "db.sqlite")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	box, err := secret.New(make([]byte, secret.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	d := desk.New(st, slog.New(slog.DiscardHandler))
	d.Configure(desk.Options{BcryptCost: 4, Secrets: box})
	var account livedesk.ID
	err = st.Write(context.Background(), func(tx livedesk.Tx) error {
		a, err := tx.CreateAccount("mail", livedesk.Settings{})
		account = a.ID
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return d, account
}

// TestMailPasswordsWriteOnly: passwords leave the settings sealed, password_set stands in,
// a change without a password keeps it (not when the host changes), a section removed
// forgets it, and the watcher's place resets with another folder.
func TestMailPasswordsWriteOnly(t *testing.T) {
	ctx := context.Background()
	d, account := mailDesk(t)
	cp, err := d.CreateContactPoint(ctx, account, desk.NewContactPoint{Name: "Support", Channel: livedesk.ChannelEmail,
		Settings: json.RawMessage(`{"address":"support@shop.test","imap":{"host":"imap.shop.test","security":"tls","username":"support","password":"imap-secret"},
			"smtp":{"host":"smtp.shop.test","port":465,"security":"tls","username":"support","password":"smtp-secret"}}`)})
	if err != nil {
		t.Fatal(err)
	}
	if s := string(cp.Settings); strings.Contains(s, "secret") || strings.Count(s, `"password_set":true`) != 2 {
		t.Fatalf("settings returned: %s", s)
	}
	servers, err := d.MailServers(ctx, cp)
	if err != nil || servers.IMAP.Password != "imap-secret" || servers.SMTP.Password != "smtp-secret" || servers.Address != "support@shop.test" {
		t.Fatalf("MailServers: %+v %v", servers, err)
	}

	// A change without the password keeps it.
	cp, err = d.UpdateContactPoint(ctx, account, cp.ID, desk.ContactPointPatch{
		Settings: json.RawMessage(`{"imap":{"host":"imap.shop.test","security":"tls","username":"support","folder":"Support"}}`)})
	if err != nil {
		t.Fatal(err)
	}
	if servers, _ = d.MailServers(ctx, cp); servers.IMAP.Password != "imap-secret" || servers.IMAP.Folder != "Support" {
		t.Fatalf("after a change without a password: %+v", servers.IMAP)
	}
	// Another host needs the password again.
	_, err = d.UpdateContactPoint(ctx, account, cp.ID, desk.ContactPointPatch{
		Settings: json.RawMessage(`{"imap":{"host":"evil.example","security":"tls","username":"support"}}`)})
	if livedesk.ErrorDetails(err)["field"] != "settings.imap.password" {
		t.Fatalf("another host without a password: %v %v", err, livedesk.ErrorDetails(err))
	}
	// Validation names the field.
	_, err = d.UpdateContactPoint(ctx, account, cp.ID, desk.ContactPointPatch{
		Settings: json.RawMessage(`{"imap":{"host":"imap.shop.test","security":"none","username":"support"}}`)})
	if livedesk.ErrorDetails(err)["field"] != "settings.imap.security" {
		t.Fatalf("none on a remote host: %v", err)
	}
	// The place belongs to host, user and folder.
	st := d.IMAPState(cp, *servers.IMAP)
	if err := st.Save(ctx, 5, 17); err != nil {
		t.Fatal(err)
	}
	if v, u, _ := st.Load(ctx); v != 5 || u != 17 {
		t.Fatalf("Load = %d, %d", v, u)
	}
	other := *servers.IMAP
	other.Folder = "INBOX"
	if v, u, _ := d.IMAPState(cp, other).Load(ctx); v != 0 || u != 0 {
		t.Fatalf("another folder's place = %d, %d, want none", v, u)
	}
	// Removing the section forgets its password.
	cp, err = d.UpdateContactPoint(ctx, account, cp.ID, desk.ContactPointPatch{Settings: json.RawMessage(`{"imap":null}`)})
	if err != nil {
		t.Fatal(err)
	}
	cp, err = d.UpdateContactPoint(ctx, account, cp.ID, desk.ContactPointPatch{
		Settings: json.RawMessage(`{"imap":{"host":"imap.shop.test","security":"tls","username":"support"}}`)})
	if err != nil || !strings.Contains(string(cp.Settings), `"password_set":false`) {
		t.Fatalf("after removing and adding again: %s %v", cp.Settings, err)
	}
	if servers, _ = d.MailServers(ctx, cp); servers.IMAP.Password != "" || servers.SMTP.Password != "smtp-secret" {
		t.Fatalf("passwords after imap was removed: %q %q", servers.IMAP.Password, servers.SMTP.Password)
	}
	var _ imapbox.State = st
}

// TestMailTestServers: the check buttons try unsaved settings over the saved ones, with the
// stored password only for the saved host.
func TestMailTestServers(t *testing.T) {
	ctx := context.Background()
	d, account := mailDesk(t)
	cp, err := d.CreateContactPoint(ctx, account, desk.NewContactPoint{Name: "Support", Channel: livedesk.ChannelEmail,
		Settings: json.RawMessage(`{"address":"support@shop.test","imap":{"host":"imap.shop.test","username":"support","password":"imap-secret"}}`)})
	if err != nil {
		t.Fatal(err)
	}
	saved, err := d.MailTestServers(ctx, account, cp.ID, nil)
	if err != nil || saved.IMAP.Password != "imap-secret" || saved.IMAP.Security != imapbox.SecurityTLS || saved.SMTP != nil {
		t.Fatalf("saved servers: %+v %v", saved, err)
	}
	same, err := d.MailTestServers(ctx, account, cp.ID, json.RawMessage(`{"imap":{"host":"IMAP.shop.test","security":"starttls","username":"support"}}`))
	if err != nil || same.IMAP.Password != "imap-secret" || same.IMAP.Security != imapbox.SecuritySTARTTLS {
		t.Fatalf("unsaved settings for the same host: %+v %v", same, err)
	}
	_, err = d.MailTestServers(ctx, account, cp.ID, json.RawMessage(`{"imap":{"host":"evil.example","username":"support"}}`))
	if livedesk.ErrorDetails(err)["field"] != "settings.imap.password" {
		t.Fatalf("another host without a password: %v", err)
	}
	typed, err := d.MailTestServers(ctx, account, cp.ID, json.RawMessage(`{"imap":{"host":"other.example","username":"u","password":"typed"}},"smtp":{"host":"smtp.other.example"}}`))
	if err == nil {
		t.Fatalf("malformed settings taken: %+v", typed)
	}
	typed, err = d.MailTestServers(ctx, account, cp.ID, json.RawMessage(`{"imap":{"host":"other.example","username":"u","password":"typed"},"smtp":{"host":"smtp.other.example"}}`))
	if err != nil || typed.IMAP.Password != "typed" || typed.SMTP == nil || typed.SMTP.Host != "smtp.other.example" || typed.Address != "support@shop.test" {
		t.Fatalf("typed settings: %+v %v", typed, err)
	}
	if _, err := d.MailTestServers(ctx, account+1000, cp.ID, nil); !livedesk.IsCode(err, livedesk.CodeNotFound) {
		t.Fatalf("another account's contact point: %v", err)
	}
}
