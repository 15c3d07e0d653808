package httpapi

import (
	"bytes"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"livedesk/internal/desk"
	"livedesk/internal/guard"
	"livedesk/internal/livedesk"
)

// Ratings (issue 17): the widget's POST /api/v1/widget/rating, and the rating page of an
// email conversation's closing mail, /rate/{token}: a small server-rendered form (no script,
// no login), the token naming the conversation and its visitor (auth.RatingClaims).

// widgetRate is a visitor rating a conversation of theirs from the widget.
func (s *Server) widgetRate(w http.ResponseWriter, r *http.Request, c *call) error {
	if err := checkOrigin(r, c.cp); err != nil {
		return err
	}
	if err := s.allowVisitor(r, actMessage, c.cp); err != nil {
		return err
	}
	var in desk.RatingInput
	if err := s.readJSON(w, r, &in); err != nil {
		return err
	}
	rating, err := s.desk.Rate(r.Context(), desk.Rater{AccountID: c.visitor.AccountID, VisitorID: c.visitor.VisitorID,
		Source: livedesk.RatingFromWidget}, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, rating)
}

// ratingPagesPerMinute is how many rating page requests (views and sends) one address may
// make a minute: a visitor needs two or three, guessing links gets nowhere.
const ratingPagesPerMinute = 20

// maxRatingForm bounds the body of the rating page's form.
const maxRatingForm = 16 << 10

func (s *Server) allowRatingPage(r *http.Request) error {
	key := "r|" + guard.Key(s.cfg.Limits.Proxies.ClientAddr(r))
	if ok, wait := s.buckets.Take(key, ratingPagesPerMinute, ratingPagesPerMinute, s.desk.Now()); !ok {
		return rateLimited("too many requests from your address; wait a little and try again", wait)
	}
	return nil
}

// ratingPage shows the rating form of a rating link, or what became of the rating.
func (s *Server) ratingPage(w http.ResponseWriter, r *http.Request, c *call) error {
	v := ratingView{Lang: pageLang(r), Done: r.URL.Query().Get("done") == "1"}
	if err := s.allowRatingPage(r); err != nil {
		return s.renderRating(w, r, http.StatusTooManyRequests, v.failed(err))
	}
	claims, err := s.tokens.VerifyRating(r.PathValue("token"))
	if err != nil {
		return s.renderRating(w, r, pageStatus(err), v.failed(err))
	}
	lr, err := s.desk.RatingOfLink(r.Context(), claims.AccountID, claims.VisitorID, claims.ConversationID)
	if err != nil {
		return s.renderRating(w, r, pageStatus(err), v.failed(err))
	}
	v.fill(lr)
	return s.renderRating(w, r, http.StatusOK, v)
}

// ratingSubmit takes the rating form and answers with the page again (303 to it on success,
// so that reloading does not send the form twice).
func (s *Server) ratingSubmit(w http.ResponseWriter, r *http.Request, c *call) error {
	v := ratingView{Lang: pageLang(r)}
	if err := s.allowRatingPage(r); err != nil {
		return s.renderRating(w, r, http.StatusTooManyRequests, v.failed(err))
	}
	claims, err := s.tokens.VerifyRating(r.PathValue("token"))
	if err != nil {
		return s.renderRating(w, r, pageStatus(err), v.failed(err))
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxRatingForm)
	if err := r.ParseForm(); err != nil {
		return s.renderRating(w, r, http.StatusBadRequest, v.failed(livedesk.Errorf(livedesk.CodeInvalidInput, "the form could not be read")))
	}
	in := desk.RatingInput{ConversationID: claims.ConversationID, Scale: r.PostForm.Get("scale"), Comment: r.PostForm.Get("comment")}
	if n, err := strconv.Atoi(r.PostForm.Get("score")); err == nil {
		in.Score = &n
	}
	_, rateErr := s.desk.Rate(r.Context(), desk.Rater{AccountID: claims.AccountID, VisitorID: claims.VisitorID,
		Source: livedesk.RatingFromEmail}, in)
	if rateErr == nil {
		http.Redirect(w, r, "/rate/"+url.PathEscape(r.PathValue("token"))+"?done=1"+langQuery(r), http.StatusSeeOther)
		return nil
	}
	lr, err := s.desk.RatingOfLink(r.Context(), claims.AccountID, claims.VisitorID, claims.ConversationID)
	if err != nil {
		return s.renderRating(w, r, pageStatus(err), v.failed(err))
	}
	v.fill(lr)
	v.Comment = in.Comment
	if in.Score != nil {
		v.Score = *in.Score
	}
	v.Error = ratingErrorText(v.Lang, rateErr)
	return s.renderRating(w, r, pageStatus(rateErr), v)
}

