package httpapi

import (
	"html/template"
	"net/http"

	"livedesk/internal/auth"
)

// demoWidgetKey is the widget key of the demo account seeded by `livedesk serve --demo`.
const demoWidgetKey = "demo-widget"

// demoPage serves /demo: a small shop page with the widget installed by its one script tag,
// for the key of ?key= (default: the demo account's). It answers 404 when no webchat contact
// point has that key, so a server without the demo account shows no demo.
func (s *Server) demoPage(w http.ResponseWriter, r *http.Request, c *call) error {
	key := r.URL.Query().Get("key")
	if key == "" {
		key = demoWidgetKey
	}
	cp, err := s.desk.WebchatPoint(r.Context(), key)
	if err != nil {
		return err
	}
	nonce := auth.RandomKey(16)
	page := r.URL.Query().Get("page")
	title, ok := demoPages[page]
	if !ok {
		page, title = "", demoPages[""]
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Security-Policy", demoCSP(nonce))
	return demoTemplate.Execute(w, map[string]any{"Key": key, "Nonce": nonce, "Demo": key == demoWidgetKey, "Name": cp.Name,
		"Page": page, "Title": title, "KeyGiven": r.URL.Query().Get("key") != ""})
}

// demoPages are the demo shop's pages (?page=) and their titles: a visitor walks between
// them by ordinary links (page loads), and the catalogue opens a tea by history.pushState
// (an SPA navigation), so the operator's profile panel can be tried with both.
var demoPages = map[string]string{
	"":         "Чайная лавка «Самовар» — демо livedesk",
	"catalog":  "Каталог — Чайная лавка «Самовар»",
	"delivery": "Доставка и оплата — Чайная лавка «Самовар»",
}

// demoCSP is the demo page's Content-Security-Policy: what docs/widget.md tells a customer's
// site to allow for the widget, where the livedesk host is the page's own origin ('self',
// which covers ws: and wss: of the same host too), plus the nonce of the page's own inline
// style and script. No 'unsafe-inline', no blob: or data: pictures.
func demoCSP(nonce string) string {
	return "default-src 'none'; script-src 'self' 'nonce-" + nonce + "'; style-src 'nonce-" + nonce + "'; " +
		"connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'"
}

var demoTemplate = template.Must(template.New("demo").Parse(`<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style nonce="{{.Nonce}}">
a.home{color:inherit;text-decoration:none}
*{box-sizing:border-box}
body{margin:0;font:16px/1.55 Georgia,"Times New Roman",serif;color:#3b2a1a;background:#fbf6ee}
header{background:#3b2a1a;color:#fbf6ee;padding:1.1rem 2rem;display:flex;align-items:center;justify-content:space-between;gap:1rem;flex-wrap:wrap}
header b{font-size:1.4rem;letter-spacing:.02em}
nav a{color:#f1d9b5;margin-left:1.2rem;text-decoration:none}
main{max-width:60rem;margin:0 auto;padding:2rem}
.hero{display:grid;grid-template-columns:1.3fr 1fr;gap:2rem;align-items:center}
.hero h1{font-size:2.4rem;line-height:1.15;margin:.2rem 0 1rem}
.hero .pic{height:15rem;border-radius:1rem;background:radial-gradient(circle at 30% 30%,#e9b872,#b5651d 60%,#5a2e0c)}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(14rem,1fr));gap:1rem;margin-top:2.5rem}
.card{background:#fff;border:1px solid #ead9c0;border-radius:.8rem;padding:1rem 1.2rem}
.card h3{margin:.2rem 0 .4rem}
.price{font-weight:bold;color:#8a4b12}
button.cta{font:inherit;background:#8a4b12;color:#fff;border:0;border-radius:.5rem;padding:.6rem 1.1rem;cursor:pointer;margin:.3rem .4rem .3rem 0}
button.cta.alt{background:#fff;color:#8a4b12;border:1px solid #8a4b12}
.note{margin-top:2.5rem;background:#fff8e6;border:1px dashed #d9b26f;border-radius:.8rem;padding:1rem 1.2rem;font:14px/1.5 system-ui,sans-serif}
.note code{background:#f3e7d0;padding:.1rem .3rem;border-radius:.25rem}
nav a[aria-current=page]{color:#fff;text-decoration:underline}
.card a{color:#8a4b12}
.tea{background:#fff;border:1px solid #ead9c0;border-radius:.8rem;padding:1.2rem 1.4rem;margin-top:1.5rem}
.info{display:grid;grid-template-columns:repeat(auto-fit,minmax(16rem,1fr));gap:1rem;margin-top:1rem}
@media (max-width:700px){.hero{grid-template-columns:1fr}.hero .pic{height:8rem}}
</style></head>
<body>
<header><b><a href="/demo?page={{if .KeyGiven}}&key={{.Key}}{{end}}" class="home">Самовар · чайная лавка</a></b><nav>
<a href="/demo?page={{if .KeyGiven}}&key={{.Key}}{{end}}"{{if eq .Page ""}} aria-current="page"{{end}}>Главная</a>
<a href="/demo?page=catalog{{if .KeyGiven}}&key={{.Key}}{{end}}"{{if eq .Page "catalog"}} aria-current="page"{{end}}>Каталог</a>
<a href="/demo?page=delivery{{if .KeyGiven}}&key={{.Key}}{{end}}"{{if eq .Page "delivery"}} aria-current="page"{{end}}>Доставка</a></nav></header>
<main>
{{if eq .Page "catalog"}}
<h1>Каталог</h1>
<p>Выберите чай — откроется его описание (без перезагрузки страницы).</p>
<section class="cards" id="catalog">
  <div class="card"><h3>Те Гуань Инь</h3><p>Цветочный улун из Аньси.</p><span class="price">890 ₽ / 100 г</span>
    <p><a href="/demo?page=catalog&tea=tieguanyin{{if .KeyGiven}}&key={{.Key}}{{end}}" data-tea="Те Гуань Инь">Подробнее</a></p></div>
  <div class="card"><h3>Шу пуэр 2015</h3><p>Глубокий, землистый, согревающий.</p><span class="price">1 250 ₽ / 100 г</span>
    <p><a href="/demo?page=catalog&tea=shupuer{{if .KeyGiven}}&key={{.Key}}{{end}}" data-tea="Шу пуэр 2015">Подробнее</a></p></div>
  <div class="card"><h3>Иван-чай с чабрецом</h3><p>Ферментированный, из Карелии.</p><span class="price">420 ₽ / 100 г</span>
    <p><a href="/demo?page=catalog&tea=ivanchai{{if .KeyGiven}}&key={{.Key}}{{end}}" data-tea="Иван-чай с чабрецом">Подробнее</a></p></div>
</section>
<section class="tea" id="tea" hidden><h2 id="tea-name"></h2><p>Заваривать 3–4 минуты водой 85–90 °C. В наличии, отправим завтра.</p></section>
{{else if eq .Page "delivery"}}
<h1>Доставка и оплата</h1>
<section class="info" id="delivery">
  <div class="card"><h3>Курьером</h3><p>По Москве и Санкт-Петербургу — завтра, 300 ₽; бесплатно от 3 000 ₽.</p></div>
  <div class="card"><h3>Пунктами выдачи</h3><p>По всей России, 2–5 дней, от 190 ₽.</p></div>
  <div class="card"><h3>Оплата</h3><p>Картой на сайте или при получении.</p></div>
</section>
{{else}}
<section class="hero">
  <div>
    <h1>Листовой чай со всего света — с доставкой завтра</h1>
    <p>Пуэры, улуны, травяные сборы. Не знаете, что выбрать? Спросите нас в чате — консультант подберёт чай под ваш вкус.</p>
    <button class="cta" id="ask">Задать вопрос</button>
    <button class="cta alt" id="intro">Я — Мария, покупатель</button>
  </div>
  <div class="pic" role="img" aria-label="Чашка чая"></div>
</section>
<section class="cards">
  <div class="card"><h3>Те Гуань Инь</h3><p>Цветочный улун из Аньси.</p><span class="price">890 ₽ / 100 г</span></div>
  <div class="card"><h3>Шу пуэр 2015</h3><p>Глубокий, землистый, согревающий.</p><span class="price">1 250 ₽ / 100 г</span></div>
  <div class="card"><h3>Иван-чай с чабрецом</h3><p>Ферментированный, из Карелии.</p><span class="price">420 ₽ / 100 г</span></div>
</section>
{{end}}
<div class="note" id="contacts">
  <b>Это демо-сайт livedesk.</b> Виджет чата установлен одной строкой:
  <code>&lt;script src="{{.Key | printf "/widget.js?key=%s"}}" async&gt;&lt;/script&gt;</code> (точка контакта «{{.Name}}»).
  {{if .Demo}}Откройте <a href="/" target="_blank" rel="noopener">приложение оператора</a> в другом окне
  (anna@demo.livedesk.local / demo-password), поставьте статус «Доступен» и напишите в чат на этой странице.{{end}}
  Кнопки выше вызывают JS API виджета: <code>Livedesk.open()</code> и <code>Livedesk.identify({name, email})</code>.
</div>
</main>
<script nonce="{{.Nonce}}">
window.Livedesk = window.Livedesk || [];
var ask = document.getElementById('ask'), intro = document.getElementById('intro');
if (ask) ask.onclick = function () { Livedesk.push(['open']); };
if (intro) intro.onclick = function () {
  Livedesk.push(['identify', {name: 'Мария', email: 'maria@example.com', plan: 'Постоянный покупатель', orders: 7}]);
  Livedesk.push(['open']);
};
// The catalogue opens a tea without a page load (history.pushState), as a single-page app.
function showTea(name) {
  var box = document.getElementById('tea');
  if (!box) return;
  box.hidden = !name;
  document.getElementById('tea-name').textContent = name || '';
  document.title = name ? name + ' — Каталог «Самовар»' : {{.Title}};
}
document.querySelectorAll('a[data-tea]').forEach(function (a) {
  a.onclick = function (e) {
    e.preventDefault();
    history.pushState({tea: a.dataset.tea}, '', a.href);
    showTea(a.dataset.tea);
  };
});
window.addEventListener('popstate', function (e) { showTea(e.state && e.state.tea); });
var opened = /[?&]tea=([a-z]+)/.exec(location.search);
if (opened) document.querySelectorAll('a[data-tea]').forEach(function (a) { if (a.href.indexOf('tea=' + opened[1]) >= 0) showTea(a.dataset.tea); });
</script>
<script src="/widget.js?key={{.Key}}" async></script>
</body></html>
`))
