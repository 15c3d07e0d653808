package desk

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"livedesk/internal/livedesk"
	"livedesk/internal/visitorinfo"
)

// The visitor profile (issue 17, docs/visitor-profile.md): what the widget tells about where
// and how the visitor is (VisitorSeen), what the site says with Livedesk.identify (custom
// attributes, a verified email), what operators read (VisitorProfileOf, the earlier
// conversations and their histories) and change (EditVisitor), and an admin's deletion of
// a visitor with everything of theirs (DeleteVisitor).

// PageInput is a page as the widget reports it.
type PageInput struct {
	URL   string     `json:"url"`
	Title string     `json:"title"`
	At    *time.Time `json:"at"`
}

// FirstVisitInput is the widget's record of the visitor's first page load with it.
type FirstVisitInput struct {
	At       *time.Time `json:"at"`
	Referrer string     `json:"referrer"`
	Landing  string     `json:"landing"`
}

// VisitorContextInput is what the widget sends about the visitor (POST /widget/profile):
// the pages of this visit (oldest first, the current one last), the visit's id, the first
// visit, the language, time zone and offset, the screen, and what Livedesk.identify passed
// beyond name, email and phone: custom attributes (a value null removes the key) and the
// signature of the email (HMAC-SHA256 of the lower-case email with the contact point's
// identity_secret, hex).
type VisitorContextInput struct {
	Pages      []PageInput                `json:"pages"`
	VisitID    string                     `json:"visit_id"`
	FirstVisit *FirstVisitInput           `json:"first_visit"`
	Language   string                     `json:"language"`
	TimeZone   string                     `json:"time_zone"`
	UTCOffset  *int                       `json:"utc_offset_minutes"`
	Screen     *livedesk.Screen           `json:"screen"`
	Attributes map[string]json.RawMessage `json:"attributes"`
	Signature  string                     `json:"email_signature"`
}

// RequestFacts are what the visitor's request itself says: its User-Agent header and the
// client's address (behind the trusted proxies).
type RequestFacts struct {
	UserAgent string
	IP        string
}

var (
	attrKeyRe  = regexp.MustCompile(`^[A-Za-z0-9_.\-]{1,64}$`)
	languageRe = regexp.MustCompile(`^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$`)
	timeZoneRe = regexp.MustCompile(`^[A-Za-z0-9_+\-/]{1,64}$`)
	visitIDRe  = regexp.MustCompile(`^[A-Za-z0-9_\-]{1,64}$`)
)

// cleanText checks a short text of the profile: valid UTF-8, no NUL or other control
// characters but tab, at most max characters; it returns it trimmed.
func cleanText(field, s string, max int) (string, error) {
	if !utf8.ValidString(s) {
		return "", fieldErr(field, "is not valid UTF-8")
	}
	for _, r := range s {
		if r < 0x20 && r != '\t' && r != '\n' || r == 0x7f {
			return "", fieldErr(field, "contains control characters")
		}
	}
	s = strings.TrimSpace(s)
	if n := utf8.RuneCountInString(s); n > max {
		return "", fieldErr(field, fmt.Sprintf("is %d characters long; the maximum is %d", n, max))
	}
	return s, nil
}

// checkAddress checks a page address or referrer: empty when allowEmpty, else an absolute
// http(s) address of at most MaxPageURL bytes.
func checkAddress(field, s string, allowEmpty bool) (string, error) {
	if s == "" && allowEmpty {
		return "", nil
	}
	if len(s) > livedesk.MaxPageURL {
		return "", fieldErr(field, fmt.Sprintf("is %d bytes long; the maximum is %d", len(s), livedesk.MaxPageURL))
	}
	if _, err := cleanText(field, s, livedesk.MaxPageURL); err != nil {
		return "", err
	}
	if !visitorinfo.WebAddress(s) {
		return "", fieldErr(field, "must be an http or https address")
	}
	return s, nil
}