func pageStatus(err error) int {
	return statusOf(livedesk.ErrorCode(err))
}

func langQuery(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l == "en" || l == "ru" {
		return "&lang=" + l
	}
	return ""
}

// pageLang is the page's language: ?lang=, else the browser's first choice of Russian or
// English (Russian when it names neither first).
func pageLang(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l == "en" || l == "ru" {
		return l
	}
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag := strings.ToLower(strings.TrimSpace(strings.SplitN(part, ";", 2)[0]))
		switch {
		case strings.HasPrefix(tag, "ru"):
			return "ru"
		case strings.HasPrefix(tag, "en"):
			return "en"
		}
	}
	return "ru"
}

// ratingView is what the rating page shows.
type ratingView struct {
	Lang    string
	Subject string
	Mailbox string
	Scale   string
	// Rating is the rating given so far; Open that a rating may be given or changed now.
	Rating *livedesk.Rating
	Open   bool
	// Done: the rating was just saved.
	Done bool
	// Score and Comment fill the form (the rating so far, or what was sent).
	Score   int
	Comment string
	// Error is why the form was not taken; Closed why the page has no form.
	Error  string
	Closed string
}

func (v ratingView) failed(err error) ratingView {
	v.Closed = ratingErrorText(v.Lang, err)
	return v
}

func (v *ratingView) fill(lr *desk.LinkRating) {
	v.Subject, v.Mailbox, v.Scale, v.Rating = lr.Subject, lr.Mailbox, lr.Scale, lr.Rating
	v.Score = -1
	if lr.Rating != nil {
		v.Score, v.Comment = lr.Rating.Score, lr.Rating.Comment
		if lr.Rating.Scale != lr.Scale {
			v.Score = -1
		}
	}
	v.Open = lr.Refusal == nil
	if !v.Open && !(lr.Rating != nil && livedesk.ErrorDetails(lr.Refusal)["reason"] == "already_rated") {
		v.Closed = ratingErrorText(v.Lang, lr.Refusal)
	}
}

// ratingErrorText says in the page's language why a rating was not taken.
func ratingErrorText(lang string, err error) string {
	reason := livedesk.ErrorDetails(err)["reason"]
	code := livedesk.ErrorCode(err)
	texts := map[string][2]string{
		"window_passed": {"Время для оценки этого обращения истекло.", "The time to rate this conversation has passed."},
		"already_rated": {"Вы уже оценили это обращение — спасибо!", "You have rated this conversation already — thank you!"},
		"ratings_off":   {"Оценки консультаций сейчас не собираются.", "Ratings are not being collected now."},
		"not_closed":    {"Обращение ещё не закрыто — оценить его можно после закрытия.", "The conversation is still open; it can be rated once it is closed."},
		"not_answered":  {"В этом обращении не было ответа оператора.", "No operator answered this conversation."},
		"scale_changed": {"Форма оценки изменилась — выберите оценку ещё раз.", "The rating form has changed; choose your rating again."},
		"not_found":     {"Ссылка для оценки не работает. Проверьте, что она скопирована целиком.", "This rating link does not work. Check that it was copied whole."},
		"rate_limited":  {"Слишком много запросов. Подождите минуту и попробуйте снова.", "Too many requests. Wait a minute and try again."},
		"invalid_input": {"Выберите оценку.", "Choose a rating."},
		"other":         {"Не получилось сохранить оценку. Попробуйте ещё раз чуть позже.", "Could not save the rating. Try again a little later."},
	}
	key := reason
	if _, ok := texts[key]; !ok {
		key = string(code)
	}
	if code == livedesk.CodeInvalidInput && livedesk.ErrorDetails(err)["field"] == "comment" {
		return map[string]string{"ru": "Комментарий слишком длинный: не больше 1000 символов.", "en": "The comment is too long: at most 1000 characters."}[lang]
	}
	t, ok := texts[key]
	if !ok {
		t = texts["other"]
	}
	if lang == "en" {
		return t[1]
	}
	return t[0]
}

