package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"livedesk/internal/config"
	"livedesk/internal/desk"
	"livedesk/internal/livedesk"
	"livedesk/internal/store/sqlstore"
)

// `livedesk search-bench` (docs/benchmarks.md § Search): it seeds an account of the
// configured database with N messages of synthetic Russian and English text (a Zipf
// vocabulary of 50,000 words, some of them real ones in their forms, so common, middling and
// rare words all exist), spread over a year, in conversations of about 20 messages, most of
// them closed by one of 20 operators; then it times one-word searches through the desk
// (desk.Search, the work of GET /api/v1/search without HTTP), as a supervisor (the whole
// account) and as one of the operators (the read rule), and reports p50/p99 per word class,
// the index size and the seed rate. A database already seeded with at least N messages
// is reused, so a 10M seed is paid once.

// SearchBenchOptions configure SearchBench.
type SearchBenchOptions struct {
	// Messages is how many messages the bench account holds (default 1,000,000).
	Messages int
	// Queries is how many searches each class runs (default 200).
	Queries int
	Log     *slog.Logger
}

// SearchBenchReport is what SearchBench measured.
type SearchBenchReport struct {
	Database string `json:"database"`
	Messages int64  `json:"messages"`
	// Seeded is how many messages this run added, at SeedRate per second.
	Seeded   int64   `json:"seeded"`
	SeedRate float64 `json:"seed_messages_per_second,omitempty"`
	// IndexBytes is the size of the search indexes; DatabaseBytes the whole database's.
	IndexBytes    int64          `json:"index_bytes"`
	DatabaseBytes int64          `json:"database_bytes"`
	Classes       []SearchTiming `json:"classes"`
	// All is every one-word search of the run together.
	All SearchTiming `json:"all_one_word"`
	// LoadAverage is the machine's one-minute load average before and after the searches
	// (/proc/loadavg): others' work shares the cores.
	LoadAverage [2]string `json:"load_average"`
}

// SearchTiming is the timing of one class of searches.
type SearchTiming struct {
	Class   string  `json:"class"`
	Reader  string  `json:"reader"`
	Queries int     `json:"queries"`
	P50ms   float64 `json:"p50_ms"`
	P99ms   float64 `json:"p99_ms"`
	MaxMs   float64 `json:"max_ms"`
	// CPUP50ms and CPUP99ms are the process's CPU time per search (user and system): what
	// the search costs the machine, whatever else ran on it meanwhile (the wall times above
	// include waiting for a core on a busy machine).
	CPUP50ms float64 `json:"cpu_p50_ms"`
	CPUP99ms float64 `json:"cpu_p99_ms"`
	// Results is the mean number of conversations a search found (a page holds 20).
	Results float64 `json:"mean_results"`
}

// benchClock is the clock the seeding moves forward, so the messages span a year.
type benchClock struct{ now atomic.Int64 }

func (c *benchClock) Now() time.Time { return time.UnixMilli(c.now.Load()).UTC() }

const (
	benchAccount   = "search-bench"
	benchOperators = 20
	benchVocab     = 50_000
)

// benchWord is the word of a vocabulary rank (0 most common): real words at a few ranks,
// pseudo-words of Cyrillic syllables (every fifth Latin) elsewhere.
func benchWord(rank int, r *rand.Rand) string {
	if w, ok := benchRealWords[rank]; ok {
		forms := w
		return forms[r.IntN(len(forms))]
	}
	cons, vows := []rune("бвгдзклмнпрстфхчшж"), []rune("аеиоуыя")
	lat, latv := []rune("bcdfgklmnprstvz"), []rune("aeiou")
	if rank%5 == 0 {
		cons, vows = lat, latv
	}
	var b strings.Builder
	n := rank
	for range 2 + rank%3 {
		b.WriteRune(cons[n%len(cons)])
		n /= len(cons)
		b.WriteRune(vows[n%len(vows)])
		n /= len(vows)
		n += rank * 7
	}
	// endings that the stemmers strip, so forms of one pseudo-word share a stem
	if rank%5 != 0 {
		b.WriteString([]string{"", "а", "ом", "ы", "ой"}[r.IntN(5)])
	} else {
		b.WriteString([]string{"", "s", "ed", "ing"}[r.IntN(4)])
	}
	return b.String()
}

