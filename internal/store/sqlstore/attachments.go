package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"livedesk/internal/attachment"
	"livedesk/internal/livedesk"
)

// CreateAttachment records an upload of the account by an operator or visitor; it expires
// after retention.
func (tx *Tx) CreateAttachment(account livedesk.ID, uploader livedesk.AuthorType, uploaderID livedesk.ID, a livedesk.NewAttachment, retention time.Duration) (*livedesk.Attachment, error) {
	out := &livedesk.Attachment{Name: a.Name, Size: a.Size, ContentType: a.ContentType, Width: a.Width, Height: a.Height}
	err := tx.queryRow(`INSERT INTO attachments(account_id, uploader_type, uploader_id, name, size, content_type, sha256,
		created_at, expires_at, width, height) VALUES (?,?,?,?,?,?,?,?,?,?,?) RETURNING id`, account, uploader, uploaderID, a.Name, a.Size,
		a.ContentType, a.SHA256, ms(tx.now), ms(tx.now.Add(retention)), a.Width, a.Height).Scan(&out.ID)
	if err != nil {
		return nil, fmt.Errorf("insert attachment: %w", err)
	}
	out.URL = livedesk.AttachmentURL(out.ID)
	out.Preview = previewable(out)
	return out, nil
}

const attachmentSelect = `SELECT a.id, a.account_id, a.uploader_type, a.uploader_id, a.message_id, a.name, a.size,
	a.content_type, a.sha256, a.created_at, a.expires_at, a.expired, m.kind, m.conversation_id, c.visitor_id, a.width, a.height
	FROM attachments a LEFT JOIN messages m ON m.id = a.message_id LEFT JOIN conversations c ON c.id = m.conversation_id `

func scanAttachmentFile(sc scanner) (*livedesk.AttachmentFile, error) {
	f := &livedesk.AttachmentFile{}
	var msg, conv, visitor sql.NullInt64
	var kind sql.NullString
	var created, expires int64
	if err := sc.Scan(&f.ID, &f.AccountID, &f.UploaderType, &f.UploaderID, &msg, &f.Name, &f.Size, &f.ContentType,
		&f.SHA256, &created, &expires, &f.Expired, &kind, &conv, &visitor, &f.Width, &f.Height); err != nil {
		return nil, err
	}
	f.MessageID, f.ConversationID, f.VisitorID = livedesk.ID(msg.Int64), livedesk.ID(conv.Int64), livedesk.ID(visitor.Int64)
	f.MessageKind = livedesk.MessageKind(kind.String)
	f.CreatedAt, f.ExpiresAt = fromMS(created), fromMS(expires)
	f.URL = livedesk.AttachmentURL(f.ID)
	f.Preview = previewable(&f.Attachment)
	return f, nil
}

// Attachment reads one attachment of the account.
func (s *Store) Attachment(ctx context.Context, account, id livedesk.ID) (*livedesk.AttachmentFile, error) {
	f, err := scanAttachmentFile(s.rq.QueryRowContext(ctx, attachmentSelect+`WHERE a.id = ? AND a.account_id = ?`, id, account))
	if err != nil {
		return nil, notFound(err, "attachment")
	}
	return f, nil
}