func (s *Server) renderRating(w http.ResponseWriter, r *http.Request, status int, v ratingView) error {
	var buf bytes.Buffer
	if err := ratingTemplate.Execute(&buf, v); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// ratingTexts are the page's words by language.
var ratingTexts = map[string]map[string]string{
	"ru": {"title": "Оцените, пожалуйста, консультацию", "subject": "Обращение", "comment": "Комментарий (необязательно)",
		"send": "Отправить оценку", "change": "Изменить оценку", "thanks": "Спасибо за оценку!", "yours": "Ваша оценка",
		"up": "Хорошо", "down": "Плохо", "star1": "1 — очень плохо", "star2": "2 — плохо", "star3": "3 — нормально",
		"star4": "4 — хорошо", "star5": "5 — отлично", "brand": "Работает на livedesk", "scoreLabel": "Оценка"},
	"en": {"title": "Please rate the support you received", "subject": "Conversation", "comment": "Comment (optional)",
		"send": "Send rating", "change": "Change your rating", "thanks": "Thank you for your rating!", "yours": "Your rating",
		"up": "Good", "down": "Bad", "star1": "1 — very bad", "star2": "2 — bad", "star3": "3 — fair",
		"star4": "4 — good", "star5": "5 — excellent", "brand": "Powered by livedesk", "scoreLabel": "Rating"},
}

var ratingTemplate = template.Must(template.New("rating").Funcs(template.FuncMap{
	"t": func(lang, key string) string { return ratingTexts[lang][key] },
	"stars": func(n int) string {
		if n < 0 || n > 5 {
			return ""
		}
		return strings.Repeat("★", n) + strings.Repeat("☆", 5-n)
	},
	"seq":   func() []int { return []int{5, 4, 3, 2, 1} },
	"label": func(lang string, n int) string { return ratingTexts[lang]["star"+strconv.Itoa(n)] },
}).Parse(`<!doctype html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>{{t .Lang "title"}}</title>
<style>
*{box-sizing:border-box}body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:#f3f4f6;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1f2937;padding:16px}
main{width:100%;max-width:460px;background:#fff;border-radius:18px;box-shadow:0 10px 30px rgba(15,23,42,.12);padding:28px 26px}
h1{font-size:21px;margin:0 0 6px;line-height:1.3}.sub{color:#6b7280;font-size:14px;margin:0 0 20px;overflow-wrap:anywhere}
.stars{display:flex;flex-direction:row-reverse;justify-content:flex-end;gap:4px;border:0;margin:0 0 18px;padding:0}
.stars input,.thumbs input{position:absolute;opacity:0;width:1px;height:1px}
.stars label{font-size:40px;line-height:1;color:#d1d5db;cursor:pointer;padding:2px}
.stars label:hover,.stars label:hover~label,.stars input:checked~label{color:#f59e0b}
.stars input:focus-visible+label,.thumbs input:focus-visible+label{outline:2px solid #2563eb;outline-offset:2px;border-radius:6px}
.thumbs{display:flex;gap:12px;border:0;margin:0 0 18px;padding:0}
.thumbs label{display:flex;align-items:center;gap:8px;border:1px solid #d1d5db;border-radius:12px;padding:10px 18px;font-size:17px;cursor:pointer}
.thumbs input:checked+label{border-color:#2563eb;background:#eff6ff;color:#1d4ed8;font-weight:600}
textarea{width:100%;min-height:96px;border:1px solid #d1d5db;border-radius:12px;padding:10px 12px;font:inherit;resize:vertical}
textarea:focus{outline:none;border-color:#2563eb;box-shadow:0 0 0 3px rgba(37,99,235,.2)}
.lbl{display:block;font-size:14px;color:#374151;margin:0 0 6px}legend{font-size:14px;color:#374151;padding:0;margin:0 0 6px;float:left;width:100%}
button{margin-top:16px;width:100%;border:0;border-radius:12px;background:#2563eb;color:#fff;font:600 16px system-ui,sans-serif;padding:12px;cursor:pointer}
button:hover{background:#1d4ed8}.ok{background:#ecfdf5;color:#065f46;border-radius:12px;padding:12px 14px;margin:0 0 18px}
.err{background:#fef2f2;color:#991b1b;border-radius:12px;padding:12px 14px;margin:0 0 18px}.given{font-size:26px;color:#f59e0b;letter-spacing:2px}
.brand{text-align:center;color:#9ca3af;font-size:12px;margin:18px 0 0}.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
</style></head><body><main>
<h1>{{if and .Rating (not .Open)}}{{t .Lang "thanks"}}{{else}}{{t .Lang "title"}}{{end}}</h1>
{{if .Subject}}<p class="sub">{{t .Lang "subject"}} «{{.Subject}}»{{if .Mailbox}} · {{.Mailbox}}{{end}}</p>{{else if .Mailbox}}<p class="sub">{{.Mailbox}}</p>{{end}}
{{if .Done}}<p class="ok" role="status" data-testid="rating-done">{{t .Lang "thanks"}}</p>{{end}}
{{if .Error}}<p class="err" role="alert" data-testid="rating-error">{{.Error}}</p>{{end}}
{{if .Closed}}<p class="err" role="alert" data-testid="rating-closed">{{.Closed}}</p>{{end}}
{{if and .Rating (not .Open)}}<p>{{t .Lang "yours"}}: {{if eq .Rating.Scale "thumbs"}}{{if eq .Rating.Score 1}}👍 {{t .Lang "up"}}{{else}}👎 {{t .Lang "down"}}{{end}}{{else}}<span class="given" aria-label="{{.Rating.Score}}/5">{{stars .Rating.Score}}</span>{{end}}</p>
{{if .Rating.Comment}}<p>«{{.Rating.Comment}}»</p>{{end}}{{end}}
{{if .Open}}<form method="post" data-testid="rating-form">
<input type="hidden" name="scale" value="{{.Scale}}">
{{if eq .Scale "thumbs"}}<fieldset class="thumbs"><legend>{{t .Lang "scoreLabel"}}</legend>
<input type="radio" id="s1" name="score" value="1" required{{if eq .Score 1}} checked{{end}}><label for="s1">👍 {{t .Lang "up"}}</label>
<input type="radio" id="s0" name="score" value="0"{{if eq .Score 0}} checked{{end}}><label for="s0">👎 {{t .Lang "down"}}</label>
</fieldset>{{else}}<fieldset class="stars"><legend class="sr">{{t .Lang "scoreLabel"}}</legend>
{{$s := .}}{{range seq}}<input type="radio" id="s{{.}}" name="score" value="{{.}}" required{{if eq $s.Score .}} checked{{end}}><label for="s{{.}}" title="{{label $s.Lang .}}" aria-label="{{label $s.Lang .}}">★</label>
{{end}}</fieldset>{{end}}
<label class="lbl" for="comment">{{t .Lang "comment"}}</label>
<textarea id="comment" name="comment" maxlength="1000">{{.Comment}}</textarea>
<button type="submit">{{if .Rating}}{{t .Lang "change"}}{{else}}{{t .Lang "send"}}{{end}}</button>
</form>{{end}}
<p class="brand">{{t .Lang "brand"}}</p>
</main></body></html>`))