// check validates the input and returns the pages as stored, each at its time (now when
// the widget gave none, or a time in the future).
func (in *VisitorContextInput) check(now time.Time) ([]livedesk.PageView, error) {
	if len(in.Pages) > livedesk.MaxVisitPages {
		return nil, fieldErr("pages", fmt.Sprintf("has %d entries; the maximum is %d (send the newest)", len(in.Pages), livedesk.MaxVisitPages))
	}
	at := func(t *time.Time) time.Time {
		if t == nil || t.After(now) || t.Before(now.Add(-366*24*time.Hour)) {
			return now
		}
		return t.UTC().Truncate(time.Millisecond)
	}
	pages := make([]livedesk.PageView, 0, len(in.Pages))
	for i, p := range in.Pages {
		u, err := checkAddress(fmt.Sprintf("pages[%d].url", i), p.URL, false)
		if err != nil {
			return nil, err
		}
		title, err := cleanText(fmt.Sprintf("pages[%d].title", i), p.Title, livedesk.MaxPageTitle)
		if err != nil {
			return nil, err
		}
		pages = append(pages, livedesk.PageView{URL: u, Title: title, At: at(p.At)})
	}
	if in.VisitID != "" && !visitIDRe.MatchString(in.VisitID) {
		return nil, fieldErr("visit_id", "must be up to 64 letters, digits, _ or -")
	}
	if fv := in.FirstVisit; fv != nil {
		var err error
		if fv.Referrer, err = checkAddress("first_visit.referrer", fv.Referrer, true); err != nil {
			return nil, err
		}
		if fv.Landing, err = checkAddress("first_visit.landing", fv.Landing, true); err != nil {
			return nil, err
		}
	}
	if in.Language != "" && (len(in.Language) > 35 || !languageRe.MatchString(in.Language)) {
		return nil, fieldErr("language", "must be a language tag like ru-RU")
	}
	if in.TimeZone != "" && !timeZoneRe.MatchString(in.TimeZone) {
		return nil, fieldErr("time_zone", "must be a time zone name like Europe/Moscow")
	}
	if o := in.UTCOffset; o != nil && (*o < -14*60 || *o > 14*60) {
		return nil, fieldErr("utc_offset_minutes", "must be between -840 and 840")
	}
	if sc := in.Screen; sc != nil && (sc.Width < 1 || sc.Height < 1 || sc.Width > 100000 || sc.Height > 100000) {
		return nil, fieldErr("screen", "must have a width and height between 1 and 100000")
	}
	if len(in.Signature) > 128 {
		return nil, fieldErr("email_signature", "is longer than 128 characters")
	}
	return pages, nil
}

// mergeAttributes applies the site's attributes to the stored ones: a value replaces the
// key's (a new key goes last), null removes it. Values are strings, numbers or booleans,
// kept as text. The result must stay within the limits.
func mergeAttributes(cur []livedesk.Attribute, in map[string]json.RawMessage) ([]livedesk.Attribute, error) {
	if len(in) == 0 {
		return cur, nil
	}
	if len(in) > livedesk.MaxAttributes {
		return nil, fieldErr("attributes", fmt.Sprintf("has %d keys; the maximum is %d", len(in), livedesk.MaxAttributes))
	}
	keys := make([]string, 0, len(in))
	for k := range in {
		keys = append(keys, k)
	}
	sort.Strings(keys) // a JSON object has no order: new keys go last, alphabetically
	out := append([]livedesk.Attribute(nil), cur...)
	for _, k := range keys {
		if !attrKeyRe.MatchString(k) {
			return nil, fieldErr("attributes", fmt.Sprintf("key %q must be 1–%d letters, digits, _ . or -", k, livedesk.MaxAttributeKey))
		}
		field := "attributes." + k
		raw := in[k]
		var value string
		var null bool
		var v any
		if json.Unmarshal(raw, &v) != nil {
			return nil, fieldErr(field, "is not valid JSON")
		}
		switch x := v.(type) {
		case nil:
			null = true
		case string:
			s, err := cleanText(field, x, livedesk.MaxAttributeValue)
			if err != nil {
				return nil, err
			}
			value = s
		case bool:
			value = fmt.Sprint(x)
		case float64:
			value = strings.TrimSpace(string(raw))
		default:
			return nil, fieldErr(field, "must be a string, a number, true or false (or null to remove it)")
		}
		i := attributeIndex(out, k)
		switch {
		case null && i >= 0:
			out = append(out[:i], out[i+1:]...)
		case null:
		case i >= 0:
			out[i].Value = value
		default:
			out = append(out, livedesk.Attribute{Key: k, Value: value})
		}
	}
	if len(out) > livedesk.MaxAttributes {
		return nil, fieldErr("attributes", fmt.Sprintf("a visitor has at most %d attributes", livedesk.MaxAttributes))
	}
	size := 0
	for _, a := range out {
		size += len(a.Key) + len(a.Value)
	}
	if size > livedesk.MaxAttributesBytes {
		return nil, fieldErr("attributes", fmt.Sprintf("take %d bytes together; the maximum is %d", size, livedesk.MaxAttributesBytes))
	}
	return out, nil
}