// AttachmentsByID reads attachments of the account by id, in the order of ids; ids that
// are not the account's are left out.
func (tx *Tx) AttachmentsByID(account livedesk.ID, ids []livedesk.ID) ([]*livedesk.AttachmentFile, error) {
	out := make([]*livedesk.AttachmentFile, 0, len(ids))
	for _, id := range ids {
		f, err := scanAttachmentFile(tx.queryRow(attachmentSelect+`WHERE a.id = ? AND a.account_id = ?`, id, account))
		if err == sql.ErrNoRows {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// BindAttachments makes the attachments (in this order) part of a message.
func (tx *Tx) BindAttachments(message livedesk.ID, ids []livedesk.ID) error {
	for i, id := range ids {
		if _, err := tx.exec(`UPDATE attachments SET message_id = ?, position = ? WHERE id = ? AND message_id IS NULL`, message, i, id); err != nil {
			return fmt.Errorf("bind attachment: %w", err)
		}
	}
	return nil
}

// ExpireAttachments marks expired (at most limit) attachments whose retention is over and
// returns the hashes of their content.
func (tx *Tx) ExpireAttachments(limit int) ([]string, error) {
	return tx.strings(`UPDATE attachments SET expired = 1 WHERE id IN (SELECT id FROM attachments
		WHERE expired = 0 AND expires_at <= ? ORDER BY expires_at LIMIT ?) RETURNING sha256`, ms(tx.now), limit)
}

// DeleteUnsentAttachments deletes (at most limit) uploads never sent in a message and
// created before before, and returns the hashes of their content.
func (tx *Tx) DeleteUnsentAttachments(before time.Time, limit int) ([]string, error) {
	return tx.strings(`DELETE FROM attachments WHERE id IN (SELECT id FROM attachments
		WHERE message_id IS NULL AND created_at <= ? ORDER BY created_at LIMIT ?) RETURNING sha256`, ms(before), limit)
}

// strings runs a query of one text column and returns its values.
func (tx *Tx) strings(q string, args ...any) ([]string, error) {
	rows, err := tx.tx.QueryContext(tx.ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// ContentInUse reports whether an attachment that is not expired (sent or not) references
// the content.
func (s *Store) ContentInUse(ctx context.Context, sha string) (bool, error) {
	var used bool
	err := s.rq.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM attachments WHERE sha256 = ? AND expired = 0)`, sha).Scan(&used)
	return used, err
}

// withAttachments fills the attachments of messages with one query.
func withAttachments(ctx context.Context, q querier, msgs []*livedesk.Message) error {
	byID := make(map[livedesk.ID]*livedesk.Message, len(msgs))
	args := make([]any, 0, len(msgs))
	for _, m := range msgs {
		if m.Kind == livedesk.KindSystem {
			continue
		}
		byID[m.ID] = m
		args = append(args, int64(m.ID))
	}
	if len(args) == 0 {
		return nil
	}
	rows, err := q.QueryContext(ctx, `SELECT message_id, id, name, size, content_type, expired, width, height FROM attachments
		WHERE message_id IN (?`+strings.Repeat(",?", len(args)-1)+`) ORDER BY message_id, position`, args...)
	if err != nil {
		return fmt.Errorf("read attachments: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var msg livedesk.ID
		var a livedesk.Attachment
		if err := rows.Scan(&msg, &a.ID, &a.Name, &a.Size, &a.ContentType, &a.Expired, &a.Width, &a.Height); err != nil {
			return err
		}
		a.URL = livedesk.AttachmentURL(a.ID)
		a.Preview = previewable(&a)
		if m := byID[msg]; m != nil {
			m.Attachments = append(m.Attachments, a)
		}
	}
	return rows.Err()
}

// UploadedSince is the volume in bytes uploaded to account since a time: by one uploader,
// or by everyone when uploader is "".
func (tx *Tx) UploadedSince(account livedesk.ID, uploader livedesk.AuthorType, uploaderID livedesk.ID, since time.Time) (int64, error) {
	var n int64
	var err error
	if uploader == "" {
		err = tx.queryRow(`SELECT COALESCE(SUM(size), 0) FROM attachments WHERE account_id = ? AND created_at >= ?`,
			account, ms(since)).Scan(&n)
	} else {
		err = tx.queryRow(`SELECT COALESCE(SUM(size), 0) FROM attachments WHERE account_id = ? AND uploader_type = ?
			AND uploader_id = ? AND created_at >= ?`, account, uploader, uploaderID, ms(since)).Scan(&n)
	}
	if err != nil {
		return 0, fmt.Errorf("uploaded volume: %w", err)
	}
	return n, nil
}

// previewable: a raster picture whose dimensions are known and within the inline limit
// (attachment.MaxPreviewPixels; pictures stored before dimensions were read count as known
// small only if their type is a picture: they were previewed before).
func previewable(a *livedesk.Attachment) bool {
	if !strings.HasPrefix(a.ContentType, "image/") || a.Expired {
		return false
	}
	if a.Width == 0 && a.Height == 0 {
		return true
	}
	return attachment.Previewable(a.Width, a.Height)
}
