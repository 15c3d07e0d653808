package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"strings"

	sqlitedrv "modernc.org/sqlite"

	"livedesk/internal/livedesk"
	"livedesk/internal/search"
)

// Conversation search (docs/search.md). On SQLite the FTS5 tables message_search and
// visitor_search (migrations/0025_search.sql) are kept by triggers that call the Go functions
// registered here; on PostgreSQL the generated column messages.search (a tsvector of the
// `russian` configuration) with a GIN index, and trigram indexes of the visitors' fields
// (migrations_pg/0005_search.sql). Both answer the same two questions: the newest messages
// that match (SearchMessages), and conversations whose visitor matches (SearchVisitors).

// The SQLite functions the search triggers call. The driver registers functions for every
// connection it opens afterwards, process-wide: once, before any database is opened.
func init() {
	text := func(v driver.Value) string {
		switch s := v.(type) {
		case string:
			return s
		case []byte:
			return string(s)
		}
		return ""
	}
	sqlitedrv.MustRegisterDeterministicScalarFunction("livedesk_search_terms", 2,
		func(_ *sqlitedrv.FunctionContext, args []driver.Value) (driver.Value, error) {
			account, _ := args[0].(int64)
			return search.IndexTerms(account, text(args[1])), nil
		})
	sqlitedrv.MustRegisterDeterministicScalarFunction("livedesk_search_fold", 1,
		func(_ *sqlitedrv.FunctionContext, args []driver.Value) (driver.Value, error) {
			return search.Fold(text(args[0])), nil
		})
	sqlitedrv.MustRegisterDeterministicScalarFunction("livedesk_search_digits", 1,
		func(_ *sqlitedrv.FunctionContext, args []driver.Value) (driver.Value, error) {
			var b strings.Builder
			for _, r := range text(args[0]) {
				if r >= '0' && r <= '9' {
					b.WriteRune(r)
				}
			}
			return b.String(), nil
		})
}

// searchFilter is the SQL of a search's filter over conversations c (and the time column
// timeCol), with its arguments; the read rule of a reader mirrors desk.mayRead.
func searchFilter(f livedesk.SearchFilter, timeCol string) (string, []any) {
	var b strings.Builder
	args := []any{f.Account}
	b.WriteString(` AND c.account_id = ?`)
	add := func(cond string, v any) {
		b.WriteString(cond)
		args = append(args, v)
	}
	if f.State != "" {
		add(` AND c.state = ?`, f.State)
	}
	if f.Assignee != 0 {
		add(` AND c.assignee_id = ?`, f.Assignee)
	}
	if f.Category != 0 {
		add(` AND c.category_id = ?`, f.Category)
	}
	if f.Channel != "" {
		add(` AND c.channel = ?`, f.Channel)
	}
	if f.ContactPoint != 0 {
		add(` AND c.contact_point_id = ?`, f.ContactPoint)
	}
	if !f.From.IsZero() {
		add(` AND `+timeCol+` >= ?`, ms(f.From))
	}
	if !f.To.IsZero() {
		add(` AND `+timeCol+` < ?`, ms(f.To))
	}
	if f.Reader != 0 {
		// Assigned to the reader (open, or closed as its last assignee), offered to them by a
		// pending transfer, or closed and they took part: wrote in it, offered it to someone
		// or accepted it (OperatorTookPart).
		b.WriteString(` AND (c.assignee_id = ?
			OR EXISTS (SELECT 1 FROM transfers t WHERE t.conversation_id = c.id AND t.to_operator_id = ? AND t.state = 'pending')
			OR (c.state = 'closed' AND (
				EXISTS (SELECT 1 FROM messages w WHERE w.conversation_id = c.id AND w.author_type = 'operator' AND w.author_id = ?)
				OR EXISTS (SELECT 1 FROM transfers t WHERE t.conversation_id = c.id
					AND (t.from_operator_id = ? OR (t.to_operator_id = ? AND t.state = 'accepted'))))))`)
		args = append(args, f.Reader, f.Reader, f.Reader, f.Reader, f.Reader)
	}
	return b.String(), args
}

// pgSearch runs a search's queries on PostgreSQL in a read-only transaction whose statements
// are planned for their own arguments (plan_cache_mode = force_custom_plan): the driver
// prepares statements, and after a few runs PostgreSQL may keep one generic plan for all
// words, which cannot tell a common word (read the newest rows backwards) from a rare one
// (read its few matches through the GIN index) — seconds instead of milliseconds.
type pgSearch struct {
	tx *sql.Tx
	c  *stmtCache
}

func (p pgSearch) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	rows, err := p.tx.QueryContext(ctx, p.c.sql(q), p.c.args(args)...)
	return rows, unavailable(err)
}

func (p pgSearch) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return p.tx.QueryRowContext(ctx, p.c.sql(q), p.c.args(args)...)
}

