package livedesk

import (
	"context"
	"time"
)

// This file is the data layer's contract: the types that cross it and the two interfaces
// every store implements (internal/store/sqlstore, on SQLite or PostgreSQL; the conformance
// suite is internal/store/storetest). Only the conversation service (internal/desk) calls
// them.

// DictionaryWord is one word of a personal or account spell-check dictionary.
type DictionaryWord struct {
	Word      string    `json:"word"`
	CreatedAt time.Time `json:"created_at"`
}

// OutgoingMail is what the sender needs to write an operator's reply as a mail.
type OutgoingMail struct {
	Message *Message
	// MailID is the reply's own Message-ID; Thread the Message-IDs of the conversation's
	// earlier messages, oldest first.
	MailID  string
	Thread  []string
	Subject string
	// To is the visitor; Mailbox the contact point's address and MailboxName its name.
	ToAddress, ToName    string
	Mailbox, MailboxName string
	// MailboxConfirmed says the account proved control of the mailbox's address: only then
	// is it the sender.
	MailboxConfirmed bool
	// MailboxID is the email contact point the mail goes from: the conversation's own, or for
	// a widget conversation continued by email the mailbox its settings name.
	MailboxID ID
	// Followup says the reply was written in a widget conversation and goes by mail because
	// the visitor left (ChatName is that contact point's name).
	Followup bool
	ChatName string
	// Files are the reply's attachments with their content hashes.
	Files []*AttachmentFile
	// Carried, Context and Link are set by the desk for a followup, not by the store: the
	// operators' later replies that go in the same mail (oldest first, with their files),
	// the conversation's messages before them (oldest first), and the address of the page
	// with the chat ("" none).
	Carried      []*Message
	CarriedFiles []*AttachmentFile
	Context      []*Message
	Link         string
	// RatingRequest says the mail is the closing mail of an email conversation that asks
	// for a rating (Message is its system line); RatingLink, set by the desk, is the address
	// of the rating page.
	RatingRequest bool
	RatingLink    string
}

// OutgoingEmail is a reply waiting in the outbox.
type OutgoingEmail struct {
	MessageID ID
	AccountID ID
	Attempts  int
}

// ErrDuplicateMail is InsertMessage's answer when the account already has a message with the
// same email Message-ID: a mail delivered twice is taken once.
var ErrDuplicateMail = Errorf(CodeConflict, "this mail was received already")

// MailServer is what an email contact point keeps of its own mail servers beside its
// settings: the IMAP and SMTP passwords, sealed by the desk ("" none), and the IMAP
// watcher's place in the folder (UIDValidity 0: none) with the host, username and folder
// (Place) it belongs to.
type MailServer struct {
	ContactPointID, AccountID  ID
	IMAPPassword, SMTPPassword string
	Place                      string
	UIDValidity, LastUID       uint32
}

// MailboxState is where the confirmation of a mailbox's address stands.
type MailboxState struct {
	ContactPointID ID     `json:"contact_point_id"`
	AccountID      ID     `json:"-"`
	Address        string `json:"address"`
	// VerifiedAt is when the account proved control of the address (nil: not yet).
	VerifiedAt *time.Time `json:"verified_at"`
	// ConfirmDueAt is when a confirmation mail is to be sent (nil: none is waiting).
	ConfirmDueAt *time.Time `json:"-"`
	// ConfirmSentAt is when the last confirmation mail left; CodeExpiresAt when its code
	// stops working; ConfirmError why the last one could not be sent.
	ConfirmSentAt *time.Time `json:"confirmation_sent_at"`
	CodeExpiresAt *time.Time `json:"code_expires_at"`
	ConfirmError  string     `json:"confirmation_error,omitempty"`
	// CodeHash, CodeAttempts and ConfirmAttempts are the desk's to check codes and retry sends.
	CodeHash        string `json:"-"`
	CodeAttempts    int    `json:"-"`
	ConfirmAttempts int    `json:"-"`
}

