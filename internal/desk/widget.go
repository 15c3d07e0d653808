package desk

import (
	"context"
	"encoding/json"
	"net"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

	"livedesk/internal/livedesk"
)

// WidgetSettings are the settings of a webchat contact point that the widget and the
// visitor API understand. They live in the contact point's free-form settings object; other
// keys are kept as they are.
type WidgetSettings struct {
	// Color is the accent colour of the widget, "#rrggbb" ("" for the default).
	Color string `json:"color,omitempty"`
	// Title is the header of the chat window ("" for the default text of the page language).
	Title string `json:"title,omitempty"`
	// Greeting is the first line the visitor sees in an empty chat ("" for the default).
	Greeting string `json:"greeting,omitempty"`
	// Position is the corner of the launcher: "right" (default) or "left".
	Position string `json:"position,omitempty"`
	// AskEmail and AskPhone add these fields to the visitor's introduction form.
	AskEmail bool `json:"ask_email,omitempty"`
	AskPhone bool `json:"ask_phone,omitempty"`
	// AllowedOrigins are the sites ("https://shop.example", "https://*.example.com") whose
	// pages may use the widget; empty allows every site.
	AllowedOrigins []string `json:"allowed_origins,omitempty"`
}

// WidgetAppearance is the public part of WidgetSettings, sent to every visitor.
type WidgetAppearance struct {
	Color    string `json:"color"`
	Title    string `json:"title"`
	Greeting string `json:"greeting"`
	Position string `json:"position"`
	AskEmail bool   `json:"ask_email"`
	AskPhone bool   `json:"ask_phone"`
}

// DefaultWidgetColor is the accent colour of a widget with no colour set.
const DefaultWidgetColor = "#2563eb"

var colorRe = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

// ParseWidgetSettings reads the widget settings of a contact point. Settings stored before
// validation existed may hold wrong types; those fields read as unset.
func ParseWidgetSettings(cp *livedesk.ContactPoint) WidgetSettings {
	var raw map[string]json.RawMessage
	var ws WidgetSettings
	if json.Unmarshal(cp.Settings, &raw) != nil {
		return ws
	}
	field := func(name string, v any) {
		if b, ok := raw[name]; ok {
			_ = json.Unmarshal(b, v) // a field of a wrong type stays unset
		}
	}
	field("color", &ws.Color)
	field("title", &ws.Title)
	field("greeting", &ws.Greeting)
	field("position", &ws.Position)
	field("ask_email", &ws.AskEmail)
	field("ask_phone", &ws.AskPhone)
	field("allowed_origins", &ws.AllowedOrigins)
	return ws
}

// Appearance returns what the widget shows, with defaults filled in.
func (ws WidgetSettings) Appearance() WidgetAppearance {
	a := WidgetAppearance{Color: strings.ToLower(ws.Color), Title: ws.Title, Greeting: ws.Greeting, Position: ws.Position,
		AskEmail: ws.AskEmail, AskPhone: ws.AskPhone}
	if !colorRe.MatchString(a.Color) {
		a.Color = DefaultWidgetColor
	}
	if a.Position != "left" {
		a.Position = "right"
	}
	return a
}

// AllowsOrigin reports whether a page of origin (the Origin header: scheme://host[:port]) may
// use the widget. An empty list allows every origin.
func (ws WidgetSettings) AllowsOrigin(origin string) bool {
	if len(ws.AllowedOrigins) == 0 {
		return true
	}
	o, ok := normalizeOrigin(origin, false)
	if !ok {
		return false
	}
	for _, allowed := range ws.AllowedOrigins {
		if originMatches(allowed, o) {
			return true
		}
	}
	return false
}

// originMatches matches a normalized origin against an allowed entry, which may start its host
// with "*." for any subdomain (not the domain itself).
func originMatches(allowed, origin string) bool {
	allowed = strings.ToLower(allowed)
	if allowed == origin {
		return true
	}
	scheme, rest, ok := strings.Cut(allowed, "://*.")
	if !ok {
		return false
	}
	oScheme, oHost, ok := strings.Cut(origin, "://")
	if !ok || oScheme != scheme {
		return false
	}
	return strings.HasSuffix(oHost, "."+rest) && len(oHost) > len(rest)+1
}

// normalizeOrigin returns scheme://host[:port] in lower case without a default port, or false
// when s is not an http(s) origin. With wildcard, the host may start with "*.".
func normalizeOrigin(s string, wildcard bool) (string, bool) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return "", false
	}
	host, port := u.Hostname(), u.Port()
	host = strings.ToLower(host)
	check := host
	if wildcard && strings.HasPrefix(host, "*.") {
		check = host[2:]
	}
	if check == "" || strings.ContainsAny(check, "*/ ") {
		return "", false
	}
	if (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		port = ""
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port != "" {
		host = net.JoinHostPort(strings.Trim(host, "[]"), port)
	}
	return u.Scheme + "://" + host, true
}

