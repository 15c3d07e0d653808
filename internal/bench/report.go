package bench

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// Result is the whole report of a run.
type Result struct {
	Options    Options   `json:"options"`
	Started    time.Time `json:"started"`
	CPUs       int       `json:"cpus"`
	GOMAXPROCS int       `json:"gomaxprocs"`
	FileLimit  uint64    `json:"file_limit"`
	Livedesk   *Side     `json:"livedesk"`
	Echo       *Side     `json:"echo,omitempty"`
	Ratios     *Ratios   `json:"ratios,omitempty"`
}

// Side is what was measured of one server: livedesk or the echo baseline.
type Side struct {
	Name         string  `json:"name"`
	Connections  int     `json:"connections"`
	SetupSeconds float64 `json:"setup_seconds"`
	Load         Load    `json:"load"`
	ServerRSSKiB int64   `json:"server_rss_kib,omitempty"`
	Memory       *Memory `json:"memory,omitempty"`
}

// Load is the outcome of the measured load.
type Load struct {
	RequestedRate float64 `json:"requested_rate"` // 0: closed loop
	Seconds       float64 `json:"seconds"`
	Sent          int64   `json:"sent"` // acknowledged sends
	Errors        int64   `json:"errors"`
	FirstError    string  `json:"first_error,omitempty"`
	Delivered     int64   `json:"delivered"`
	Lost          int64   `json:"lost"` // acknowledged but not delivered within the drain time
	Duplicates    int64   `json:"duplicates"`
	Reconnects    int64   `json:"reconnects"`
	SendRate      float64 `json:"send_rate"`     // acknowledged messages per second
	DeliveryRate  float64 `json:"delivery_rate"` // delivered messages per second of sending
	MaxLagMS      float64 `json:"max_sender_lag_ms"`
	Latency       Latency `json:"latency"`              // due → received by the other side
	Ack           Latency `json:"ack_latency,omitzero"` // send → acknowledged (livedesk: HTTP 201)
}

// Memory is the resident memory the server grew by for idle connections.
type Memory struct {
	Conns          int     `json:"conns"`
	RSSBeforeKiB   int64   `json:"rss_before_kib"`
	RSSAfterKiB    int64   `json:"rss_after_kib"`
	KiBPerConn     float64 `json:"kib_per_conn"`
	ConnectSeconds float64 `json:"connect_seconds"`
}

// Ratios are livedesk's figures divided by the echo's.
type Ratios struct {
	P50        float64 `json:"p50"`
	P99        float64 `json:"p99"`
	P999       float64 `json:"p999"`
	Throughput float64 `json:"throughput"`
	KiBPerConn float64 `json:"kib_per_conn,omitempty"`
}