// benchRealWords are real words at chosen ranks, with their forms.
var benchRealWords = map[int][]string{
	3: {"заказ", "заказа", "заказы", "заказом", "заказу"}, 8: {"доставка", "доставку", "доставки", "доставкой"},
	15: {"оплата", "оплату", "оплаты"}, 40: {"order", "orders", "ordered"}, 120: {"возврат", "возврата", "возвратом"},
	400: {"курьер", "курьера", "курьером"}, 1500: {"гарантия", "гарантию", "гарантии"},
	6000: {"refund", "refunds", "refunded"}, 20000: {"накладная", "накладную", "накладной"},
}

// benchClasses are the one-word queries timed, by how common the word is.
var benchClasses = []struct {
	name     string
	from, to int // vocabulary ranks the query words come from
	// names: the queries are visitors' first names (found by the visitor index, and by
	// text where a word has that stem), timed apart from the one-word text searches.
	names bool
}{
	{"common (ranks 1-50)", 0, 50, false},
	{"middling (ranks 50-2,000)", 50, 2000, false},
	{"rare (ranks 2,000-50,000)", 2000, benchVocab, false},
	{"a visitor's first name", 0, 0, true},
}

// benchNames and benchSurnames make the visitors' names.
var (
	benchNames = []string{"Анна", "Алёна", "Борис", "Вера", "Глеб", "Дарья", "Егор", "Ирина", "Кирилл", "Мария", "Олег", "Пётр",
		"Светлана", "John", "Emma", "Ольга", "Сергей", "Татьяна"}
	benchSurnames = []string{"Иванова", "Петрова", "Смирнов", "Кузнецов", "Попова", "Соколов", "Smith", "Brown", "Орлова", "Лебедев"}
)

// SearchBench seeds (or reuses) the bench account in the configured database and times
// searches in it.
func SearchBench(ctx context.Context, cfg config.Config, opts SearchBenchOptions) (*SearchBenchReport, error) {
	if opts.Messages <= 0 {
		opts.Messages = 1_000_000
	}
	if opts.Queries <= 0 {
		opts.Queries = 200
	}
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	clock := &benchClock{}
	clock.now.Store(time.Now().UnixMilli())
	st, err := openStore(cfg, clock, opts.Log)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	d := desk.New(st, opts.Log)
	d.Configure(desk.Options{BcryptCost: 4})
	rep := &SearchBenchReport{Database: cfg.DatabaseName()}

	acct, staff, ops, err := benchTeam(ctx, st, d)
	if err != nil {
		return nil, err
	}
	have, err := benchMessages(ctx, st, acct)
	if err != nil {
		return nil, err
	}
	if missing := int64(opts.Messages) - have; missing > 0 {
		start := time.Now()
		if err := benchSeed(ctx, st, clock, acct, ops, have, missing, opts.Log); err != nil {
			return nil, err
		}
		rep.Seeded = missing
		rep.SeedRate = float64(missing) / time.Since(start).Seconds()
		// After a load this big autovacuum would gather the statistics by itself, a while
		// later; until then PostgreSQL's planner guesses a word is rare and reads all its
		// matches (seconds for a common word) instead of the newest.
		if err := st.Analyze(ctx); err != nil {
			return nil, err
		}
	}
	if rep.Messages, err = benchMessages(ctx, st, acct); err != nil {
		return nil, err
	}
	if rep.IndexBytes, err = st.SearchIndexSize(ctx); err != nil {
		return nil, err
	}
	if rep.DatabaseBytes, err = st.DatabaseSize(ctx); err != nil {
		return nil, err
	}

	r := rand.New(rand.NewPCG(7, 7))
	rep.LoadAverage[0] = loadAverage()
	var all, allCPU []time.Duration
	for _, reader := range []struct {
		name string
		op   *livedesk.Operator
	}{{"supervisor (whole account)", staff}, {"operator (read rule)", ops[0]}} {
		for _, class := range benchClasses {
			queries := make([]string, opts.Queries)
			for i := range queries {
				if class.names {
					queries[i] = benchNames[r.IntN(len(benchNames))]
				} else {
					queries[i] = benchWord(class.from+r.IntN(class.to-class.from), r)
				}
			}
			// one pass to warm the caches, one timed
			for _, q := range queries[:min(len(queries), 20)] {
				if _, err := d.Search(ctx, reader.op, desk.SearchRequest{Q: q}); err != nil {
					return nil, err
				}
			}
			var times, cpu []time.Duration
			found := 0
			for _, q := range queries {
				start, startCPU := time.Now(), cpuTime()
				page, err := d.Search(ctx, reader.op, desk.SearchRequest{Q: q})
				if err != nil {
					return nil, fmt.Errorf("search %q: %w", q, err)
				}
				times = append(times, time.Since(start))
				cpu = append(cpu, cpuTime()-startCPU)
				found += len(page.Results)
			}
			if !class.names {
				all, allCPU = append(all, times...), append(allCPU, cpu...)
			}
			tm := timing(class.name, reader.name, times, cpu)
			tm.Results = float64(found) / float64(len(queries))
			rep.Classes = append(rep.Classes, tm)
			opts.Log.Info("search bench", "class", class.name, "reader", reader.name, "p50_ms", tm.P50ms, "p99_ms", tm.P99ms,
				"mean_results", tm.Results)
		}
	}
	rep.All = timing("all one-word text searches", "both", all, allCPU)
	rep.LoadAverage[1] = loadAverage()
	return rep, nil
}

