package desk

import (
	"context"
	"encoding/json"
	"net/mail"
	"strings"
	"unicode/utf8"

	"livedesk/internal/auth"
	"livedesk/internal/livedesk"
)

// checkName validates a required short name.
func checkName(field, v string, max int) (string, error) {
	v = strings.TrimSpace(v)
	if !utf8.ValidString(v) {
		return "", livedesk.Errorf(livedesk.CodeInvalidInput, "%s is not valid UTF-8", field)
	}
	if v == "" {
		return "", livedesk.Errorf(livedesk.CodeInvalidInput, "%s is required", field)
	}
	if utf8.RuneCountInString(v) > max {
		return "", livedesk.Errorf(livedesk.CodeInvalidInput, "%s is longer than %d characters", field, max)
	}
	return v, nil
}

// NewOperator is the input of CreateOperator.
type NewOperator struct {
	Name     string        `json:"name"`
	Email    string        `json:"email"`
	Password string        `json:"password"`
	Role     livedesk.Role `json:"role"`
	Limit    int           `json:"limit"`
}

func (d *Desk) prepareOperator(account livedesk.ID, in NewOperator, defaultLimit, cost int) (*livedesk.Operator, error) {
	name, err := checkName("name", in.Name, 100)
	if err != nil {
		return nil, err
	}
	addr, err := mail.ParseAddress(strings.TrimSpace(in.Email))
	if err != nil || addr.Address != strings.TrimSpace(in.Email) || len(in.Email) > 254 {
		return nil, livedesk.Errorf(livedesk.CodeInvalidInput, "email is not an email address")
	}
	if in.Role == "" {
		in.Role = livedesk.RoleOperator
	}
	if !in.Role.Valid() {
		return nil, livedesk.Errorf(livedesk.CodeInvalidInput, "role must be operator, supervisor or admin")
	}
	if in.Limit == 0 {
		in.Limit = defaultLimit
	}
	if in.Limit < 1 || in.Limit > 1000 {
		return nil, livedesk.Errorf(livedesk.CodeInvalidInput, "limit must be between 1 and 1000")
	}
	hash, err := auth.HashPassword(in.Password, cost)
	if err != nil {
		return nil, err
	}
	return &livedesk.Operator{AccountID: account, Name: name, Email: addr.Address, PasswordHash: hash, Role: in.Role,
		Limit: in.Limit, Status: livedesk.StatusOffline}, nil
}

// CreateAccount creates an account with its first admin.
func (d *Desk) CreateAccount(ctx context.Context, name string, admin NewOperator, cost int) (*livedesk.Account, *livedesk.Operator, error) {
	name, err := checkName("name", name, 200)
	if err != nil {
		return nil, nil, err
	}
	admin.Role = livedesk.RoleAdmin
	op, err := d.prepareOperator(0, admin, livedesk.DefaultSettings().DefaultLimit, cost)
	if err != nil {
		return nil, nil, err
	}
	var acct *livedesk.Account
	err = d.store.Write(ctx, func(tx livedesk.Tx) error {
		acct, err = tx.CreateAccount(name, livedesk.DefaultSettings())
		if err != nil {
			return err
		}
		op.AccountID = acct.ID
		return tx.CreateOperator(op)
	})
	if err != nil {
		return nil, nil, err
	}
	return acct, op, nil
}

// CreateOperator adds an operator to the account (they start offline).
func (d *Desk) CreateOperator(ctx context.Context, account livedesk.ID, in NewOperator, cost int) (*livedesk.Operator, error) {
	acct, err := d.store.Account(ctx, account)
	if err != nil {
		return nil, err
	}
	op, err := d.prepareOperator(account, in, acct.Settings.DefaultLimit, cost)
	if err != nil {
		return nil, err
	}
	err = d.store.Write(ctx, func(tx livedesk.Tx) error {
		if err := tx.CreateOperator(op); err != nil {
			return err
		}
		return emitOperator(tx, account, op.ID)
	})
	return op, err
}