func attributeIndex(list []livedesk.Attribute, key string) int {
	for i, a := range list {
		if a.Key == key {
			return i
		}
	}
	return -1
}

// ProfileSettings are a contact point's settings for the visitor profile: labels and hidden
// custom attributes (settings.attributes: {"plan": {"label": "Тариф"}, "uid": {"hidden":
// true}}) and the secret the site signs verified emails with (settings.identity_secret).
type ProfileSettings struct {
	Attributes     map[string]AttributeSetting `json:"attributes,omitempty"`
	IdentitySecret string                      `json:"identity_secret,omitempty"`
}

// AttributeSetting is how operators see one custom attribute: under a label, or not at all.
type AttributeSetting struct {
	Label  string `json:"label,omitempty"`
	Hidden bool   `json:"hidden,omitempty"`
}

// ParseProfileSettings reads the profile settings of a contact point (wrong types read as
// unset, as for the widget settings).
func ParseProfileSettings(cp *livedesk.ContactPoint) ProfileSettings {
	var raw map[string]json.RawMessage
	var ps ProfileSettings
	if json.Unmarshal(cp.Settings, &raw) != nil {
		return ps
	}
	if b, ok := raw["attributes"]; ok {
		_ = json.Unmarshal(b, &ps.Attributes)
	}
	if b, ok := raw["identity_secret"]; ok {
		_ = json.Unmarshal(b, &ps.IdentitySecret)
	}
	return ps
}

// checkProfileSettings validates settings.attributes and settings.identity_secret of a
// contact point's settings object.
func checkProfileSettings(raw map[string]json.RawMessage) error {
	if b, ok := raw["attributes"]; ok && string(b) != "null" {
		var m map[string]json.RawMessage
		if json.Unmarshal(b, &m) != nil || m == nil {
			return fieldErr("settings.attributes", `must be an object like {"plan": {"label": "Тариф"}, "uid": {"hidden": true}}`)
		}
		if len(m) > 2*livedesk.MaxAttributes {
			return fieldErr("settings.attributes", fmt.Sprintf("has more than %d keys", 2*livedesk.MaxAttributes))
		}
		for k, v := range m {
			field := "settings.attributes." + k
			if !attrKeyRe.MatchString(k) {
				return fieldErr("settings.attributes", fmt.Sprintf("key %q must be 1–%d letters, digits, _ . or -", k, livedesk.MaxAttributeKey))
			}
			var s AttributeSetting
			dec := json.NewDecoder(strings.NewReader(string(v)))
			dec.DisallowUnknownFields()
			if dec.Decode(&s) != nil {
				return fieldErr(field, "must be an object with label (text) and hidden (true or false)")
			}
			if _, err := cleanText(field+".label", s.Label, 60); err != nil {
				return err
			}
		}
	}
	if b, ok := raw["identity_secret"]; ok && string(b) != "null" {
		var s string
		if json.Unmarshal(b, &s) != nil || (s != "" && (len(s) < 16 || len(s) > 128 || !utf8.ValidString(s))) {
			return fieldErr("settings.identity_secret", "must be a text of 16 to 128 characters (empty: emails are never verified)")
		}
	}
	return nil
}

// EmailSignature is the signature a site gives Livedesk.identify to prove a visitor's
// email: HMAC-SHA256 of the lower-case email with the contact point's identity_secret, in
// hex (docs/visitor-profile.md shows how a site computes it).
func EmailSignature(secret, email string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(strings.ToLower(strings.TrimSpace(email))))
	return hex.EncodeToString(m.Sum(nil))
}

