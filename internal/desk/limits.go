package desk

import (
	"encoding/json"
	"time"

	"livedesk/internal/livedesk"
)

// VisitorLimits bound what anonymous visitors may do at one contact point. The rates are per
// client address (a visitor behind a shared address shares them); the upload volume is per
// visitor. A contact point may set its own in settings.limits; fields it leaves out (or sets
// to 0) take the server's defaults.
type VisitorLimits struct {
	// SessionsPerMinute: new widget sessions one address may start a minute.
	SessionsPerMinute int `json:"sessions_per_minute,omitempty"`
	// MessagesPerMinute: messages (and offline-form messages) one address may send a minute.
	MessagesPerMinute int `json:"messages_per_minute,omitempty"`
	// UploadsPerMinute: upload requests one address may make a minute.
	UploadsPerMinute int `json:"uploads_per_minute,omitempty"`
	// UploadMiBPerDay: what one visitor may upload in 24 hours, in MiB.
	UploadMiBPerDay int `json:"upload_mib_per_day,omitempty"`
}

// DefaultVisitorLimits are limits no real visitor reaches: a person types a few messages a
// minute and starts a session once per visit; a busy office behind one address still fits.
func DefaultVisitorLimits() VisitorLimits {
	return VisitorLimits{SessionsPerMinute: 60, MessagesPerMinute: 120, UploadsPerMinute: 20, UploadMiBPerDay: 200}
}

// maxLimit bounds each limit a contact point may set.
const maxLimit = 100000

// Over returns l with the fields set in o replacing its own.
func (l VisitorLimits) Over(o VisitorLimits) VisitorLimits {
	for _, f := range []struct{ dst, src *int }{{&l.SessionsPerMinute, &o.SessionsPerMinute},
		{&l.MessagesPerMinute, &o.MessagesPerMinute}, {&l.UploadsPerMinute, &o.UploadsPerMinute},
		{&l.UploadMiBPerDay, &o.UploadMiBPerDay}} {
		if *f.src > 0 {
			*f.dst = *f.src
		}
	}
	return l
}

// ContactPointLimits reads settings.limits of a contact point (unset fields are 0).
func ContactPointLimits(cp *livedesk.ContactPoint) VisitorLimits {
	var s struct {
		Limits VisitorLimits `json:"limits"`
	}
	_ = json.Unmarshal(cp.Settings, &s) // validated when stored; a wrong shape reads as unset
	return s.Limits
}

// checkLimits validates settings.limits: an object of known fields, each a whole number from
// 0 (the server's default) to maxLimit.
func checkLimits(raw map[string]json.RawMessage) error {
	b, ok := raw["limits"]
	if !ok {
		return nil
	}
	var fields map[string]json.RawMessage
	if json.Unmarshal(b, &fields) != nil || fields == nil {
		return livedesk.Errorf(livedesk.CodeInvalidInput, "settings.limits must be an object")
	}
	known := map[string]bool{"sessions_per_minute": true, "messages_per_minute": true, "uploads_per_minute": true, "upload_mib_per_day": true}
	for name, v := range fields {
		if !known[name] {
			return livedesk.Errorf(livedesk.CodeInvalidInput, "settings.limits.%s is not a limit (known: sessions_per_minute, messages_per_minute, uploads_per_minute, upload_mib_per_day)", name)
		}
		var n int
		if json.Unmarshal(v, &n) != nil || n < 0 || n > maxLimit {
			return livedesk.Errorf(livedesk.CodeInvalidInput, "settings.limits.%s must be a whole number from 0 (the default) to %d", name, maxLimit)
		}
	}
	return nil
}

// UploadQuota bounds upload volume over the last 24 hours.
type UploadQuota struct {
	// VisitorDefault is a visitor's volume when the contact point sets none (bytes).
	VisitorDefault int64
	// Account is the volume of all uploads of one account, operators' included (bytes; ≤ 0: none).
	Account int64
}

// DefaultUploadQuota is 200 MiB per visitor and 10 GiB per account a day.
func DefaultUploadQuota() UploadQuota {
	return UploadQuota{VisitorDefault: 200 << 20, Account: 10 << 30}
}

// checkUploadQuota refuses files that would take the uploader or the account over its volume
// of the last 24 hours.
func (d *Desk) checkUploadQuota(tx livedesk.Tx, account livedesk.ID, uploader livedesk.AuthorType, uploaderID livedesk.ID, size int64) error {
	since := tx.Now().Add(-24 * time.Hour)
	if uploader == livedesk.AuthorVisitor {
		limit := d.opts.Uploads.VisitorDefault
		v, err := tx.Visitor(account, uploaderID)
		if err != nil {
			return err
		}
		if cp, err := tx.ContactPoint(account, v.ContactPointID); err == nil {
			if mib := ContactPointLimits(cp).UploadMiBPerDay; mib > 0 {
				limit = int64(mib) << 20
			}
		}
		if limit > 0 {
			used, err := tx.UploadedSince(account, uploader, uploaderID, since)
			if err != nil {
				return err
			}
			if used+size > limit {
				return quotaError("you have sent as many files as allowed for a day", limit)
			}
		}
	}
	if d.opts.Uploads.Account > 0 {
		used, err := tx.UploadedSince(account, "", 0, since)
		if err != nil {
			return err
		}
		if used+size > d.opts.Uploads.Account {
			return quotaError("the account has received as many files as allowed for a day", d.opts.Uploads.Account)
		}
	}
	return nil
}

func quotaError(msg string, limit int64) error {
	return &livedesk.Error{Code: livedesk.CodeRateLimited, Message: msg + "; try again later",
		Details: map[string]string{"quota_bytes": jsonInt(limit), "retry_after": "3600"}}
}

func jsonInt(n int64) string { return string(mustJSON(n)) }