// OperatorPatch changes an operator as an admin.
type OperatorPatch struct {
	Name  *string        `json:"name"`
	Role  *livedesk.Role `json:"role"`
	Limit *int           `json:"limit"`
	// Deactivated true ends the operator's sessions and sets them offline; false lets them
	// log in again.
	Deactivated *bool `json:"deactivated"`
}

// UpdateOperator changes an operator of the admin's account: name, role, limit or
// deactivation; a raised limit drains the queue at once. Admins cannot take the admin role
// from themselves nor deactivate themselves (the account would be left without its admin).
// A role change or a deactivation closes the operator's connections: they were authorised
// with the old rights.
func (d *Desk) UpdateOperator(ctx context.Context, admin *livedesk.Operator, id livedesk.ID, p OperatorPatch) (*livedesk.Operator, error) {
	if id == admin.ID && p.Role != nil && *p.Role != livedesk.RoleAdmin {
		return nil, livedesk.Errorf(livedesk.CodeConflict, "you cannot take the admin role from yourself")
	}
	if id == admin.ID && p.Deactivated != nil && *p.Deactivated {
		return nil, livedesk.Errorf(livedesk.CodeConflict, "you cannot deactivate yourself")
	}
	account := admin.AccountID
	var out *livedesk.Operator
	err := d.store.Write(ctx, func(tx livedesk.Tx) error {
		op, err := tx.Operator(account, id)
		if err != nil {
			return err
		}
		before := *op
		if p.Name != nil {
			if op.Name, err = checkName("name", *p.Name, 100); err != nil {
				return err
			}
		}
		if p.Role != nil {
			if !p.Role.Valid() {
				return livedesk.Errorf(livedesk.CodeInvalidInput, "role must be operator, supervisor or admin")
			}
			op.Role = *p.Role
		}
		if p.Limit != nil {
			if *p.Limit < 1 || *p.Limit > 1000 {
				return livedesk.Errorf(livedesk.CodeInvalidInput, "limit must be between 1 and 1000")
			}
			op.Limit = *p.Limit
		}
		if err := tx.UpdateOperator(op); err != nil {
			return err
		}
		if p.Deactivated != nil && *p.Deactivated != op.Deactivated {
			if err := tx.SetOperatorDeactivated(account, id, *p.Deactivated); err != nil {
				return err
			}
			op.Deactivated = *p.Deactivated
			if op.Deactivated && op.Status != livedesk.StatusOffline {
				// Offline like anyone gone: offers to them are cancelled, and their webchat
				// conversations return to the queue after the offline requeue delay.
				if err := changeStatus(tx, op, livedesk.StatusOffline, "receiver_offline"); err != nil {
					return err
				}
				if op, err = tx.Operator(account, id); err != nil {
					return err
				}
			}
		}
		if err := emitOperator(tx, account, id); err != nil {
			return err
		}
		switch {
		case op.Deactivated && !before.Deactivated:
			// Their sessions are gone: the reconnect is refused.
			err = emitRevoked(tx, account, livedesk.AccessRevoked{OperatorID: id, Reason: "your operator account was deactivated"})
		case op.Role != before.Role:
			err = emitRevoked(tx, account, livedesk.AccessRevoked{OperatorID: id, Reason: "your role changed: connect again"})
		}
		if err != nil {
			return err
		}
		out = op
		return drain(tx, account)
	})
	return out, err
}

// NewContactPoint is the input of CreateContactPoint.
type NewContactPoint struct {
	Name     string           `json:"name"`
	Channel  livedesk.Channel `json:"channel"`
	Settings json.RawMessage  `json:"settings"`
	// Key is a fixed widget key (the demo's); empty, as from the API, takes a fresh random one.
	Key string `json:"-"`
}

