package desk

import (
	"context"
	"strings"
	"time"

	"livedesk/internal/attachment"
	"livedesk/internal/livedesk"
)

// UnsentUploadTTL is how long an upload that was never sent in a message is kept.
const UnsentUploadTTL = 24 * time.Hour

// RecordUploads records files an operator (uploader AuthorOperator) or a visitor
// (AuthorVisitor) uploaded and returns them as attachments not yet sent. An operator must
// be in a status that may reply (the same rights as replying); a visitor must exist. Each
// file expires after the account's file_retention_days, counted from now.
func (d *Desk) RecordUploads(ctx context.Context, account livedesk.ID, uploader livedesk.AuthorType, uploaderID livedesk.ID, files []attachment.Upload) ([]livedesk.Attachment, error) {
	out := make([]livedesk.Attachment, 0, len(files))
	err := d.store.Write(ctx, func(tx livedesk.Tx) error {
		switch uploader {
		case livedesk.AuthorOperator:
			if _, err := actor(tx, account, uploaderID, livedesk.ActionReply); err != nil {
				return err
			}
		case livedesk.AuthorVisitor:
			if _, err := tx.Visitor(account, uploaderID); err != nil {
				return err
			}
		default:
			return livedesk.Errorf(livedesk.CodeForbidden, "only operators and visitors upload files")
		}
		var size int64
		for _, f := range files {
			size += f.Size
		}
		if err := d.checkUploadQuota(tx, account, uploader, uploaderID, size); err != nil {
			return err
		}
		var err error
		out, err = recordFiles(tx, account, uploader, uploaderID, files)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// recordFiles records stored files as attachments of the uploader, not yet sent; each expires
// after the account's file_retention_days, counted from now.
func recordFiles(tx livedesk.Tx, account livedesk.ID, uploader livedesk.AuthorType, uploaderID livedesk.ID, files []attachment.Upload) ([]livedesk.Attachment, error) {
	if len(files) == 0 {
		return nil, nil
	}
	acct, err := tx.Account(account)
	if err != nil {
		return nil, err
	}
	retention := time.Duration(acct.Settings.FileRetentionDays) * 24 * time.Hour
	out := make([]livedesk.Attachment, 0, len(files))
	for _, f := range files {
		a, err := tx.CreateAttachment(account, uploader, uploaderID, livedesk.NewAttachment{Name: f.Name, Size: f.Size,
			ContentType: f.ContentType, SHA256: f.SHA256, Width: f.Width, Height: f.Height}, retention)
		if err != nil {
			return nil, err
		}
		out = append(out, *a)
	}
	return out, nil
}

// checkAttachmentIDs validates the attachment ids of a message before any database work.
func checkAttachmentIDs(ids []livedesk.ID) error {
	if len(ids) > attachment.MaxFiles {
		return livedesk.Errorf(livedesk.CodeTooManyFiles, "a message can carry at most %d files", attachment.MaxFiles)
	}
	seen := make(map[livedesk.ID]bool, len(ids))
	for _, id := range ids {
		if id <= 0 {
			return livedesk.Errorf(livedesk.CodeInvalidInput, "attachment_ids must be ids of files you uploaded")
		}
		if seen[id] {
			return livedesk.Errorf(livedesk.CodeInvalidInput, "attachment_ids names file %s twice", id)
		}
		seen[id] = true
	}
	return nil
}

// claimAttachments loads the files a message will carry: each must be an upload of this
// author in this account that was not sent yet, and together within the limits. Another
// account's or another author's upload is refused exactly like an id that does not exist.
func claimAttachments(tx livedesk.Tx, account livedesk.ID, author livedesk.AuthorType, authorID livedesk.ID, ids []livedesk.ID) ([]livedesk.Attachment, error) {
	if len(ids) == 0 {
		return []livedesk.Attachment{}, nil
	}
	files, err := tx.AttachmentsByID(account, ids)
	if err != nil {
		return nil, err
	}
	byID := make(map[livedesk.ID]*livedesk.AttachmentFile, len(files))
	for _, f := range files {
		byID[f.ID] = f
	}
	out := make([]livedesk.Attachment, 0, len(ids))
	var total int64
	for _, id := range ids {
		f := byID[id]
		if f == nil || f.UploaderType != author || f.UploaderID != authorID {
			return nil, livedesk.Errorf(livedesk.CodeInvalidInput, "attachment_ids: %s is not a file you uploaded", id)
		}
		if f.MessageID != 0 {
			return nil, livedesk.Errorf(livedesk.CodeInvalidInput, "attachment_ids: file %s was already sent; upload it again to send it again", id)
		}
		if f.Expired {
			return nil, livedesk.Errorf(livedesk.CodeGone, "attachment_ids: file %s has expired; upload it again", id)
		}
		total += f.Size
		out = append(out, f.Attachment)
	}
	if total > attachment.MaxBytes {
		return nil, livedesk.Errorf(livedesk.CodeTooLarge, "the files of a message are larger than 25 MiB (%d bytes) together", attachment.MaxBytes)
	}
	return out, nil
}

// messagePreview is the conversation list preview of a message: its text, or for a message
// with only files «📎 name1, name2».
func messagePreview(m *livedesk.Message) string {
	if strings.TrimSpace(m.Text) != "" || len(m.Attachments) == 0 {
		return preview(m.Text)
	}
	names := make([]string, len(m.Attachments))
	for i, a := range m.Attachments {
		names[i] = a.Name
	}
	return preview("📎 " + strings.Join(names, ", "))
}

// SweepAttachments marks attachments whose retention is over as expired and deletes
// uploads never sent within UnsentUploadTTL, at most limit of each per call, and returns
// the hashes of the content they referenced (to delete when nothing else uses it) and
// whether there may be more to sweep.
func (d *Desk) SweepAttachments(ctx context.Context, limit int) (shas []string, more bool, err error) {
	err = d.store.Write(ctx, func(tx livedesk.Tx) error {
		expired, err := tx.ExpireAttachments(limit)
		if err != nil {
			return err
		}
		stale, err := tx.DeleteUnsentAttachments(tx.Now().Add(-UnsentUploadTTL), limit)
		if err != nil {
			return err
		}
		more = len(expired) == limit || len(stale) == limit
		seen := map[string]bool{}
		for _, s := range append(expired, stale...) {
			if !seen[s] {
				seen[s] = true
				shas = append(shas, s)
			}
		}
		return nil
	})
	return shas, more, err
}