// NewAttachment is an uploaded file to record.
type NewAttachment struct {
	Name          string
	Size          int64
	ContentType   string
	SHA256        string
	Width, Height int
}

// AttachmentFile is an attachment row with what access checks need: who uploaded it, the
// message it was sent in (0 while unsent) and that message's conversation and visitor.
type AttachmentFile struct {
	Attachment
	AccountID      ID
	UploaderType   AuthorType
	UploaderID     ID
	MessageID      ID
	MessageKind    MessageKind
	ConversationID ID
	VisitorID      ID
	SHA256         string
	CreatedAt      time.Time
	ExpiresAt      time.Time
}

// StickerImage is the picture of an uploaded sticker.
type StickerImage struct {
	ContentType string
	Data        []byte
}

// NewSticker is an uploaded picture to add to a pack.
type NewSticker struct {
	Name        string
	ContentType string
	Data        []byte
}

// QuickPatch is a partial change of a quick message (nil: keep).
type QuickPatch struct {
	Title      *string
	Text       *string
	CategoryID *ID
	Position   *int
}

// ListFilter selects a page of the conversation list.
type ListFilter struct {
	Account  ID
	State    ConversationState
	Assignee ID // 0: any
	// After is the position of the last item of the previous page (zero: first page).
	AfterAt int64
	AfterID ID
	Limit   int
}