// load builds the load figures from the recorder after a run.
func (r *recorder) load(rate float64, st driveStats) Load {
	r.mu.Lock()
	lat := summarize(r.lat)
	delivered, dups := int64(len(r.seen)), r.dups
	r.mu.Unlock()
	r.ackMu.Lock()
	ack := summarize(r.ackLat)
	r.ackMu.Unlock()
	secs := st.Elapsed.Seconds()
	return Load{RequestedRate: rate, Seconds: secs, Sent: st.Sent, Errors: st.Errors, FirstError: st.FirstErr,
		Delivered: delivered, Lost: max(0, st.Sent-delivered), Duplicates: dups,
		SendRate: float64(st.Sent) / secs, DeliveryRate: float64(delivered) / secs,
		MaxLagMS: float64(st.MaxLag.Microseconds()) / 1000, Latency: lat, Ack: ack}
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

func ratios(ld, echo *Side) *Ratios {
	r := &Ratios{P50: ratio(ld.Load.Latency.P50, echo.Load.Latency.P50), P99: ratio(ld.Load.Latency.P99, echo.Load.Latency.P99),
		P999: ratio(ld.Load.Latency.P999, echo.Load.Latency.P999), Throughput: ratio(ld.Load.DeliveryRate, echo.Load.DeliveryRate)}
	if ld.Memory != nil && echo.Memory != nil {
		r.KiBPerConn = ratio(ld.Memory.KiBPerConn, echo.Memory.KiBPerConn)
	}
	return r
}

// WriteText prints the result for people.
func (res *Result) WriteText(w io.Writer) {
	o := res.Options
	rate := fmt.Sprintf("%.0f msg/s", o.Rate)
	if o.Rate == 0 {
		rate = fmt.Sprintf("max (closed loop, %d senders)", min(o.Concurrency, o.Visitors))
	}
	fmt.Fprintf(w, "livedesk bench: %d operators, %d visitors, rate %s for %s, %d-byte messages\n",
		o.Operators, o.Visitors, rate, o.Duration, o.Size)
	fmt.Fprintf(w, "machine: %d CPUs, GOMAXPROCS %d, open-files limit %d; SQLite synchronous=%s\n\n",
		res.CPUs, res.GOMAXPROCS, res.FileLimit, o.Synchronous)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "\tlivedesk\techo\tlivedesk/echo\t")
	ld, echo := res.Livedesk, res.Echo
	if echo == nil {
		echo = &Side{}
	}
	r := res.Ratios
	if r == nil {
		r = &Ratios{}
	}
	row := func(name string, a, b any, ratio string) {
		fmt.Fprintf(tw, "%s\t%v\t%v\t%s\t\n", name, a, b, ratio)
	}
	f := func(v float64) string { return fmt.Sprintf("%.2f", v) }
	x := func(v float64) string {
		if v == 0 {
			return "-"
		}
		return fmt.Sprintf("%.1f×", v)
	}
	row("connections", ld.Connections, echo.Connections, "")
	row("sent (acknowledged)", ld.Load.Sent, echo.Load.Sent, "")
	row("delivered", ld.Load.Delivered, echo.Load.Delivered, "")
	row("errors / lost / dups", fmt.Sprintf("%d / %d / %d", ld.Load.Errors, ld.Load.Lost, ld.Load.Duplicates),
		fmt.Sprintf("%d / %d / %d", echo.Load.Errors, echo.Load.Lost, echo.Load.Duplicates), "")
	row("ws reconnects", ld.Load.Reconnects, echo.Load.Reconnects, "")
	row("throughput msg/s", fmt.Sprintf("%.0f", ld.Load.DeliveryRate), fmt.Sprintf("%.0f", echo.Load.DeliveryRate), x(r.Throughput))
	row("latency p50 ms", f(ld.Load.Latency.P50), f(echo.Load.Latency.P50), x(r.P50))
	row("latency p90 ms", f(ld.Load.Latency.P90), f(echo.Load.Latency.P90), "")
	row("latency p99 ms", f(ld.Load.Latency.P99), f(echo.Load.Latency.P99), x(r.P99))
	row("latency p999 ms", f(ld.Load.Latency.P999), f(echo.Load.Latency.P999), x(r.P999))
	row("latency max ms", f(ld.Load.Latency.Max), f(echo.Load.Latency.Max), "")
	row("ack p50 / p99 ms", f(ld.Load.Ack.P50)+" / "+f(ld.Load.Ack.P99), "-", "")
	row("max sender lag ms", f(ld.Load.MaxLagMS), f(echo.Load.MaxLagMS), "")
	if ld.Memory != nil || echo.Memory != nil {
		mem := func(m *Memory) string {
			if m == nil {
				return "-"
			}
			return fmt.Sprintf("%.1f (%d conns)", m.KiBPerConn, m.Conns)
		}
		row("memory KiB/conn", mem(ld.Memory), mem(echo.Memory), x(r.KiBPerConn))
	}
	tw.Flush()
	var notes []string
	if ld.Load.FirstError != "" {
		notes = append(notes, "livedesk first error: "+ld.Load.FirstError)
	}
	if echo.Load.FirstError != "" {
		notes = append(notes, "echo first error: "+echo.Load.FirstError)
	}
	if len(notes) > 0 {
		fmt.Fprintln(w, "\n"+strings.Join(notes, "\n"))
	}
	fmt.Fprintln(w, "\nlatency: from the moment a message was due until the operator's WebSocket (echo: the sender's) received it.")
}
