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
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Security-Policy", demoCSP(nonce))
	return demoTemplate.Execute(w, map[string]any{"Key": key, "Nonce": nonce, "Demo": key == demoWidgetKey, "Name": cp.Name})
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
<title>Чайная лавка «Самовар» — демо livedesk</title>
<style nonce="{{.Nonce}}">
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
@media (max-width:700px){.hero{grid-template-columns:1fr}.hero .pic{height:8rem}}
</style></head>
<body>
<header><b>Самовар · чайная лавка</b><nav><a href="#catalog">Каталог</a><a href="#delivery">Доставка</a><a href="#contacts">Контакты</a></nav></header>
<main>
<section class="hero">
  <div>
    <h1>Листовой чай со всего света — с доставкой завтра</h1>
    <p>Пуэры, улуны, травяные сборы. Не знаете, что выбрать? Спросите нас в чате — консультант подберёт чай под ваш вкус.</p>
    <button class="cta" id="ask">Задать вопрос</button>
    <button class="cta alt" id="intro">Я — Мария, покупатель</button>
  </div>
  <div class="pic" role="img" aria-label="Чашка чая"></div>
</section>
<section class="cards" id="catalog">
  <div class="card"><h3>Те Гуань Инь</h3><p>Цветочный улун из Аньси.</p><span class="price">890 ₽ / 100 г</span></div>
  <div class="card"><h3>Шу пуэр 2015</h3><p>Глубокий, землистый, согревающий.</p><span class="price">1 250 ₽ / 100 г</span></div>
  <div class="card"><h3>Иван-чай с чабрецом</h3><p>Ферментированный, из Карелии.</p><span class="price">420 ₽ / 100 г</span></div>
</section>
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
document.getElementById('ask').onclick = function () { Livedesk.push(['open']); };
document.getElementById('intro').onclick = function () {
  Livedesk.push(['identify', {name: 'Мария', email: 'maria@example.com'}]);
  Livedesk.push(['open']);
};
</script>
<script src="/widget.js?key={{.Key}}" async></script>
</body></html>
`))