// Store is the data layer: reads on a consistent snapshot, and Write, which runs a function in
// one durable transaction. Every read is scoped by account where the data has one.
type Store interface {
	// Account reads an account.
	Account(ctx context.Context, id ID) (*Account, error)
	// AccountIDs lists all accounts (for sweepers).
	AccountIDs(ctx context.Context) ([]ID, error)
	// Meta reads a value of the meta table ("" when absent).
	Meta(ctx context.Context, key string) (string, error)
	// SessionOperator returns the operator of a live session (not past its expiry, seen since
	// idleSince) and when the session was last seen.
	SessionOperator(ctx context.Context, tokenHash string, idleSince time.Time) (*Operator, time.Time, error)
	// Attachment reads one attachment of the account.
	Attachment(ctx context.Context, account, id ID) (*AttachmentFile, error)
	// ContentInUse reports whether an attachment that is not expired (sent or not) references
	// the content.
	ContentInUse(ctx context.Context, sha string) (bool, error)
	// Conversation reads one conversation of the account.
	Conversation(ctx context.Context, account, id ID) (*Conversation, error)
	// OpenConversationOf returns the visitor's open conversation at the contact point, or not_found.
	OpenConversationOf(ctx context.Context, account, visitor, contactPoint ID) (*Conversation, error)
	// Conversations returns one page of the list, newest last message first.
	Conversations(ctx context.Context, f ListFilter) ([]*Conversation, error)
	// QueueLength is how many conversations of the account wait in the queue.
	QueueLength(ctx context.Context, account ID) (int, error)
	// DictionaryWords lists the account's dictionary (operator 0) or an operator's, in
	// alphabetical order.
	DictionaryWords(ctx context.Context, account, operator ID) ([]DictionaryWord, error)
	// KnownWords returns the lowercase words spell check accepts for an operator: theirs and
	// the account's.
	KnownWords(ctx context.Context, account, operator ID) (map[string]bool, error)
	// Mailbox returns the email contact point that receives mail for address (lower case): the
	// one that confirmed it, else the oldest claim; or not_found.
	Mailbox(ctx context.Context, address string) (*ContactPoint, error)
	// MessageByMailID returns the account's message with the email Message-ID, or not_found.
	MessageByMailID(ctx context.Context, account ID, mailID string) (*Message, error)
	// OutgoingMail reads a reply waiting in the outbox.
	OutgoingMail(ctx context.Context, account, message ID) (*OutgoingMail, error)
	// OperatorEvents returns up to limit events after the cursor that the operator receives.
	OperatorEvents(ctx context.Context, account, op ID, staff bool, after ID, limit int) ([]*Event, error)
	// AccountEvents returns up to limit of the account's events after the cursor, in order,
	// whoever they are for.
	AccountEvents(ctx context.Context, account, after ID, limit int) ([]*Event, error)
	// VisitorEvents returns up to limit events after the cursor that the visitor of the account
	// receives.
	VisitorEvents(ctx context.Context, account, visitor, after ID, limit int) ([]*Event, error)
	// EventBounds returns the oldest kept and the newest event id of the account's log (0, 0
	// when it holds none).
	EventBounds(ctx context.Context, account ID) (oldest, newest ID, err error)
	// MailboxState reads the mailbox of the account's contact point, or not_found.
	MailboxState(ctx context.Context, account, contactPoint ID) (*MailboxState, error)
	// MailServer reads the sealed passwords and IMAP place of the account's contact point (a
	// zero MailServer when it has none).
	MailServer(ctx context.Context, account, contactPoint ID) (*MailServer, error)
	// MailStatus reads what the account's mailbox's own servers last did (empty when nothing
	// yet).
	MailStatus(ctx context.Context, account, contactPoint ID) (*MailStatus, error)
	// EmailContactPoints lists the email contact points of every account, by id (the IMAP
	// watchers are started for those with IMAP settings).
	EmailContactPoints(ctx context.Context) ([]*ContactPoint, error)
	// MessageByClientID finds a message an author already sent with this client id, on the
	// read pool (a retry's fast path, off the writer).
	MessageByClientID(ctx context.Context, author AuthorType, authorID ID, clientID string) (*Message, error)
	// Messages returns a page of a conversation's history, newest first, older than before
	// (0: from the newest). Comments are left out unless withComments.
	Messages(ctx context.Context, conversation, before ID, limit int, withComments bool) ([]*Message, error)
	// VisitorMessages returns a page of everything a visitor can see in all their conversations,
	// newest first: no comments.
	VisitorMessages(ctx context.Context, account, visitor, before ID, limit int) ([]*Message, error)
	// OperatorTookPart reports whether an operator took part in a conversation: wrote a message
	// or comment in it, or was assigned to it at some point that a transfer records (they
	// offered it to someone, or accepted it from someone).
	OperatorTookPart(ctx context.Context, account, conversation, operator ID) (bool, error)
	// Operator reads one operator of the account.
	Operator(ctx context.Context, account, id ID) (*Operator, error)
	// OperatorByEmail finds an operator for login.
	OperatorByEmail(ctx context.Context, email string) (*Operator, error)
	// Operators lists the operators of an account by name.
	Operators(ctx context.Context, account ID) ([]*Operator, error)
	// ContactPoint reads one contact point of the account (from memory after the first time).
	ContactPoint(ctx context.Context, account, id ID) (*ContactPoint, error)
	// AnyOperatorOnline reports whether an operator of the account is online: in any status but
	// offline. The widget shows its offline form when nobody is.
	AnyOperatorOnline(ctx context.Context, account ID) (bool, error)
	// ContactPointByKey finds the contact point of a widget key.
	ContactPointByKey(ctx context.Context, key string) (*ContactPoint, error)
	// ContactPoints lists an account's contact points.
	ContactPoints(ctx context.Context, account ID) ([]*ContactPoint, error)
	// Visitor reads a visitor of the account.
	Visitor(ctx context.Context, account, id ID) (*Visitor, error)
	// Categories lists an account's live categories in order.
	Categories(ctx context.Context, account ID) ([]Category, error)
	// QuickCategories lists the account's categories in their order.
	QuickCategories(ctx context.Context, account ID) ([]QuickCategory, error)
	// QuickMessages lists every quick message of the account — all operators' personal ones
	// first (by operator, position), then account-wide ones by category position and position.
	QuickMessages(ctx context.Context, account ID) ([]*QuickMessage, error)
	// QuickHotkeys returns the operator's hotkeys by quick message id.
	QuickHotkeys(ctx context.Context, op ID) (map[ID]string, error)
	// Report summarises the account's conversations on the days from..to (inclusive, midnight to
	// midnight in loc). It reads the conversations created or closed in the range through their
	// indexes and adds up in Go, where days follow the time zone's own calendar (DST included).
	Report(ctx context.Context, account ID, from, to time.Time, loc *time.Location) (*Report, error)
	// StickerPacks lists the packs admins of the account uploaded (not deleted), oldest first,
	// with their stickers.
	StickerPacks(ctx context.Context, account ID) ([]StickerPack, error)
	// StickerImage returns the picture of an uploaded sticker of the account (of a deleted
	// pack too: the history still shows it).
	StickerImage(ctx context.Context, account ID, id string) (*StickerImage, error)
	// StickerPackExists checks that the account has this pack (not deleted): not_found otherwise.
	StickerPackExists(ctx context.Context, account ID, pack string) error
	// SetPublisher sets the function that receives committed events, in commit order, from the
	// writer goroutine. It must not block for long.
	SetPublisher(fn func([]*Event))
	// Now is the store's clock.
	Now() time.Time
	// Close stops the writer after the requests already queued are written, then closes the
	// database.
	Close() error
	// Write runs fn in a write transaction and returns after it is committed (or failed). fn's
	// changes are rolled back alone if it returns an error; other requests in the same batch
	// are not affected. Events emitted by fn are published after the commit.
	Write(ctx context.Context, fn func(Tx) error) error
	// Ping checks that the database answers.
	Ping(ctx context.Context) error
	// PendingTransfersOf lists the account's pending transfers to or from the operator.
	PendingTransfersOf(ctx context.Context, account, op ID) ([]*Transfer, error)
	// ProfileReads are the reads of visitor profiles (profile.go).
	ProfileReads
	// RatingReads are the reads of ratings (rating.go).
	RatingReads
	// SearchReads are the reads of the conversation search (search.go).
	SearchReads
}