// CheckContactPointSettings validates a settings object for a contact point and returns it
// with the widget fields normalized (origins in lower case without default ports) and the
// "imap" and "smtp" sections of a team's own mailbox checked (mailservers.go; a password in
// them is still there: Create/UpdateContactPoint seal it). Other keys are kept as they are.
func CheckContactPointSettings(settings json.RawMessage) (json.RawMessage, error) {
	if len(settings) == 0 {
		return json.RawMessage(`{}`), nil
	}
	var raw map[string]json.RawMessage
	if json.Unmarshal(settings, &raw) != nil || raw == nil {
		return nil, livedesk.Errorf(livedesk.CodeInvalidInput, "settings must be a JSON object")
	}
	str := func(name string, max int) (string, error) {
		b, ok := raw[name]
		if !ok {
			return "", nil
		}
		var s string
		if json.Unmarshal(b, &s) != nil {
			return "", livedesk.Errorf(livedesk.CodeInvalidInput, "settings.%s must be a string", name)
		}
		if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
			return "", livedesk.Errorf(livedesk.CodeInvalidInput, "settings.%s is not valid text", name)
		}
		if utf8.RuneCountInString(s) > max {
			return "", livedesk.Errorf(livedesk.CodeInvalidInput, "settings.%s is longer than %d characters", name, max)
		}
		return s, nil
	}
	color, err := str("color", 7)
	if err != nil {
		return nil, err
	}
	if color != "" && !colorRe.MatchString(color) {
		return nil, livedesk.Errorf(livedesk.CodeInvalidInput, "settings.color must look like #1a2b3c")
	}
	if _, err := str("title", 60); err != nil {
		return nil, err
	}
	if _, err := str("greeting", 500); err != nil {
		return nil, err
	}
	pos, err := str("position", 5)
	if err != nil {
		return nil, err
	}
	if pos != "" && pos != "right" && pos != "left" {
		return nil, livedesk.Errorf(livedesk.CodeInvalidInput, "settings.position must be right or left")
	}
	for _, name := range []string{"ask_email", "ask_phone"} {
		if b, ok := raw[name]; ok {
			var v bool
			if json.Unmarshal(b, &v) != nil {
				return nil, livedesk.Errorf(livedesk.CodeInvalidInput, "settings.%s must be true or false", name)
			}
		}
	}
	if addr, err := str("address", 254); err != nil {
		return nil, err
	} else if addr != "" {
		norm, ok := NormalizeAddress(addr)
		if !ok {
			return nil, &livedesk.Error{Code: livedesk.CodeInvalidInput, Message: "settings.address must be an email address like support@shop.example",
				Details: map[string]string{"field": "settings.address"}}
		}
		raw["address"] = mustJSON(norm)
	}
	if err := checkLimits(raw); err != nil {
		return nil, err
	}
	if err := checkMailServers(raw); err != nil {
		return nil, err
	}
	if err := checkFollowup(raw); err != nil {
		return nil, err
	}
	if err := checkProfileSettings(raw); err != nil {
		return nil, err
	}
	if b, ok := raw["allowed_origins"]; ok {
		var list []string
		if json.Unmarshal(b, &list) != nil {
			return nil, livedesk.Errorf(livedesk.CodeInvalidInput, "settings.allowed_origins must be a list of strings")
		}
		if len(list) > 50 {
			return nil, livedesk.Errorf(livedesk.CodeInvalidInput, "settings.allowed_origins has more than 50 entries")
		}
		out := make([]string, 0, len(list))
		for _, o := range list {
			n, ok := normalizeOrigin(o, true)
			if !ok {
				return nil, livedesk.Errorf(livedesk.CodeInvalidInput,
					"settings.allowed_origins: %q is not an origin like https://shop.example or https://*.example.com", o)
			}
			out = append(out, n)
		}
		raw["allowed_origins"] = mustJSON(out)
	}
	return mustJSON(raw), nil
}

// ContactPointPatch is the input of UpdateContactPoint: fields not given stay. Settings is a
// merge patch of the settings object: a key with null removes it, other keys replace theirs.
type ContactPointPatch struct {
	Name     *string         `json:"name"`
	Settings json.RawMessage `json:"settings"`
}