func timing(class, reader string, times, cpu []time.Duration) SearchTiming {
	slices.Sort(times)
	slices.Sort(cpu)
	at := func(d []time.Duration, p float64) float64 {
		i := int(p * float64(len(d)-1))
		return float64(d[i].Microseconds()) / 1000
	}
	return SearchTiming{Class: class, Reader: reader, Queries: len(times), P50ms: at(times, 0.50), P99ms: at(times, 0.99),
		MaxMs: at(times, 1), CPUP50ms: at(cpu, 0.50), CPUP99ms: at(cpu, 0.99)}
}

// cpuTime is the CPU time the process has used (user and system).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// loadAverage is the one-minute load average ("" where /proc has none).
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// benchTeam finds or creates the bench account: its admin (the supervisor's view) and
// the operators.
func benchTeam(ctx context.Context, st *sqlstore.Store, d *desk.Desk) (acct livedesk.ID, staff *livedesk.Operator, ops []*livedesk.Operator, err error) {
	ids, err := st.AccountIDs(ctx)
	if err != nil {
		return 0, nil, nil, err
	}
	for _, id := range ids {
		a, err := st.Account(ctx, id)
		if err != nil {
			return 0, nil, nil, err
		}
		if a.Name == benchAccount {
			acct = id
			break
		}
	}
	if acct == 0 {
		a, _, err := d.CreateAccount(ctx, benchAccount, desk.NewOperator{Name: "Admin",
			Email: fmt.Sprintf("search-bench-%d@bench.test", time.Now().UnixNano()), Password: "bench-password"}, 4)
		if err != nil {
			return 0, nil, nil, err
		}
		acct = a.ID
		err = st.Write(ctx, func(tx livedesk.Tx) error {
			for i := range benchOperators {
				o := &livedesk.Operator{AccountID: acct, Name: fmt.Sprintf("Оператор %d", i+1),
					Email: fmt.Sprintf("op%d-%d@bench.test", i+1, acct), PasswordHash: "x", Role: livedesk.RoleOperator, Limit: 10}
				if err := tx.CreateOperator(o); err != nil {
					return err
				}
			}
			for _, ch := range []livedesk.Channel{livedesk.ChannelWebchat, livedesk.ChannelEmail} {
				if err := tx.CreateContactPoint(&livedesk.ContactPoint{AccountID: acct, Name: string(ch), Channel: ch,
					Key: fmt.Sprintf("bench-%s-%d", ch, acct)}); err != nil {
					return err
				}
			}
			return tx.CreateCategory(acct, &livedesk.Category{Name: "Вопрос"})
		})
		if err != nil {
			return 0, nil, nil, err
		}
	}
	all, err := st.Operators(ctx, acct)
	if err != nil {
		return 0, nil, nil, err
	}
	for _, o := range all {
		if o.Role.Staff() && staff == nil {
			staff = o
		} else if !o.Role.Staff() {
			ops = append(ops, o)
		}
	}
	slices.SortFunc(ops, func(a, b *livedesk.Operator) int { return int(a.ID - b.ID) })
	if staff == nil || len(ops) == 0 {
		return 0, nil, nil, errors.New("the search-bench account has no admin or operators")
	}
	return acct, staff, ops, nil
}

func benchMessages(ctx context.Context, st *sqlstore.Store, acct livedesk.ID) (int64, error) {
	return st.CountMessages(ctx, acct)
}