// Tx is one write transaction, handed to the function given to Store.Write. Everything it
// changes commits together, and the events it emits are published after the commit in commit
// order.
type Tx interface {
	// CreateAccount stores a new account.
	CreateAccount(name string, settings Settings) (*Account, error)
	// Account reads an account inside the transaction.
	Account(id ID) (*Account, error)
	// SetAccountSettings replaces an account's settings.
	SetAccountSettings(id ID, settings Settings) error
	// SetMetaIfAbsent stores value under key unless a value is there; it returns the stored one.
	SetMetaIfAbsent(key, value string) (string, error)
	// CreateSession stores a login session by the hash of its token.
	CreateSession(tokenHash string, op *Operator, expires time.Time) error
	// TouchSessions records that sessions are in use now.
	TouchSessions(tokenHashes []string) error
	// DeleteOperatorSessions ends every session of an operator except keep (a token hash, or
	// "") and returns the hashes of the sessions it ended.
	DeleteOperatorSessions(account, operator ID, keep string) ([]string, error)
	// SetPasswordHash replaces an operator's password hash.
	SetPasswordHash(account, operator ID, hash string) error
	// DeleteSession removes a session.
	DeleteSession(tokenHash string) error
	// DeleteExpiredSessions removes sessions past their expiry or not seen since idleSince.
	DeleteExpiredSessions(idleSince time.Time) error
	// CreateAttachment records an upload of the account by an operator or visitor; it expires
	// after retention.
	CreateAttachment(account ID, uploader AuthorType, uploaderID ID, a NewAttachment, retention time.Duration) (*Attachment, error)
	// AttachmentsByID reads attachments of the account by id, in the order of ids; ids that
	// are not the account's are left out.
	AttachmentsByID(account ID, ids []ID) ([]*AttachmentFile, error)
	// BindAttachments makes the attachments (in this order) part of a message.
	BindAttachments(message ID, ids []ID) error
	// ExpireAttachments marks expired (at most limit) attachments whose retention is over and
	// returns the hashes of their content.
	ExpireAttachments(limit int) ([]string, error)
	// DeleteUnsentAttachments deletes (at most limit) uploads never sent in a message and
	// created before before, and returns the hashes of their content.
	DeleteUnsentAttachments(before time.Time, limit int) ([]string, error)
	// UploadedSince is the volume in bytes uploaded to account since a time: by one uploader,
	// or by everyone when uploader is "".
	UploadedSince(account ID, uploader AuthorType, uploaderID ID, since time.Time) (int64, error)
	// PatchCategory changes the given fields of a live category of the account (nil: keep the
	// value) and returns the category as stored.
	PatchCategory(account, id ID, name *string, position *int) (*Category, error)
	// Conversation reads one conversation of the account inside the transaction.
	Conversation(account, id ID) (*Conversation, error)
	// OpenConversationOf returns the visitor's open conversation at the contact point (not closed
	// and not closed by the visitor), or not_found.
	OpenConversationOf(account, visitor, contactPoint ID) (*Conversation, error)
	// LatestConversationOf returns the visitor's newest conversation at any state, or not_found.
	LatestConversationOf(account, visitor ID) (*Conversation, error)
	// CreateConversation stores a new queued conversation.
	CreateConversation(account ID, cp *ContactPoint, visitor ID) (ID, error)
	// AssignConversation makes op the assignee (capacity must already be reserved).
	AssignConversation(id, op ID) error
	// RequeueConversation puts an assigned conversation back in the queue, keeping its place of
	// arrival.
	RequeueConversation(id ID) error
	// CloseConversation closes a conversation with an optional category.
	CloseConversation(id, by, category ID) error
	// SetVisitorClosed marks that the visitor closed the conversation.
	SetVisitorClosed(id ID) error
	// TouchLastMessage updates the list preview and, for visitor messages, the unread counter.
	TouchLastMessage(id ID, lm LastMessage, unread bool) error
	// MarkRead resets the unread counter.
	MarkRead(id ID) error
	// QueuedConversationIDs returns up to n queued conversations of the account, oldest first.
	QueuedConversationIDs(account ID, n int) ([]ID, error)
	// OpenWebchatOf lists the operator's open webchat conversations.
	OpenWebchatOf(op ID) ([]ID, error)
	// AddDictionaryWord adds a word to the account's dictionary (operator 0) or to an
	// operator's personal one. Adding a word already there (in any case) changes nothing.
	AddDictionaryWord(account, operator ID, word, folded string) error
	// RemoveDictionaryWord removes a word (matched lowercase) from the account's dictionary
	// (operator 0) or an operator's.
	RemoveDictionaryWord(account, operator ID, folded string) error
	// SetMailbox makes address (lower case; empty: none) the mailbox of an email contact point,
	// replacing its previous one; it reports whether the address changed. A new address is not
	// confirmed and has a confirmation mail due now. An address another account has confirmed,
	// or another contact point of this account has, is a conflict that names nothing of the
	// other; an address another account only claimed is no obstacle (first to confirm wins).
	SetMailbox(account, contactPoint ID, address string) (changed bool, err error)
	// VisitorByEmail returns the visitor of the contact point with the email address, or not_found.
	VisitorByEmail(account, contactPoint ID, email string) (*Visitor, error)
	// ConversationOfMail returns the conversation that has a message with one of the
	// Message-IDs (the newest such message wins), or not_found: a conversation at the contact
	// point, or one of another contact point whose replies went out by mail from it (a widget
	// conversation continued by email).
	ConversationOfMail(account, contactPoint ID, messageIDs []string) (*Conversation, error)
	// SetEmailSubject keeps the subject of an email conversation (replies answer it with Re:).
	SetEmailSubject(conversation ID, subject string) error
	// QueueEmail puts an operator's reply in the outbox, due now.
	QueueEmail(account, message ID) error
	// QueueFollowup puts an operator's reply in a widget conversation in the outbox as a
	// followup: due at due, to go by mail from the email contact point from.
	QueueFollowup(account, message, from ID, due time.Time) error
	// PendingFollowups lists the pending followups of the conversation after the message
	// after, oldest first.
	PendingFollowups(conversation, after ID) ([]ID, error)
	// EmailSkipped marks a pending outbox entry as not to be sent (a followup whose visitor
	// came back), with the reason.
	EmailSkipped(message ID, why string) error
	// TouchVisitors marks visitors as seen now in the widget (they hold a socket).
	TouchVisitors(ids []ID) error
	// SetStartedBy records that an operator started the conversation (a mail they wrote).
	SetStartedBy(conversation, operator ID) error
	// ClaimDueEmails takes up to limit outbox entries due now, oldest first, for one sender:
	// they are not due again for lease. Two senders claiming at once never take the same
	// entry.
	ClaimDueEmails(limit int, lease time.Duration) ([]OutgoingEmail, error)
	// ClaimMailboxConfirmations takes up to limit mailboxes whose confirmation mail is due
	// now, for one sender: they are not due again for lease. Two senders claiming at once
	// never take the same mailbox.
	ClaimMailboxConfirmations(limit int, lease time.Duration) ([]*MailboxState, error)
	// EmailSent marks an outbox entry delivered to the relay.
	EmailSent(message ID) error
	// EmailRetry records a failed attempt: the entry is due again at next, or failed for good
	// when next is zero.
	EmailRetry(message ID, why string, next time.Time) error
	// PruneEvents deletes up to limit of the oldest events created before beforeMS, always keeping
	// the newest keep, and returns how many it deleted. Event ids grow with time, so it finds the
	// first id to keep and deletes a rowid range below it: no scan of the kept events, and a
	// bounded transaction however far behind the pruning is (call it again while it returns limit).
	PruneEvents(beforeMS int64, keep, limit int) (int64, error)
	// MailboxState returns the mailbox of the account's contact point, or not_found (not an
	// email contact point, or one without an address).
	MailboxState(account, contactPoint ID) (*MailboxState, error)
	// ScheduleMailboxConfirmation makes a confirmation mail due at now (a fresh round of sends).
	ScheduleMailboxConfirmation(contactPoint ID) error
	// SetMailboxCode records the code of the confirmation mail about to be sent (its hash) and
	// when it expires; earlier codes stop working.
	SetMailboxCode(contactPoint ID, hash string, expires time.Time) error
	// MailboxConfirmationSent records that the relay took the confirmation mail.
	MailboxConfirmationSent(contactPoint ID) error
	// MailboxConfirmationFailed records a failed send: due again at next, or given up (zero
	// next) with the reason kept for the admin.
	MailboxConfirmationFailed(contactPoint ID, why string, next time.Time) error
	// MailboxCodeWrong counts a wrong code entered for the mailbox.
	MailboxCodeWrong(contactPoint ID) error
	// MailboxVerified marks the mailbox's address as confirmed by its account. Another
	// account's confirmation of the same address first is ErrAddressUnavailable. Other claims of
	// the address stay, but get no mail and no more confirmation mails.
	MailboxVerified(contactPoint ID) error
	// MailServer reads the sealed passwords and IMAP place of the account's contact point (a
	// zero MailServer when it has none).
	MailServer(account, contactPoint ID) (*MailServer, error)
	// SetMailPasswords stores the sealed IMAP and SMTP passwords of the account's contact
	// point ("" none); its IMAP place stays.
	SetMailPasswords(account, contactPoint ID, imap, smtp string) error
	// SetIMAPPlace records the IMAP watcher's place: the folder's UIDVALIDITY and the highest
	// UID taken, under place (host, username, folder); the passwords stay.
	SetIMAPPlace(account, contactPoint ID, place string, validity, lastUID uint32) error
	// SetIMAPStatus records the IMAP watcher's status of a contact point (nil: not watched).
	SetIMAPStatus(contactPoint ID, st *IMAPWatchStatus) error
	// SetSMTPStatus records the latest send through a contact point's own SMTP server.
	SetSMTPStatus(contactPoint ID, st SMTPSendStatus) error
	// MessageByClientID finds a message an author already sent with this client id.
	MessageByClientID(author AuthorType, authorID ID, clientID string) (*Message, error)
	// MessageByID reads one message of the account inside the transaction.
	MessageByID(account, id ID) (*Message, error)
	// Message reads one message of a conversation inside the transaction.
	Message(conversation, id ID) (*Message, error)
	// InsertMessage stores m (ID and CreatedAt are set).
	InsertMessage(account ID, m *Message) error
	// AppendMessage stores m in its conversation (as InsertMessage) and makes it the
	// conversation's last message (as TouchLastMessage), in one step.
	AppendMessage(account ID, m *Message, lm LastMessage, unread bool) error
	// AppendVisitorMessage stores m, the visitor's message, in their open conversation at the
	// contact point (ConversationID and the author's name, the visitor's display name, are
	// set) and makes it the last message with unread + 1; it returns the conversation as it
	// was before. not_found, with nothing stored, when the visitor has no open conversation.
	AppendVisitorMessage(account, visitor, contactPoint ID, m *Message, lm LastMessage) (*Conversation, error)
	// CreateOperator stores a new operator; a taken email is a conflict.
	CreateOperator(o *Operator) error
	// Operator reads one operator of the account inside the transaction.
	Operator(account, id ID) (*Operator, error)
	// RoutingCandidates lists the account's available operators below their limit.
	RoutingCandidates(account ID) ([]*Operator, error)
	// ReserveCapacity counts one more open conversation for the operator if, and only if, they
	// are below their limit (and, when mustBeAvailable, available). It is the atomic guard of the
	// invariant open ≤ limit: never check-then-act.
	ReserveCapacity(id ID, mustBeAvailable bool) (bool, error)
	// ReleaseCapacity counts one open conversation less for the operator.
	ReleaseCapacity(id ID) error
	// SetOperatorStatus changes the status and its time.
	SetOperatorStatus(id ID, status Status) error
	// UpdateOperator stores name, role, limit and settings.
	UpdateOperator(o *Operator) error
	// SetOperatorDeactivated deactivates (or reactivates) an operator; deactivating also ends
	// every session of theirs.
	SetOperatorDeactivated(account, id ID, deactivated bool) error
	// TouchOperators marks operators as seen now (they have a live connection).
	TouchOperators(ids []ID) error
	// UnseenOperators lists operators not offline whose last sign of life is older than before.
	UnseenOperators(beforeMS int64) ([]*Operator, error)
	// OfflineWithWebchat lists offline operators who still hold open webchat conversations.
	OfflineWithWebchat() ([]*Operator, error)
	// CreateContactPoint stores a contact point.
	CreateContactPoint(c *ContactPoint) error
	// UpdateContactPoint stores name and settings.
	UpdateContactPoint(c *ContactPoint) error
	// ContactPoint reads one contact point of the account inside the transaction.
	ContactPoint(account, id ID) (*ContactPoint, error)
	// AnyOperatorOnline, inside a write: whether an operator of the account is online now.
	AnyOperatorOnline(account ID) (bool, error)
	// CreateVisitor stores a visitor.
	CreateVisitor(v *Visitor) error
	// UpdateVisitor stores name, email and phone.
	UpdateVisitor(v *Visitor) error
	// Visitor reads a visitor of the account inside the transaction.
	Visitor(account, id ID) (*Visitor, error)
	// CreateCategory stores a conversation category.
	CreateCategory(account ID, c *Category) error
	// UpdateCategory renames or moves a category.
	UpdateCategory(account ID, c *Category) error
	// DeleteCategory hides a category; closed conversations keep pointing at it.
	DeleteCategory(account, id ID) error
	// CategoryState tells whether the account has live categories and whether id is one of them.
	CategoryState(account, id ID) (has, valid bool, err error)
	// CreateQuickCategory adds a category of account-wide quick messages.
	CreateQuickCategory(account ID, name string, position int) (*QuickCategory, error)
	// PatchQuickCategory changes the given fields (nil: keep) and returns the category.
	PatchQuickCategory(account, id ID, name *string, position *int) (*QuickCategory, error)
	// DeleteQuickCategory deletes a category with its messages (and their hotkeys).
	DeleteQuickCategory(account, id ID) error
	// CountQuickMessages counts the account's quick messages (on create only, not a hot path).
	CountQuickMessages(account ID) (int, error)
	// QuickCategoryExists reports whether the category belongs to the account.
	QuickCategoryExists(account, id ID) (bool, error)
	// CreateQuickMessage stores m (OperatorID set: personal; else CategoryID set).
	CreateQuickMessage(account ID, m *QuickMessage) error
	// PatchQuickMessage changes a quick message owned by owner (0: an account-wide one).
	PatchQuickMessage(account, owner, id ID, p QuickPatch) (*QuickMessage, error)
	// DeleteQuickMessage deletes a quick message owned by owner (0: an account-wide one).
	DeleteQuickMessage(account, owner, id ID) error
	// VisibleQuickMessage returns a quick message the operator may use: account-wide, or their own.
	VisibleQuickMessage(account, op, id ID) (*QuickMessage, error)
	// SetQuickHotkey binds hotkey to the quick message for the operator ("" removes it). A
	// hotkey the operator uses for another message is a hotkey_taken error naming that message.
	SetQuickHotkey(op, id ID, hotkey string) error
	// EmitQuickChanged tells the operators who see it that quick messages changed: everybody of
	// the account for account-wide ones, the owner for personal ones.
	EmitQuickChanged(account, owner ID) error
	// CreateStickerPack stores a new, empty pack of the account. An account has at most
	// sticker.MaxPacks packs.
	CreateStickerPack(account ID, name string) (*StickerPack, error)
	// AddStickers adds pictures to a pack of the account; a pack holds at most
	// sticker.MaxPerPack stickers.
	AddStickers(account ID, pack string, items []NewSticker) ([]Sticker, error)
	// DeleteStickerPack removes a pack of the account from the pickers. Its pictures stay, so
	// the history keeps showing stickers already sent; they cannot be sent any more.
	DeleteStickerPack(account ID, pack string) error
	// SendableSticker returns the sticker with this id when the account may send it: one of
	// the default pack, or of a pack of the account that is not deleted. Anything else,
	// another account's sticker included, is not_found.
	SendableSticker(account ID, id string) (*Sticker, error)
	// Now is the time of this write.
	Now() time.Time
	// Emit stores an event with the transaction; it gets its id (its cursor: per account,
	// growing in commit order) by the commit at the latest, and is published after it.
	Emit(e *Event) error
	// CreateTransfer stores a transfer; a second pending one for the conversation is a conflict.
	CreateTransfer(account ID, t *Transfer) error
	// Transfer reads a transfer of the account.
	Transfer(account, id ID) (*Transfer, error)
	// ResolveTransfer moves a pending transfer to a final state; false if it was not pending.
	ResolveTransfer(t *Transfer, state TransferState) (bool, error)
	// PendingTransferOf returns the conversation's pending transfer, or nil.
	PendingTransferOf(conversation ID) (*Transfer, error)
	// PendingTransfersTo lists pending offers to an operator.
	PendingTransfersTo(op ID) ([]*Transfer, error)
	// ExpiredTransfers lists pending transfers whose time is up, with their account.
	ExpiredTransfers() (map[ID][]*Transfer, error)
	// ProfileWrites are the writes of visitor profiles (profile.go).
	ProfileWrites
	// RatingWrites are the writes of ratings (rating.go).
	RatingWrites
}