// searchReader is where a search reads: the read pool on SQLite, a pgSearch transaction on
// PostgreSQL; done ends it.
func (s *Store) searchReader(ctx context.Context) (q querier, done func(), err error) {
	if !s.pg {
		return s.rq, func() {}, nil
	}
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, nil, unavailable(err)
	}
	if _, err := tx.ExecContext(ctx, `SET LOCAL plan_cache_mode = force_custom_plan`); err != nil {
		tx.Rollback()
		return nil, nil, unavailable(err)
	}
	return pgSearch{tx: tx, c: s.rq.c}, func() { tx.Rollback() }, nil
}

// idList is a subquery of the ids in a JSON array (one argument, so the statement's text
// does not depend on how many).
func (s *Store) idList() string {
	if s.pg {
		return `(SELECT jsonb_array_elements_text(?::jsonb)::bigint AS value)`
	}
	return `(SELECT value FROM json_each(?))`
}

func jsonIDs(ids []livedesk.ID) string {
	b, _ := json.Marshal(ids)
	return string(b)
}

// SearchMessages looks at up to q.Scan of the newest messages of the account whose text
// matches every term (older than q.Before) and keeps those the filter lets through.
func (s *Store) SearchMessages(ctx context.Context, q livedesk.MessageSearch) (*livedesk.MessageHits, error) {
	out := &livedesk.MessageHits{Messages: []*livedesk.Message{}}
	if len(q.Terms) == 0 || q.Scan <= 0 {
		return out, nil
	}
	rd, done, err := s.searchReader(ctx)
	if err != nil {
		return nil, err
	}
	defer done()
	ids, err := s.matchingMessages(ctx, rd, q)
	if err != nil {
		return nil, err
	}
	if len(ids) == q.Scan {
		out.Next = ids[len(ids)-1]
	}
	if len(ids) == 0 {
		return out, nil
	}
	filter, fargs := searchFilter(q.SearchFilter, "m.created_at")
	rows, err := rd.QueryContext(ctx, `SELECT m.id, m.conversation_id, m.author_type, m.author_id, m.author_name, m.kind,
		m.text, m.created_at FROM messages m JOIN conversations c ON c.id = m.conversation_id
		WHERE m.id IN `+s.idList()+` AND m.account_id = ?`+filter+` ORDER BY m.id DESC`,
		append([]any{jsonIDs(ids), q.Account}, fargs...)...)
	if err != nil {
		return nil, fmt.Errorf("search messages: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		m := &livedesk.Message{Attachments: []livedesk.Attachment{}}
		var created int64
		if err := rows.Scan(&m.ID, &m.ConversationID, &m.Author.Type, &m.Author.ID, &m.Author.Name, &m.Kind, &m.Text, &created); err != nil {
			return nil, err
		}
		m.CreatedAt = fromMS(created)
		out.Messages = append(out.Messages, m)
	}
	return out, rows.Err()
}

// matchingMessages returns the ids of up to q.Scan of the account's newest messages (below
// q.Before) whose text matches, newest first.
func (s *Store) matchingMessages(ctx context.Context, rd querier, q livedesk.MessageSearch) ([]livedesk.ID, error) {
	var query string
	var args []any
	if s.pg {
		// The query's words are folded as the column is (ё as е); the russian configuration
		// stems them as it stemmed the text. A phrase keeps its stop words as gaps.
		var tsq []string
		var plain []string
		for _, t := range q.Terms {
			if t.Phrase {
				tsq = append(tsq, `phraseto_tsquery('russian', ?)`)
				args = append(args, strings.Join(t.Words, " "))
			} else {
				plain = append(plain, t.Words...)
			}
		}
		if len(plain) > 0 {
			tsq = append(tsq, `plainto_tsquery('russian', ?)`)
			args = append(args, strings.Join(plain, " "))
		}
		query = `SELECT id FROM messages WHERE search @@ (` + strings.Join(tsq, ` && `) + `) AND account_id = ?`
		args = append(args, q.Account)
		// The time range narrows the scan itself here (SQLite's index knows no time).
		if !q.From.IsZero() {
			query += ` AND created_at >= ?`
			args = append(args, ms(q.From))
		}
		if !q.To.IsZero() {
			query += ` AND created_at < ?`
			args = append(args, ms(q.To))
		}
	} else {
		terms := make([]search.Term, len(q.Terms))
		for i, t := range q.Terms {
			terms[i] = search.Term{Words: t.Words, Phrase: t.Phrase}
		}
		query = `SELECT rowid FROM message_search WHERE message_search MATCH ?`
		args = append(args, search.Query{Terms: terms}.FTS5(int64(q.Account)))
	}
	id := `rowid`
	if s.pg {
		id = `id`
	}
	if q.Before != 0 {
		query += ` AND ` + id + ` < ?`
		args = append(args, q.Before)
	}
	query += ` ORDER BY ` + id + ` DESC LIMIT ?`
	args = append(args, q.Scan)
	rows, err := rd.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("search index: %w", err)
	}
	ids, err := scanIDs(rows)
	if ids == nil {
		ids = []livedesk.ID{}
	}
	return ids, err
}