// UpdateContactPoint renames a contact point or changes its settings.
func (d *Desk) UpdateContactPoint(ctx context.Context, account, id livedesk.ID, p ContactPointPatch) (*livedesk.ContactPoint, error) {
	var name string
	if p.Name != nil {
		n, err := checkName("name", *p.Name, 200)
		if err != nil {
			return nil, err
		}
		name = n
	}
	var patch map[string]json.RawMessage
	if len(p.Settings) > 0 && string(p.Settings) != "null" {
		if json.Unmarshal(p.Settings, &patch) != nil || patch == nil {
			return nil, livedesk.Errorf(livedesk.CodeInvalidInput, "settings must be a JSON object")
		}
	}
	var out *livedesk.ContactPoint
	confirm := false
	err := d.store.Write(ctx, func(tx livedesk.Tx) error {
		cp, err := tx.ContactPoint(account, id)
		if err != nil {
			return err
		}
		prev := cp.Settings
		if p.Name != nil {
			cp.Name = name
		}
		if patch != nil {
			cur := map[string]json.RawMessage{}
			_ = json.Unmarshal(cp.Settings, &cur) // stored settings are always an object
			if cur == nil {
				cur = map[string]json.RawMessage{}
			}
			for k, v := range patch {
				if string(v) == "null" {
					delete(cur, k)
				} else {
					cur[k] = v
				}
			}
			settings, err := CheckContactPointSettings(mustJSON(cur))
			if err != nil {
				return err
			}
			cp.Settings = settings
			if err := d.sealMailPasswords(tx, cp, prev); err != nil {
				return err
			}
			if err := checkFollowupTarget(tx, cp); err != nil {
				return err
			}
		}
		if err := tx.UpdateContactPoint(cp); err != nil {
			return err
		}
		out = cp
		if cp.Channel == livedesk.ChannelEmail {
			// A changed address is not confirmed and gets a confirmation mail (mailbox.go).
			changed, err := tx.SetMailbox(account, cp.ID, MailboxAddress(cp))
			confirm = changed && MailboxAddress(cp) != ""
			return err
		}
		return nil
	})
	if err == nil && confirm {
		d.wakeMail()
	}
	if err == nil && out.Channel == livedesk.ChannelEmail && d.mailServersChanged != nil {
		d.mailServersChanged(out)
	}
	return out, err
}

// OfflineInput is what the widget's offline form sends: the visitor's name, a way to reach
// them (email or phone, at least one) and the message.
type OfflineInput struct {
	ClientID string  `json:"client_id"`
	Name     *string `json:"name"`
	Email    *string `json:"email"`
	Phone    *string `json:"phone"`
	Text     string  `json:"text"`
}

// VisitorOffline takes the widget's offline form: it stores the visitor's name and contact,
// writes the message into the visitor's open conversation (a new one, queued until an
// operator takes it, when there is none) and adds a system line with the contact, so the team
// can answer when they come back. The same client id twice returns the first message.
func (d *Desk) VisitorOffline(ctx context.Context, cp *livedesk.ContactPoint, visitorID livedesk.ID, in OfflineInput) (*livedesk.Message, error) {
	msg := MessageInput{ClientID: in.ClientID, Text: in.Text}
	if err := msg.check(); err != nil {
		return nil, err
	}
	profile := VisitorProfile{Name: in.Name, Email: in.Email, Phone: in.Phone}
	if err := profile.check(); err != nil {
		return nil, err
	}
	email, phone := trimmed(in.Email), trimmed(in.Phone)
	if email == "" && phone == "" {
		return nil, livedesk.Errorf(livedesk.CodeInvalidInput, "leave an email or a phone number so that we can answer")
	}
	var out *livedesk.Message
	err := d.store.Write(ctx, func(tx livedesk.Tx) error {
		if msg.ClientID != "" {
			if m, err := tx.MessageByClientID(livedesk.AuthorVisitor, visitorID, msg.ClientID); err == nil {
				out = m
				return nil
			}
		}
		v, err := tx.Visitor(cp.AccountID, visitorID)
		if err != nil {
			return err
		}
		apply(v, profile)
		if err := tx.UpdateVisitor(v); err != nil {
			return err
		}
		m := &livedesk.Message{ClientID: msg.ClientID, Kind: livedesk.KindText, Text: msg.Text,
			Author: livedesk.Author{Type: livedesk.AuthorVisitor, ID: v.ID, Name: v.DisplayName}}
		if err := visitorMessage(tx, cp, v.ID, m); err != nil {
			return err
		}
		out = m
		c, err := tx.Conversation(cp.AccountID, m.ConversationID)
		if err != nil {
			return err
		}
		// The contact is for the team: an internal comment, never shown to the visitor.
		note := &livedesk.Message{ConversationID: c.ID, Kind: livedesk.KindComment, Author: livedesk.Author{Type: livedesk.AuthorSystem},
			Text: "Сообщение из офлайн-формы. Контакт посетителя: " + strings.Join(nonEmpty(email, phone), ", ")}
		if err := tx.InsertMessage(c.AccountID, note); err != nil {
			return err
		}
		return emitMessage(tx, c, note, 0)
	})
	return out, err
}

func trimmed(s *string) string {
	if s == nil {
		return ""
	}
	return strings.TrimSpace(*s)
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// Available reports whether the account's widgets offer the chat: some operator of the
// account is online (any status but offline). Otherwise they show the offline form. The
// widgets also learn every change at once from the availability event (emitAvailability).
func (d *Desk) Available(ctx context.Context, account livedesk.ID) (bool, error) {
	return d.store.AnyOperatorOnline(ctx, account)
}
