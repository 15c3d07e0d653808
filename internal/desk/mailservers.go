package desk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"livedesk/internal/channel/email/imapbox"
	"livedesk/internal/channel/email/submit"
	"livedesk/internal/livedesk"
)

// A team's own mailbox (issue 16): an email contact point's settings may hold
//
//	"imap": {"host", "port", "security", "username", "password", "folder", "after_fetch"}
//	"smtp": {"host", "port", "security", "username", "password"}
//
// The passwords are write-only: Create/UpdateContactPoint take them out of the settings,
// seal them with the desk's secret.Box (label "contact-point/<id>/imap" or "/smtp") into the
// store's mail_servers row and leave "password_set": true in their place. A settings change
// without a password keeps the stored one, unless the host changed: a password is never
// sent to another server than the one it was entered for. The app's watchers and the outbox
// read the servers with MailServers; the IMAP watcher keeps its place through IMAPState.

// IMAPSettings is the "imap" object of an email contact point's settings, as the API
// returns it (Password is only ever read, never written out).
type IMAPSettings struct {
	Host        string  `json:"host"`
	Port        int     `json:"port,omitempty"`
	Security    string  `json:"security"`
	Username    string  `json:"username"`
	Password    *string `json:"password,omitempty"`
	PasswordSet bool    `json:"password_set"`
	Folder      string  `json:"folder,omitempty"`
	AfterFetch  string  `json:"after_fetch,omitempty"`
}

// SMTPSettings is the "smtp" object of an email contact point's settings.
type SMTPSettings struct {
	Host        string  `json:"host"`
	Port        int     `json:"port,omitempty"`
	Security    string  `json:"security"`
	Username    string  `json:"username,omitempty"`
	Password    *string `json:"password,omitempty"`
	PasswordSet bool    `json:"password_set"`
}

func (s *IMAPSettings) config() imapbox.Config {
	c := imapbox.Config{Host: strings.TrimSpace(s.Host), Port: s.Port, Security: imapbox.Security(s.Security),
		Username: s.Username, Folder: s.Folder, AfterFetch: s.AfterFetch}
	if s.Password != nil {
		c.Password = *s.Password
	}
	return c
}

func (s *SMTPSettings) config() submit.Config {
	c := submit.Config{Host: strings.TrimSpace(s.Host), Port: s.Port, Security: submit.Security(s.Security), Username: s.Username}
	if s.Password != nil {
		c.Password = *s.Password
	}
	return c
}

// fieldErr names a settings field in an invalid_input error.
func fieldErr(field, reason string) error {
	return &livedesk.Error{Code: livedesk.CodeInvalidInput, Message: field + " " + reason, Details: map[string]string{"field": field}}
}

// decodeSection reads settings[name] strictly (unknown keys refused); nil when absent.
func decodeSection[T any](raw map[string]json.RawMessage, name string) (*T, error) {
	b, ok := raw[name]
	if !ok || string(b) == "null" {
		return nil, nil
	}
	var v T
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		return nil, fieldErr("settings."+name, "must be an object of "+name+" settings: "+strings.TrimPrefix(err.Error(), "json: "))
	}
	return &v, nil
}

// checkMailServers validates the "imap" and "smtp" sections of raw settings (Config.Validate
// of imapbox and submit, errors named settings.imap.<field>) and writes them back normalized
// (password_set as the input said: Create/UpdateContactPoint set it).
func checkMailServers(raw map[string]json.RawMessage) error {
	im, err := decodeSection[IMAPSettings](raw, "imap")
	if err != nil {
		return err
	}
	sm, err := decodeSection[SMTPSettings](raw, "smtp")
	if err != nil {
		return err
	}
	if im != nil {
		im.Host = strings.TrimSpace(im.Host)
		if im.Security == "" {
			im.Security = string(imapbox.SecurityTLS)
		}
		if err := im.config().Validate(); err != nil {
			var fe *imapbox.FieldError
			if errors.As(err, &fe) {
				return fieldErr("settings.imap."+fe.Field, fe.Reason)
			}
			return fieldErr("settings.imap", err.Error())
		}
		raw["imap"] = mustJSON(im)
	}
	if sm != nil {
		sm.Host = strings.TrimSpace(sm.Host)
		if sm.Security == "" {
			sm.Security = string(submit.SecuritySTARTTLS)
		}
		c := sm.config()
		if c.Password == "" && sm.PasswordSet {
			c.Password = "stored" // only for Validate's "username is required with a password"
		}
		if err := c.Validate(); err != nil {
			var fe *submit.FieldError
			if errors.As(err, &fe) {
				return fieldErr("settings.smtp."+fe.Field, fe.Reason)
			}
			return fieldErr("settings.smtp", err.Error())
		}
		raw["smtp"] = mustJSON(sm)
	}
	if (im != nil || sm != nil) && len(raw["address"]) == 0 {
		return fieldErr("settings.address", "is required with imap or smtp settings: it is the mailbox's address")
	}
	return nil
}