// benchSeed adds n messages to the account after the have it holds, in writes of about
// 2,000 messages, moving the clock so that all of them span a year ending now.
func benchSeed(ctx context.Context, st *sqlstore.Store, clock *benchClock, acct livedesk.ID, ops []*livedesk.Operator,
	have, n int64, log *slog.Logger) error {
	cps, err := st.ContactPoints(ctx, acct)
	if err != nil {
		return err
	}
	cats, err := st.Categories(ctx, acct)
	if err != nil || len(cats) == 0 {
		return fmt.Errorf("bench categories: %v", err)
	}
	r := rand.New(rand.NewPCG(uint64(have), 11))
	zipf := rand.NewZipf(r, 1.07, 2, benchVocab-1)
	const span = 365 * 24 * time.Hour
	start := time.Now().Add(-span)
	var done int64
	last := time.Now()
	for done < n {
		clock.now.Store(start.Add(time.Duration(float64(span) * float64(have+done) / float64(have+n))).UnixMilli())
		batch := int64(0)
		err := st.Write(ctx, func(tx livedesk.Tx) error {
			for batch < 2000 && done+batch < n {
				cp := cps[r.IntN(len(cps))]
				v := &livedesk.Visitor{AccountID: acct, ContactPointID: cp.ID}
				if r.IntN(10) < 7 {
					v.Name = benchNames[r.IntN(len(benchNames))] + " " + benchSurnames[r.IntN(len(benchSurnames))]
				}
				if r.IntN(10) < 3 {
					v.Email = fmt.Sprintf("client%d@example.test", r.IntN(1_000_000))
				}
				if r.IntN(10) < 3 {
					v.Phone = fmt.Sprintf("+7 9%02d %03d-%02d-%02d", r.IntN(100), r.IntN(1000), r.IntN(100), r.IntN(100))
				}
				if err := tx.CreateVisitor(v); err != nil {
					return err
				}
				conv, err := tx.CreateConversation(acct, cp, v.ID)
				if err != nil {
					return err
				}
				op := ops[r.IntN(len(ops))]
				k := r.IntN(100)
				if k > 0 {
					if err := tx.AssignConversation(conv, op.ID); err != nil {
						return err
					}
				}
				lines := 4 + r.IntN(33)
				for i := 0; i < lines && done+batch < n; i++ {
					m := &livedesk.Message{ConversationID: conv, Kind: livedesk.KindText,
						Author: livedesk.Author{Type: livedesk.AuthorVisitor, ID: v.ID, Name: v.Name}}
					if i%2 == 1 {
						m.Author = livedesk.Author{Type: livedesk.AuthorOperator, ID: op.ID, Name: op.Name}
						if r.IntN(20) == 0 {
							m.Kind = livedesk.KindComment
						}
					}
					words := make([]string, 4+r.IntN(20))
					for j := range words {
						words[j] = benchWord(int(zipf.Uint64()), r)
					}
					m.Text = strings.Join(words, " ")
					if err := tx.InsertMessage(acct, m); err != nil {
						return err
					}
					batch++
				}
				if k > 2 {
					if err := tx.CloseConversation(conv, op.ID, cats[0].ID); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("seed: %w", err)
		}
		done += batch
		if time.Since(last) > 10*time.Second {
			log.Info("search bench seeding", "messages", have+done, "of", have+n)
			last = time.Now()
		}
	}
	return nil
}

// ReindexSearch rebuilds the search indexes of the configured database (`livedesk
// search-reindex`) and returns the size of the indexes after it; progress is told how far
// it is (SQLite: message ids done of the last).
func ReindexSearch(ctx context.Context, cfg config.Config, log *slog.Logger, progress func(done, last livedesk.ID)) (int64, error) {
	st, err := openStore(cfg, nil, log)
	if err != nil {
		return 0, err
	}
	defer st.Close()
	if err := st.RebuildSearch(ctx, 0, progress); err != nil {
		return 0, err
	}
	return st.SearchIndexSize(ctx)
}

// HistorySeed is a past conversation written as it happened (`livedesk seed-history`): the
// demo's and the browser tests' conversations of last week, which no clock of a running
// server can make. The store's clock is set to each message's time.
type HistorySeed struct {
	// ContactPointKey names the contact point (and so the account).
	ContactPointKey string `json:"contact_point_key"`
	Visitor         struct {
		Name  string `json:"name"`
		Email string `json:"email"`
		Phone string `json:"phone"`
	} `json:"visitor"`
	// OperatorEmail is the operator it was assigned to ("": it stayed in the queue).
	OperatorEmail string `json:"operator_email"`
	// Closed closes it after its last message, with CategoryID (0: none).
	Closed     bool        `json:"closed"`
	CategoryID livedesk.ID `json:"category_id"`
	// At is the time of the first message; each message comes AfterSeconds after the one
	// before it.
	At       time.Time `json:"at"`
	Messages []struct {
		// Author is visitor, operator or comment (the operator's internal comment).
		Author       string `json:"author"`
		Text         string `json:"text"`
		AfterSeconds int    `json:"after_seconds"`
	} `json:"messages"`
}

// SeededConversation is what seed-history wrote for one HistorySeed.
type SeededConversation struct {
	ConversationID livedesk.ID   `json:"conversation_id"`
	MessageIDs     []livedesk.ID `json:"message_ids"`
}

// SeedHistory writes past conversations into the configured database, each in one
// transaction at its own times; nothing is announced to running servers (their apps read
// the history when they open it).
func SeedHistory(ctx context.Context, cfg config.Config, log *slog.Logger, seeds []HistorySeed) ([]SeededConversation, error) {
	clock := &benchClock{}
	st, err := openStore(cfg, clock, log)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	out := make([]SeededConversation, 0, len(seeds))
	for i, sd := range seeds {
		cp, err := st.ContactPointByKey(ctx, sd.ContactPointKey)
		if err != nil {
			return nil, fmt.Errorf("conversation %d: contact point: %w", i, err)
		}
		var op *livedesk.Operator
		if sd.OperatorEmail != "" {
			if op, err = st.OperatorByEmail(ctx, sd.OperatorEmail); err != nil || op.AccountID != cp.AccountID {
				return nil, fmt.Errorf("conversation %d: operator %s is not of the contact point's account", i, sd.OperatorEmail)
			}
		}
		at := sd.At
		if at.IsZero() {
			return nil, fmt.Errorf("conversation %d: at is required", i)
		}
		res := SeededConversation{}
		// Every message is a write of its own, at its own time on the store's clock.
		var visitor *livedesk.Visitor
		step := func(t time.Time, fn func(tx livedesk.Tx) error) error {
			clock.now.Store(t.UnixMilli())
			return st.Write(ctx, fn)
		}
		err = step(at, func(tx livedesk.Tx) error {
			visitor = &livedesk.Visitor{AccountID: cp.AccountID, ContactPointID: cp.ID, Name: sd.Visitor.Name,
				Email: sd.Visitor.Email, Phone: sd.Visitor.Phone}
			if err := tx.CreateVisitor(visitor); err != nil {
				return err
			}
			if res.ConversationID, err = tx.CreateConversation(cp.AccountID, cp, visitor.ID); err != nil {
				return err
			}
			if op != nil {
				return tx.AssignConversation(res.ConversationID, op.ID)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("conversation %d: %w", i, err)
		}
		for j, m := range sd.Messages {
			at = at.Add(time.Duration(m.AfterSeconds) * time.Second)
			msg := &livedesk.Message{ConversationID: res.ConversationID, Kind: livedesk.KindText, Text: m.Text,
				Author: livedesk.Author{Type: livedesk.AuthorVisitor, ID: visitor.ID, Name: visitor.Name}}
			switch m.Author {
			case "visitor":
			case "operator", "comment":
				if op == nil {
					return nil, fmt.Errorf("conversation %d, message %d: an operator's message needs operator_email", i, j)
				}
				msg.Author = livedesk.Author{Type: livedesk.AuthorOperator, ID: op.ID, Name: op.Name}
				if m.Author == "comment" {
					msg.Kind = livedesk.KindComment
				}
			default:
				return nil, fmt.Errorf("conversation %d, message %d: author must be visitor, operator or comment", i, j)
			}
			err := step(at, func(tx livedesk.Tx) error {
				if err := tx.InsertMessage(cp.AccountID, msg); err != nil {
					return err
				}
				if msg.Kind == livedesk.KindComment {
					return nil
				}
				lm := livedesk.LastMessage{Text: msg.Text, Author: msg.Author.Type, AuthorID: msg.Author.ID, AuthorName: msg.Author.Name, At: at}
				return tx.TouchLastMessage(res.ConversationID, lm, false)
			})
			if err != nil {
				return nil, fmt.Errorf("conversation %d, message %d: %w", i, j, err)
			}
			res.MessageIDs = append(res.MessageIDs, msg.ID)
		}
		if sd.Closed {
			err := step(at.Add(time.Minute), func(tx livedesk.Tx) error {
				var by livedesk.ID
				if op != nil {
					by = op.ID
				}
				return tx.CloseConversation(res.ConversationID, by, sd.CategoryID)
			})
			if err != nil {
				return nil, fmt.Errorf("conversation %d: close: %w", i, err)
			}
		}
		out = append(out, res)
	}
	return out, nil
}