// CreateContactPoint adds a contact point with its key (a fresh random one unless in.Key).
func (d *Desk) CreateContactPoint(ctx context.Context, account livedesk.ID, in NewContactPoint) (*livedesk.ContactPoint, error) {
	name, err := checkName("name", in.Name, 200)
	if err != nil {
		return nil, err
	}
	if in.Channel == "" {
		in.Channel = livedesk.ChannelWebchat
	}
	if !in.Channel.Valid() {
		return nil, livedesk.Errorf(livedesk.CodeInvalidInput, "channel must be webchat or email")
	}
	if len(in.Settings) > 0 {
		var obj map[string]any
		if json.Unmarshal(in.Settings, &obj) != nil || obj == nil {
			return nil, livedesk.Errorf(livedesk.CodeInvalidInput, "settings must be a JSON object")
		}
	}
	if in.Key == "" {
		in.Key = auth.RandomKey(16)
	}
	if len(in.Settings) > 0 {
		if in.Settings, err = CheckContactPointSettings(in.Settings); err != nil {
			return nil, err
		}
	}
	cp := &livedesk.ContactPoint{AccountID: account, Name: name, Channel: in.Channel, Key: in.Key, Settings: in.Settings}
	confirm := false
	err = d.store.Write(ctx, func(tx livedesk.Tx) error {
		if err := checkFollowupTarget(tx, cp); err != nil {
			return err
		}
		if err := tx.CreateContactPoint(cp); err != nil {
			return err
		}
		// The id is known now: the passwords are sealed with it (mailservers.go).
		if sealed := cp.Settings; cp.Channel == livedesk.ChannelEmail {
			if err := d.sealMailPasswords(tx, cp, nil); err != nil {
				return err
			}
			if string(sealed) != string(cp.Settings) {
				if err := tx.UpdateContactPoint(cp); err != nil {
					return err
				}
			}
		}
		if cp.Channel == livedesk.ChannelEmail {
			// A new address gets a confirmation mail (mailbox.go).
			changed, err := tx.SetMailbox(account, cp.ID, MailboxAddress(cp))
			confirm = changed && MailboxAddress(cp) != ""
			return err
		}
		return nil
	})
	if err == nil && confirm {
		d.wakeMail()
	}
	if err == nil && cp.Channel == livedesk.ChannelEmail && d.mailServersChanged != nil {
		d.mailServersChanged(cp)
	}
	return cp, err
}

// maxCategoryPosition bounds a category's position (either sign).
const maxCategoryPosition = 1000000

func checkPosition(p int) error {
	if p < -maxCategoryPosition || p > maxCategoryPosition {
		return livedesk.Errorf(livedesk.CodeInvalidInput, "position must be between %d and %d", -maxCategoryPosition, maxCategoryPosition)
	}
	return nil
}

// CreateCategory adds a conversation category.
func (d *Desk) CreateCategory(ctx context.Context, account livedesk.ID, c livedesk.Category) (*livedesk.Category, error) {
	name, err := checkName("name", c.Name, 100)
	if err != nil {
		return nil, err
	}
	if err := checkPosition(c.Position); err != nil {
		return nil, err
	}
	c.Name = name
	err = d.store.Write(ctx, func(tx livedesk.Tx) error { return tx.CreateCategory(account, &c) })
	return &c, err
}

// CategoryPatch is a partial change of a conversation category: nil fields keep their value.
type CategoryPatch struct {
	Name     *string `json:"name"`
	Position *int    `json:"position"`
}

// UpdateCategory renames or moves a conversation category; only the fields given change.
func (d *Desk) UpdateCategory(ctx context.Context, account, id livedesk.ID, p CategoryPatch) (*livedesk.Category, error) {
	if p.Name != nil {
		name, err := checkName("name", *p.Name, 100)
		if err != nil {
			return nil, err
		}
		p.Name = &name
	}
	if p.Position != nil {
		if err := checkPosition(*p.Position); err != nil {
			return nil, err
		}
	}
	var out *livedesk.Category
	err := d.store.Write(ctx, func(tx livedesk.Tx) error {
		var err error
		out, err = tx.PatchCategory(account, id, p.Name, p.Position)
		return err
	})
	return out, err
}