// mailLabel is the secret.Box label of a contact point's password of kind "imap" or "smtp".
func mailLabel(contactPoint livedesk.ID, kind string) string {
	return fmt.Sprintf("contact-point/%d/%s", contactPoint, kind)
}

// sealMailPasswords takes the passwords out of cp.Settings (already checked), seals the new
// ones and stores them, keeps the stored ones a change did not give (same host), clears
// those of a section removed, and marks password_set. prev is the settings before the change
// (nil for a new contact point).
func (d *Desk) sealMailPasswords(tx livedesk.Tx, cp *livedesk.ContactPoint, prev json.RawMessage) error {
	if cp.Channel != livedesk.ChannelEmail {
		return nil
	}
	var raw, old map[string]json.RawMessage
	if json.Unmarshal(cp.Settings, &raw) != nil || raw == nil {
		return nil
	}
	_ = json.Unmarshal(prev, &old)
	stored, err := tx.MailServer(cp.AccountID, cp.ID)
	if err != nil {
		return err
	}
	imapPass, smtpPass := stored.IMAPPassword, stored.SMTPPassword
	hostOf := func(name string) string {
		var s struct {
			Host string `json:"host"`
		}
		_ = json.Unmarshal(old[name], &s)
		return strings.ToLower(strings.TrimSpace(s.Host))
	}
	seal := func(section, host string, given *string, cur *string) (bool, error) {
		switch {
		case given != nil && *given == "":
			*cur = ""
		case given != nil:
			if d.opts.Secrets == nil {
				return false, livedesk.Errorf(livedesk.CodeInvalidInput, "settings.%s.password cannot be stored: no secret key is configured", section)
			}
			sealed, err := d.opts.Secrets.Seal([]byte(*given), mailLabel(cp.ID, section))
			if err != nil {
				return false, err
			}
			*cur = sealed
		case *cur != "" && hostOf(section) != strings.ToLower(host):
			return false, fieldErr("settings."+section+".password", "must be entered again when the host changes (a stored password is sent only to the server it was entered for)")
		}
		return *cur != "", nil
	}
	if im, _ := decodeSection[IMAPSettings](raw, "imap"); im != nil {
		set, err := seal("imap", im.Host, im.Password, &imapPass)
		if err != nil {
			return err
		}
		im.Password, im.PasswordSet = nil, set
		raw["imap"] = mustJSON(im)
	} else {
		imapPass = ""
	}
	if sm, _ := decodeSection[SMTPSettings](raw, "smtp"); sm != nil {
		set, err := seal("smtp", sm.Host, sm.Password, &smtpPass)
		if err != nil {
			return err
		}
		sm.Password, sm.PasswordSet = nil, set
		raw["smtp"] = mustJSON(sm)
	} else {
		smtpPass = ""
	}
	cp.Settings = mustJSON(raw)
	if imapPass == stored.IMAPPassword && smtpPass == stored.SMTPPassword {
		return nil
	}
	return tx.SetMailPasswords(cp.AccountID, cp.ID, imapPass, smtpPass)
}

// MailServers are an email contact point's own servers with their passwords opened, for the
// IMAP watcher and the outbox. IMAP or SMTP is nil when the contact point has none.
type MailServers struct {
	// Address is the mailbox's address (the envelope sender of its replies).
	Address string
	IMAP    *imapbox.Config
	SMTP    *submit.Config
}

// MailServers reads the contact point's own IMAP and SMTP servers with their passwords. A
// password that does not open (another key, a value copied from elsewhere) is an error that
// says to enter it again; it is never logged.
func (d *Desk) MailServers(ctx context.Context, cp *livedesk.ContactPoint) (*MailServers, error) {
	out := &MailServers{Address: MailboxAddress(cp)}
	if cp.Channel != livedesk.ChannelEmail {
		return out, nil
	}
	var raw map[string]json.RawMessage
	_ = json.Unmarshal(cp.Settings, &raw)
	im, _ := decodeSection[IMAPSettings](raw, "imap")
	sm, _ := decodeSection[SMTPSettings](raw, "smtp")
	if im == nil && sm == nil {
		return out, nil
	}
	stored, err := d.store.MailServer(ctx, cp.AccountID, cp.ID)
	if err != nil {
		return nil, err
	}
	open := func(kind, sealed string) (string, error) {
		if sealed == "" {
			return "", nil
		}
		if d.opts.Secrets == nil {
			return "", fmt.Errorf("the %s password of contact point %d cannot be read: no secret key is configured", kind, cp.ID)
		}
		p, err := d.opts.Secrets.Open(sealed, mailLabel(cp.ID, kind))
		if err != nil {
			return "", fmt.Errorf("the %s password of contact point %d does not open with this secret key (enter it again): %w", kind, cp.ID, err)
		}
		return string(p), nil
	}
	if im != nil {
		c := im.config()
		if c.Password, err = open("imap", stored.IMAPPassword); err != nil {
			return nil, err
		}
		out.IMAP = &c
	}
	if sm != nil {
		c := sm.config()
		if c.Password, err = open("smtp", stored.SMTPPassword); err != nil {
			return nil, err
		}
		out.SMTP = &c
	}
	return out, nil
}