// ConversationsByID reads conversations of the account by id, in no order; ids of other
// accounts or of none are left out.
func (s *Store) ConversationsByID(ctx context.Context, account livedesk.ID, ids []livedesk.ID) ([]*livedesk.Conversation, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	// The ids drive (CROSS JOIN: SQLite would rather walk the account's conversations).
	join := "CROSS JOIN"
	if s.pg {
		join = "JOIN"
	}
	rows, err := s.rq.QueryContext(ctx, `SELECT `+conversationColumns+` FROM `+s.idList()+` ids `+join+
		` conversations c ON c.id = ids.value`+conversationJoins+`WHERE c.account_id = ?`, jsonIDs(ids), account)
	return collect(rows, err, scanConversation)
}

// visitorScan is how many of the newest matching visitors a visitor search looks at.
const visitorScan = 500

// SearchVisitors returns up to q.Limit conversations the filter lets through whose visitor's
// name or email contains every word, or whose phone's digits contain q.Phone; by their last
// message, newest first.
func (s *Store) SearchVisitors(ctx context.Context, q livedesk.VisitorSearch) ([]livedesk.VisitorHit, error) {
	if (len(q.Words) == 0 && q.Phone == "") || q.Limit <= 0 {
		return []livedesk.VisitorHit{}, nil
	}
	var visitors string
	var args []any
	if s.pg {
		var conds []string
		var words []string
		for _, w := range q.Words {
			words = append(words, `(lower(translate(name, 'Ёё', 'Ее')) || ' ' || lower(email)) LIKE ?`)
			args = append(args, "%"+likeEscape(w)+"%")
		}
		if len(words) > 0 {
			conds = append(conds, `(`+strings.Join(words, ` AND `)+`)`)
		}
		if q.Phone != "" {
			conds = append(conds, `regexp_replace(phone, '[^0-9]', '', 'g') LIKE ?`)
			args = append(args, "%"+q.Phone+"%")
		}
		visitors = `SELECT id AS vid FROM visitors WHERE (` + strings.Join(conds, ` OR `) + `) AND account_id = ? ORDER BY id DESC LIMIT ?`
	} else {
		var conds []string
		if len(q.Words) > 0 {
			quoted := make([]string, len(q.Words))
			for i, w := range q.Words {
				quoted[i] = `"` + strings.ReplaceAll(w, `"`, `""`) + `"`
			}
			conds = append(conds, `({name email} : (`+strings.Join(quoted, ` AND `)+`))`)
		}
		if q.Phone != "" {
			conds = append(conds, `(phone : "`+q.Phone+`")`)
		}
		visitors = `SELECT vs.rowid AS vid FROM visitor_search vs JOIN visitors v ON v.id = vs.rowid
			WHERE visitor_search MATCH ? AND v.account_id = ? ORDER BY vs.rowid DESC LIMIT ?`
		args = append(args, strings.Join(conds, ` OR `))
	}
	args = append(args, q.Account, visitorScan)
	filter, fargs := searchFilter(q.SearchFilter, "c.last_message_at")
	args = append(args, fargs...)
	args = append(args, q.Limit)
	// The matching visitors drive (CROSS JOIN keeps SQLite from scanning the account's
	// conversations by another index and testing each against the list).
	join := "CROSS JOIN"
	if s.pg {
		join = "JOIN"
	}
	rd, done, err := s.searchReader(ctx)
	if err != nil {
		return nil, err
	}
	defer done()
	rows, err := rd.QueryContext(ctx, `SELECT `+conversationColumns+` FROM (`+visitors+`) found `+join+
		` conversations c ON c.visitor_id = found.vid`+conversationJoins+`WHERE 1 = 1`+filter+
		` ORDER BY c.last_message_at DESC, c.id DESC LIMIT ?`, args...)
	convs, err := collect(rows, err, scanConversation)
	if err != nil {
		return nil, fmt.Errorf("search visitors: %w", err)
	}
	out := make([]livedesk.VisitorHit, 0, len(convs))
	seen := map[livedesk.ID]*livedesk.Visitor{}
	for _, c := range convs {
		v := seen[c.Visitor.ID]
		if v == nil {
			if v, err = getVisitor(ctx, s.rq, q.Account, c.Visitor.ID); err != nil {
				return nil, err
			}
			seen[v.ID] = v
		}
		out = append(out, livedesk.VisitorHit{Conversation: c, Visitor: v})
	}
	return out, nil
}