// VisitorSeen stores what the widget tells about the visitor (the context, the site's
// attributes, a signed email) with what the request says (the browser and OS from its
// User-Agent; the address only when the account keeps addresses), and tells the operators
// of the visitor's open conversation (visitor.updated).
func (d *Desk) VisitorSeen(ctx context.Context, cp *livedesk.ContactPoint, visitorID livedesk.ID, in VisitorContextInput, req RequestFacts) error {
	now := d.store.Now()
	pages, err := in.check(now)
	if err != nil {
		return err
	}
	agent := visitorinfo.ParseAgent(req.UserAgent)
	ua := strings.ToValidUTF8(req.UserAgent, "")
	if len(ua) > visitorinfo.MaxUserAgent {
		ua = ua[:visitorinfo.MaxUserAgent]
	}
	ps := ParseProfileSettings(cp)
	return d.store.Write(ctx, func(tx livedesk.Tx) error {
		v, err := tx.Visitor(cp.AccountID, visitorID)
		if err != nil {
			return err
		}
		acct, err := tx.Account(cp.AccountID)
		if err != nil {
			return err
		}
		det, err := tx.VisitorDetails(cp.AccountID, v.ID)
		if err != nil {
			return err
		}
		if det.Attributes, err = mergeAttributes(det.Attributes, in.Attributes); err != nil {
			return err
		}
		email := strings.ToLower(strings.TrimSpace(v.Email))
		switch {
		case in.Signature != "" && ps.IdentitySecret != "" && email != "" &&
			hmac.Equal([]byte(strings.ToLower(in.Signature)), []byte(EmailSignature(ps.IdentitySecret, email))):
			det.VerifiedEmail = email
		case det.VerifiedEmail != email:
			det.VerifiedEmail = "" // the email changed since it was proved
		}
		prev := det.Context
		c := &livedesk.VisitorContext{Pages: pages, VisitID: in.VisitID, Language: in.Language, TimeZone: in.TimeZone,
			UTCOffset: in.UTCOffset, Screen: in.Screen, UserAgent: ua, Device: agent.Device, UpdatedAt: tx.Now(),
			Browser: livedesk.Software{Name: agent.Browser, Version: agent.BrowserVersion},
			OS:      livedesk.Software{Name: agent.OS, Version: agent.OSVersion}}
		if len(pages) > 0 {
			last := pages[len(pages)-1]
			c.Page = &last
		}
		switch {
		case prev != nil && prev.FirstVisit != nil:
			c.FirstVisit = prev.FirstVisit // the first visit is the first: never replaced
		case in.FirstVisit != nil:
			fv := in.FirstVisit
			c.FirstVisit = &livedesk.FirstVisit{At: now, Referrer: fv.Referrer, Landing: fv.Landing, UTM: visitorinfo.UTM(fv.Landing)}
			if fv.At != nil && !fv.At.After(now) {
				c.FirstVisit.At = fv.At.UTC().Truncate(time.Millisecond)
			}
		}
		if acct.Settings.KeepVisitorIPs {
			c.IP = req.IP
		}
		det.Context = c
		if err := tx.SaveVisitorDetails(det); err != nil {
			return err
		}
		return emitVisitor(tx, cp, v, det, "")
	})
}

// emitVisitor tells the operators of the visitor's open conversation at cp (its assignee
// and staff) the visitor's profile; nothing when there is none.
func emitVisitor(tx livedesk.Tx, cp *livedesk.ContactPoint, v *livedesk.Visitor, det *livedesk.VisitorDetails, mailbox string) error {
	c, err := tx.OpenConversationOf(cp.AccountID, v.ID, cp.ID)
	if livedesk.IsCode(err, livedesk.CodeNotFound) {
		return nil
	} else if err != nil {
		return err
	}
	p := profileView(cp, v, det, mailbox)
	return tx.Emit(&livedesk.Event{AccountID: cp.AccountID, Type: livedesk.EventVisitorUpdated, OperatorID: c.AssigneeID, Staff: true,
		Payload: mustJSON(livedesk.VisitorUpdatedPayload{VisitorID: v.ID, ConversationID: c.ID, Profile: p})})
}