// DeleteCategory removes a conversation category from the choice.
func (d *Desk) DeleteCategory(ctx context.Context, account, id livedesk.ID) error {
	return d.store.Write(ctx, func(tx livedesk.Tx) error { return tx.DeleteCategory(account, id) })
}

// SettingsPatch is a partial change of account settings: nil fields keep their value.
type SettingsPatch struct {
	DefaultLimit        *int  `json:"default_limit"`
	TransferTimeoutSec  *int  `json:"transfer_timeout_seconds"`
	OfflineRequeueSec   *int  `json:"offline_requeue_seconds"`
	FileRetentionDays   *int  `json:"file_retention_days"`
	AutocompleteDefault *bool `json:"autocomplete_quick_messages"`
	// KeepVisitorIPs: store visitors' IP addresses (turning it off erases those kept).
	KeepVisitorIPs *bool `json:"keep_visitor_ips"`
	// Ratings is the rating scale: stars, thumbs or off; RatingEmail whether closing an
	// email conversation mails a rating link.
	Ratings     *string `json:"ratings"`
	RatingEmail *bool   `json:"rating_email"`
}

// UpdateAccountSettings applies a partial change to the account settings; the result must
// validate as a whole, else nothing changes.
func (d *Desk) UpdateAccountSettings(ctx context.Context, account livedesk.ID, p SettingsPatch) (*livedesk.Settings, error) {
	var out livedesk.Settings
	err := d.store.Write(ctx, func(tx livedesk.Tx) error {
		acct, err := tx.Account(account)
		if err != nil {
			return err
		}
		s := acct.Settings
		for _, f := range []struct {
			from *int
			to   *int
		}{{p.DefaultLimit, &s.DefaultLimit}, {p.TransferTimeoutSec, &s.TransferTimeoutSec},
			{p.OfflineRequeueSec, &s.OfflineRequeueSec}, {p.FileRetentionDays, &s.FileRetentionDays}} {
			if f.from != nil {
				*f.to = *f.from
			}
		}
		if p.AutocompleteDefault != nil {
			s.AutocompleteDefault = *p.AutocompleteDefault
		}
		if p.KeepVisitorIPs != nil {
			if acct.Settings.KeepVisitorIPs && !*p.KeepVisitorIPs {
				// Turning it off erases the addresses kept (docs/visitor-profile.md).
				if _, err := tx.ForgetVisitorAddresses(account); err != nil {
					return err
				}
			}
			s.KeepVisitorIPs = *p.KeepVisitorIPs
		}
		if p.Ratings != nil {
			s.Ratings = *p.Ratings
		}
		if p.RatingEmail != nil {
			s.RatingEmail = *p.RatingEmail
		}
		if err := s.Validate(); err != nil {
			return err
		}
		out = s
		out.Ratings = s.RatingScale()
		return tx.SetAccountSettings(account, s)
	})
	return &out, err
}

// Login checks a password and opens a session. Unknown email and wrong password are the
// same error.
func (d *Desk) Login(ctx context.Context, email, password string, ttlHours int) (*livedesk.Operator, string, error) {
	bad := livedesk.Errorf(livedesk.CodeUnauthenticated, "wrong email or password")
	op, err := d.store.OperatorByEmail(ctx, email)
	if err != nil {
		d.burner.Burn(password)
		return nil, "", bad
	}
	if !auth.CheckPassword(op.PasswordHash, password) {
		return nil, "", bad
	}
	if op.Deactivated {
		return nil, "", livedesk.Errorf(livedesk.CodeForbidden, "this operator has been deactivated; ask an admin of your account")
	}
	token, hash := auth.NewToken()
	err = d.store.Write(ctx, func(tx livedesk.Tx) error {
		if err := tx.CreateSession(hash, op, tx.Now().Add(secs(ttlHours*3600))); err != nil {
			return err
		}
		if err := tx.TouchOperators([]livedesk.ID{op.ID}); err != nil {
			return err
		}
		return drain(tx, op.AccountID)
	})
	return op, token, err
}