// likeEscape escapes LIKE's wildcards (PostgreSQL's default escape character is \).
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// RebuildSearch rebuilds the search indexes from the messages and visitors (livedesk
// search-reindex): on SQLite in steps of batch messages, each a write of its own (the
// server may go on running; a message being rebuilt is briefly missing from results), on
// PostgreSQL by REINDEX of the indexes (the generated column is kept by every write).
// progress, when not nil, is told how far the rebuild is (message ids up to done of last).
func (s *Store) RebuildSearch(ctx context.Context, batch int, progress func(done, last livedesk.ID)) error {
	if s.pg {
		for _, ix := range []string{"messages_search", "visitors_search", "visitors_phone"} {
			if _, err := s.write.ExecContext(ctx, `REINDEX INDEX `+ix); err != nil {
				return fmt.Errorf("reindex %s: %w", ix, err)
			}
		}
		return nil
	}
	if batch <= 0 {
		batch = 10_000
	}
	var last livedesk.ID
	if err := s.rq.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM messages`).Scan(&last); err != nil {
		return err
	}
	for from := livedesk.ID(0); from <= last; from += livedesk.ID(batch) {
		to := from + livedesk.ID(batch)
		err := s.Write(ctx, func(t livedesk.Tx) error {
			tx := t.(*Tx)
			// The last step also drops what the index holds above the newest message.
			del, args := `DELETE FROM message_search WHERE rowid >= ? AND rowid < ?`, []any{from, to}
			if to > last {
				del, args = `DELETE FROM message_search WHERE rowid >= ?`, []any{from}
			}
			if _, err := tx.exec(del, args...); err != nil {
				return err
			}
			_, err := tx.exec(`INSERT INTO message_search(rowid, terms) SELECT id, livedesk_search_terms(account_id, text)
				FROM messages WHERE id >= ? AND id < ? AND kind IN ('text', 'comment')`, from, to)
			return err
		})
		if err != nil {
			return fmt.Errorf("rebuild message index: %w", err)
		}
		if progress != nil {
			progress(min(to-1, last), last)
		}
	}
	return s.Write(ctx, func(t livedesk.Tx) error {
		tx := t.(*Tx)
		if _, err := tx.exec(`INSERT INTO visitor_search(visitor_search) VALUES ('delete-all')`); err != nil {
			return err
		}
		if _, err := tx.exec(`INSERT INTO visitor_search(rowid, name, email, phone) SELECT id, livedesk_search_fold(name),
			livedesk_search_fold(email), livedesk_search_digits(phone) FROM visitors`); err != nil {
			return err
		}
		_, err := tx.exec(`INSERT INTO message_search(message_search) VALUES ('optimize')`)
		return err
	})
}

// SearchIndexSize is the size in bytes of the search indexes (the benchmark reports it): on
// SQLite the pages of the FTS5 tables' shadow tables (dbstat), on PostgreSQL the GIN and
// trigram indexes and the generated column's share of the messages table.
func (s *Store) SearchIndexSize(ctx context.Context) (int64, error) {
	var n int64
	var err error
	if s.pg {
		err = s.rq.QueryRowContext(ctx, `SELECT pg_relation_size('messages_search') + pg_relation_size('visitors_search')
			+ pg_relation_size('visitors_phone') + COALESCE((SELECT SUM(pg_column_size(search)) FROM messages), 0)`).Scan(&n)
	} else {
		err = s.rq.QueryRowContext(ctx, `SELECT COALESCE(SUM(pgsize), 0) FROM dbstat
			WHERE name LIKE 'message\_search\_%' ESCAPE '\' OR name LIKE 'visitor\_search\_%' ESCAPE '\'`).Scan(&n)
	}
	return n, err
}

// Analyze gathers the planner's statistics (the search benchmark, after its load): ANALYZE
// on PostgreSQL, where the search's plan depends on how common a word is; nothing on SQLite.
func (s *Store) Analyze(ctx context.Context) error {
	if !s.pg {
		return nil
	}
	_, err := s.write.ExecContext(ctx, `ANALYZE`)
	return err
}

// CountMessages is how many messages the account has (the search benchmark).
func (s *Store) CountMessages(ctx context.Context, account livedesk.ID) (int64, error) {
	var n int64
	err := s.rq.QueryRowContext(ctx, `SELECT COUNT(*) FROM messages WHERE account_id = ?`, account).Scan(&n)
	return n, err
}

// DatabaseSize is the size in bytes of the whole database (the search benchmark).
func (s *Store) DatabaseSize(ctx context.Context) (int64, error) {
	var n int64
	q := `SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()`
	if s.pg {
		q = `SELECT pg_database_size(current_database())`
	}
	err := s.rq.QueryRowContext(ctx, q).Scan(&n)
	return n, err
}