// profileView is the panel's view of a visitor: hidden attributes left out, labels applied.
func profileView(cp *livedesk.ContactPoint, v *livedesk.Visitor, det *livedesk.VisitorDetails, mailbox string) *livedesk.VisitorProfile {
	ps := ParseProfileSettings(cp)
	p := &livedesk.VisitorProfile{Visitor: v, Channel: cp.Channel, ContactPoint: livedesk.Ref{ID: cp.ID, Name: cp.Name},
		Context: det.Context, Attributes: []livedesk.AttributeShown{}, Note: livedesk.VisitorNote{Text: det.Note}}
	email := strings.ToLower(strings.TrimSpace(v.Email))
	p.EmailVerified = email != "" && (cp.Channel == livedesk.ChannelEmail || det.VerifiedEmail == email)
	for _, a := range det.Attributes {
		s := ps.Attributes[a.Key]
		if s.Hidden {
			continue
		}
		label := s.Label
		if label == "" {
			label = a.Key
		}
		p.Attributes = append(p.Attributes, livedesk.AttributeShown{Key: a.Key, Label: label, Value: a.Value})
	}
	if det.NoteBy != 0 {
		at := det.NoteAt
		p.Note.UpdatedBy = &livedesk.Ref{ID: det.NoteBy}
		p.Note.UpdatedAt = &at
	}
	if cp.Channel == livedesk.ChannelEmail {
		p.Mailbox = &livedesk.Mailbox{ContactPointID: cp.ID, Name: cp.Name, Address: mailbox}
		if p.Mailbox.Address == "" {
			p.Mailbox.Address = MailboxAddress(cp)
		}
	}
	return p
}

// verifiedEmail is the visitor's verified email ("" none): an email visitor's address, or
// the email the site proved.
func verifiedEmail(cp *livedesk.ContactPoint, v *livedesk.Visitor, det *livedesk.VisitorDetails) string {
	email := strings.ToLower(strings.TrimSpace(v.Email))
	if email == "" {
		return ""
	}
	if cp.Channel == livedesk.ChannelEmail || det.VerifiedEmail == email {
		return email
	}
	return ""
}

// profileOf reads what the panel shows of the visitor of a conversation the operator may
// read.
func (d *Desk) profileOf(ctx context.Context, op *livedesk.Operator, conversation livedesk.ID) (*livedesk.Conversation, *livedesk.ContactPoint, *livedesk.Visitor, *livedesk.VisitorDetails, error) {
	c, err := d.ReadConversation(ctx, op, conversation)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	cp, err := d.store.ContactPoint(ctx, op.AccountID, c.ContactPoint.ID)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	v, err := d.store.Visitor(ctx, op.AccountID, c.Visitor.ID)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	det, err := d.store.VisitorDetails(ctx, op.AccountID, v.ID)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	return c, cp, v, det, nil
}

// VisitorProfileOf returns the profile of the visitor of a conversation the operator may
// read (the read rule of desk.mayRead), with the name of the note's last author.
func (d *Desk) VisitorProfileOf(ctx context.Context, op *livedesk.Operator, conversation livedesk.ID) (*livedesk.VisitorProfile, error) {
	_, cp, v, det, err := d.profileOf(ctx, op, conversation)
	if err != nil {
		return nil, err
	}
	p := profileView(cp, v, det, "")
	d.nameNoteAuthor(ctx, op.AccountID, p)
	return p, nil
}

func (d *Desk) nameNoteAuthor(ctx context.Context, account livedesk.ID, p *livedesk.VisitorProfile) {
	if p.Note.UpdatedBy == nil {
		return
	}
	if o, err := d.store.Operator(ctx, account, p.Note.UpdatedBy.ID); err == nil {
		p.Note.UpdatedBy.Name = o.Name
	}
}

// EarlierConversations lists the other conversations of the visitor of a conversation the
// operator may read — the same visitor, or the same verified email at any contact point of
// the account — newest first.
func (d *Desk) EarlierConversations(ctx context.Context, op *livedesk.Operator, conversation livedesk.ID) ([]*livedesk.EarlierConversation, error) {
	c, cp, v, det, err := d.profileOf(ctx, op, conversation)
	if err != nil {
		return nil, err
	}
	out, err := d.store.EarlierConversations(ctx, op.AccountID, v.ID, verifiedEmail(cp, v, det), c.ID, livedesk.MaxEarlierConversations)
	if out == nil {
		out = []*livedesk.EarlierConversation{}
	}
	return out, err
}