// MailTestServers are the servers the cabinet's check buttons try: the stored settings with
// the unsaved ones of the request over them. raw is the request's settings object ("imap"
// and/or "smtp" sections, may be empty); a section without a password uses the stored one
// when the host is the stored host (never another server's).
func (d *Desk) MailTestServers(ctx context.Context, account, id livedesk.ID, raw json.RawMessage) (*MailServers, error) {
	cp, err := d.store.ContactPoint(ctx, account, id)
	if err != nil {
		return nil, err
	}
	if cp.Channel != livedesk.ChannelEmail {
		return nil, livedesk.Errorf(livedesk.CodeInvalidInput, "the contact point is not an email mailbox")
	}
	saved, err := d.MailServers(ctx, cp)
	if err != nil {
		return nil, err
	}
	if len(raw) == 0 || string(raw) == "null" {
		return saved, nil
	}
	var in map[string]json.RawMessage
	if json.Unmarshal(raw, &in) != nil || in == nil {
		return nil, livedesk.Errorf(livedesk.CodeInvalidInput, "settings must be a JSON object")
	}
	if _, ok := in["address"]; !ok {
		in["address"] = mustJSON(saved.Address)
	}
	if a, err := CheckContactPointSettings(mustJSON(in)); err != nil {
		return nil, err
	} else {
		_ = json.Unmarshal(a, &in)
	}
	out := &MailServers{IMAP: saved.IMAP, SMTP: saved.SMTP}
	_ = json.Unmarshal(in["address"], &out.Address)
	if im, _ := decodeSection[IMAPSettings](in, "imap"); im != nil {
		c := im.config()
		if im.Password == nil {
			if saved.IMAP == nil || !strings.EqualFold(saved.IMAP.Host, c.Host) {
				return nil, fieldErr("settings.imap.password", "is required to check another server than the saved one")
			}
			c.Password = saved.IMAP.Password
		}
		out.IMAP = &c
	}
	if sm, _ := decodeSection[SMTPSettings](in, "smtp"); sm != nil {
		c := sm.config()
		if sm.Password == nil && c.Username != "" {
			if saved.SMTP == nil || !strings.EqualFold(saved.SMTP.Host, c.Host) {
				return nil, fieldErr("settings.smtp.password", "is required to check another server than the saved one")
			}
			c.Password = saved.SMTP.Password
		}
		out.SMTP = &c
	}
	return out, nil
}

// imapPlace names what an IMAP place belongs to: another host, user or folder starts afresh.
func imapPlace(c imapbox.Config) string {
	folder := c.Folder
	if folder == "" {
		folder = imapbox.DefaultFolder
	}
	return strings.ToLower(strings.TrimSpace(c.Host)) + "\n" + c.Username + "\n" + folder
}

// IMAPState is the imapbox.State of the contact point's watcher for the configuration cfg:
// UIDVALIDITY and the last UID taken, in the store. A place recorded for another host,
// username or folder reads as none (the watcher then takes the unread mail).
func (d *Desk) IMAPState(cp *livedesk.ContactPoint, cfg imapbox.Config) imapbox.State {
	return &imapState{d: d, account: cp.AccountID, cp: cp.ID, place: imapPlace(cfg)}
}

type imapState struct {
	d           *Desk
	account, cp livedesk.ID
	place       string
}

// Load implements imapbox.State.
func (s *imapState) Load(ctx context.Context) (uint32, uint32, error) {
	m, err := s.d.store.MailServer(ctx, s.account, s.cp)
	if err != nil {
		return 0, 0, err
	}
	if m.Place != s.place {
		return 0, 0, nil
	}
	return m.UIDValidity, m.LastUID, nil
}

// Save implements imapbox.State.
func (s *imapState) Save(ctx context.Context, validity, lastUID uint32) error {
	return s.d.store.Write(ctx, func(tx livedesk.Tx) error {
		return tx.SetIMAPPlace(s.account, s.cp, s.place, validity, lastUID)
	})
}

// EmailContactPoints lists the email contact points of every account (the app starts an
// IMAP watcher for each that has IMAP settings).
func (d *Desk) EmailContactPoints(ctx context.Context) ([]*livedesk.ContactPoint, error) {
	return d.store.EmailContactPoints(ctx)
}

// MailServersOf returns the email contact point a mail goes from (livedesk.OutgoingMail's
// MailboxID) and its own servers (the outbox sends through its SMTP server when it has one).
func (d *Desk) MailServersOf(ctx context.Context, account, contactPoint livedesk.ID) (*livedesk.ContactPoint, *MailServers, error) {
	cp, err := d.store.ContactPoint(ctx, account, contactPoint)
	if err != nil {
		return nil, nil, err
	}
	servers, err := d.MailServers(ctx, cp)
	return cp, servers, err
}
