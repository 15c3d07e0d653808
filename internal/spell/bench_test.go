package spell

import (
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// chatMessage is a long operator reply, mixed Russian and English, with order ids, a URL,
// an email, emoji and a few typos, repeated to 2,000 characters.
func chatMessage(n int) string {
	const part = "Здравствуйте, Анна! Ваш заказ A-1023 (№4512) уже передан в службу доставки СДЭК, трек-номер " +
		"придёт в СМС. Промокод SPRING24 начислим после оплаты, кешбэк появится в личном кабинете " +
		"https://shop.example.ru/account в течение 3 дней 👍 If you prefer English: your order has been " +
		"shipped, the tracking link is in the email from support@example.com. Извените за ожидание, " +
		"доставлн будет завтра до 18:00. Thanks for your patience, we'll keep you posted! "
	var b strings.Builder
	for b.Len() < 4*n {
		b.WriteString(part)
	}
	r := []rune(b.String())
	return string(r[:n])
}

// BenchmarkCheck2000 is the check of a 2,000-character message (target ≤ 5 ms): tokenising
// and judging every word; the two typos' suggestions come from the checker's cache, as
// they do while an operator keeps typing. BenchmarkSuggest measures suggestions uncached.
func BenchmarkCheck2000(b *testing.B) {
	c := loadedChecker(b)
	text := chatMessage(2000)
	_, miss := c.Check(text, Options{})
	b.Logf("%d misspellings in %d characters", len(miss), len([]rune(text)))
	b.ResetTimer()
	for b.Loop() {
		c.Check(text, Options{})
	}
}

// BenchmarkCheck2000Uncached runs the same check with an empty suggestion cache each time:
// the first check of a new message with its typos.
func BenchmarkCheck2000Uncached(b *testing.B) {
	c := loadedChecker(b)
	text := chatMessage(2000)
	for b.Loop() {
		c.cacheMu.Lock()
		clear(c.cache)
		c.cacheMu.Unlock()
		c.Check(text, Options{})
	}
}

// BenchmarkSuggest reports the latency of one word's suggestion list (uncached) over the
// typo corpus of both languages: p50, p99 and max (target p99 ≤ 20 ms).
func BenchmarkSuggest(b *testing.B) {
	c := loadedChecker(b)
	var words []string
	for _, lang := range []string{"ru", "en"} {
		for _, ty := range readTypos(b, lang) {
			words = append(words, ty.typed)
		}
	}
	var lat []time.Duration
	i := 0
	for b.Loop() {
		w := words[i%len(words)]
		i++
		start := time.Now()
		c.suggestWord(normalizeWord(w), true, true, 5)
		lat = append(lat, time.Since(start))
	}
	slices.Sort(lat)
	q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(q(0.5), "p50-ms")
	b.ReportMetric(q(0.99), "p99-ms")
	b.ReportMetric(q(1), "max-ms")
}

// BenchmarkLoad loads both dictionaries with the supplementary vocabulary (target ≤ 1 s) and
// reports the heap they keep and the process's resident memory afterwards.
func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		c := NewChecker(DefaultDir)
		start := time.Now()
		if err := c.Load(); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(time.Since(start).Milliseconds()), "load-ms")
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "heap-MiB")
		b.ReportMetric(rssMiB(), "rss-MiB")
		runtime.KeepAlive(c)
	}
}

// rssMiB reads VmRSS of this process from /proc (0 where there is none).
func rssMiB() float64 {
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return 0
}