// EarlierConversation returns another conversation of the visitor of a conversation the
// operator may read (as EarlierConversations finds them), read-only: holding a
// conversation lets its reader see the visitor's past ones, whoever handled them. Anything
// else is not found.
func (d *Desk) EarlierConversation(ctx context.Context, op *livedesk.Operator, conversation, other livedesk.ID) (*livedesk.Conversation, error) {
	c, cp, v, det, err := d.profileOf(ctx, op, conversation)
	if err != nil {
		return nil, err
	}
	o, err := d.store.Conversation(ctx, op.AccountID, other)
	if err != nil {
		return nil, err
	}
	if o.ID == c.ID || o.Visitor.ID == v.ID {
		return o, nil
	}
	email := verifiedEmail(cp, v, det)
	if email == "" {
		return nil, livedesk.NotFound("conversation")
	}
	ocp, err := d.store.ContactPoint(ctx, op.AccountID, o.ContactPoint.ID)
	if err != nil {
		return nil, err
	}
	ov, err := d.store.Visitor(ctx, op.AccountID, o.Visitor.ID)
	if err != nil {
		return nil, err
	}
	odet, err := d.store.VisitorDetails(ctx, op.AccountID, ov.ID)
	if err != nil {
		return nil, err
	}
	if verifiedEmail(ocp, ov, odet) != email {
		return nil, livedesk.NotFound("conversation")
	}
	return o, nil
}

// EarlierMessages returns a page of the history of another conversation of the visitor of
// a conversation the operator may read (EarlierConversation), newest first, internal
// comments included.
func (d *Desk) EarlierMessages(ctx context.Context, op *livedesk.Operator, conversation, other, before livedesk.ID, limit int) ([]*livedesk.Message, error) {
	if _, err := d.EarlierConversation(ctx, op, conversation, other); err != nil {
		return nil, err
	}
	return d.store.Messages(ctx, other, before, limit, true)
}

// VisitorEdit is an operator's change of a visitor (PATCH …/visitor): fields not given stay.
type VisitorEdit struct {
	Name  *string `json:"name"`
	Email *string `json:"email"`
	Phone *string `json:"phone"`
	Note  *string `json:"note"`
}

// EditVisitor changes the name, email, phone or note of the visitor of a conversation the
// operator may write in (theirs, or any for staff; not closed). The change is written in
// the history as an internal line (never shown to the visitor), the lists show the new
// name, and the panels the new profile. An email visitor's address is where their mail
// comes from and cannot be changed.
func (d *Desk) EditVisitor(ctx context.Context, account, opID, conversation livedesk.ID, in VisitorEdit) (*livedesk.VisitorProfile, error) {
	for _, f := range []struct {
		name string
		v    **string
		max  int
	}{{"name", &in.Name, 100}, {"email", &in.Email, 254}, {"phone", &in.Phone, 40}, {"note", &in.Note, livedesk.MaxVisitorNote}} {
		if *f.v == nil {
			continue
		}
		s, err := cleanText(f.name, **f.v, f.max)
		if err != nil {
			return nil, err
		}
		*f.v = &s
	}
	if in.Email != nil && *in.Email != "" {
		if _, ok := NormalizeAddress(*in.Email); !ok {
			return nil, fieldErr("email", "is not an email address")
		}
	}
	var out *livedesk.VisitorProfile
	err := d.store.Write(ctx, func(tx livedesk.Tx) error {
		op, c, err := actingIn(tx, account, opID, conversation, livedesk.ActionReply)
		if err != nil {
			return err
		}
		cp, err := tx.ContactPoint(account, c.ContactPoint.ID)
		if err != nil {
			return err
		}
		v, err := tx.Visitor(account, c.Visitor.ID)
		if err != nil {
			return err
		}
		det, err := tx.VisitorDetails(account, v.ID)
		if err != nil {
			return err
		}
		var changes []string
		change := func(label string, cur *string, next *string) {
			if next == nil || *next == *cur {
				return
			}
			from, to := *cur, *next
			if from == "" {
				from = "—"
			}
			if to == "" {
				to = "—"
			}
			changes = append(changes, fmt.Sprintf("%s: %s → %s", label, from, to))
			*cur = *next
		}
		if in.Email != nil && cp.Channel == livedesk.ChannelEmail && !strings.EqualFold(*in.Email, v.Email) {
			return fieldErr("email", "of a mail visitor is the address their mail comes from and cannot be changed")
		}
		oldName := v.DisplayName
		change("имя", &v.Name, in.Name)
		if len(changes) > 0 && in.Name != nil {
			next := livedesk.DisplayName(*in.Name, v.ID)
			changes[len(changes)-1] = fmt.Sprintf("имя: %s → %s", oldName, next)
		}
		change("email", &v.Email, in.Email)
		change("телефон", &v.Phone, in.Phone)
		visitorChanged := len(changes) > 0
		if in.Note != nil && *in.Note != det.Note {
			det.Note, det.NoteBy, det.NoteAt = *in.Note, op.ID, tx.Now()
			if det.Note == "" {
				changes = append(changes, "заметка удалена")
			} else {
				changes = append(changes, "заметка: "+preview(det.Note))
			}
		}
		if len(changes) == 0 {
			out = profileView(cp, v, det, "")
			return nil
		}
		if visitorChanged {
			if err := tx.UpdateVisitor(v); err != nil {
				return err
			}
			if det.VerifiedEmail != "" && det.VerifiedEmail != strings.ToLower(v.Email) {
				det.VerifiedEmail = "" // an operator's address is not proved
			}
		}
		if err := tx.SaveVisitorDetails(det); err != nil {
			return err
		}
		line := &livedesk.Message{ConversationID: c.ID, Kind: livedesk.KindComment, Author: livedesk.Author{Type: livedesk.AuthorSystem},
			Text: op.Name + " изменяет данные посетителя — " + strings.Join(changes, "; ")}
		if err := tx.InsertMessage(account, line); err != nil {
			return err
		}
		if visitorChanged {
			if c, err = tx.Conversation(account, c.ID); err != nil {
				return err
			}
			if err := emitConversation(tx, livedesk.EventConversationUpdated, c, 0); err != nil {
				return err
			}
		}
		if err := emitMessage(tx, c, line, 0); err != nil {
			return err
		}
		out = profileView(cp, v, det, "")
		return tx.Emit(&livedesk.Event{AccountID: account, Type: livedesk.EventVisitorUpdated, OperatorID: c.AssigneeID, Staff: true,
			Payload: mustJSON(livedesk.VisitorUpdatedPayload{VisitorID: v.ID, ConversationID: c.ID, Profile: withNoteAuthor(out, op)})})
	})
	if err != nil {
		return nil, err
	}
	d.nameNoteAuthor(ctx, account, out)
	return out, nil
}

func withNoteAuthor(p *livedesk.VisitorProfile, op *livedesk.Operator) *livedesk.VisitorProfile {
	if p.Note.UpdatedBy != nil && p.Note.UpdatedBy.ID == op.ID {
		p.Note.UpdatedBy.Name = op.Name
	}
	return p
}

// DeleteVisitor deletes a visitor of the admin's account with everything of theirs (a
// data-subject request): conversations with messages, files, transfers, outbox mail and
// ratings, uploads, the profile, and the content of the events that carried any of it.
// Open conversations free their operators' places; every operator's app drops the
// conversations (visitor.deleted). The deletion is logged as an audit line (who, whose, how
// much; no personal data) and recorded in the database. The caller removes the returned
// file contents from the storage where nothing else uses them.
func (d *Desk) DeleteVisitor(ctx context.Context, admin *livedesk.Operator, visitor livedesk.ID) (*livedesk.VisitorDeletion, error) {
	if admin.Role != livedesk.RoleAdmin {
		return nil, livedesk.Errorf(livedesk.CodeForbidden, "only admins delete visitors")
	}
	var out *livedesk.VisitorDeletion
	err := d.store.Write(ctx, func(tx livedesk.Tx) error {
		del, err := tx.DeleteVisitor(admin.AccountID, visitor, admin.ID)
		if err != nil {
			return err
		}
		out = del
		freed := false
		for _, id := range del.Conversations {
			assignee, open := del.Open[id]
			if !open || assignee == 0 {
				continue
			}
			if err := tx.ReleaseCapacity(assignee); err != nil {
				return err
			}
			if err := emitOperator(tx, admin.AccountID, assignee); err != nil {
				return err
			}
			freed = true
		}
		if err := tx.Emit(&livedesk.Event{AccountID: admin.AccountID, Type: livedesk.EventVisitorDeleted, AllOperators: true,
			Payload: mustJSON(livedesk.VisitorDeletedPayload{VisitorID: visitor, ConversationIDs: nonNilIDs(del.Conversations)})}); err != nil {
			return err
		}
		if freed {
			return drain(tx, admin.AccountID) // the places freed may take queued conversations
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	d.log.Info("audit: visitor deleted", "audit", "visitor.deleted", "account", admin.AccountID, "admin", admin.ID,
		"visitor", visitor, "conversations", len(out.Conversations), "messages", out.Messages, "attachments", out.Attachments,
		"events_redacted", out.Events)
	return out, nil
}

func nonNilIDs(ids []livedesk.ID) []livedesk.ID {
	if ids == nil {
		return []livedesk.ID{}
	}
	return ids
}
