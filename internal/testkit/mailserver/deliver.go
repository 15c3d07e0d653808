package mailserver

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"net/textproto"
	"strings"
	"time"
)

// Deliver puts a mail into the mailboxes of the recipients through Dovecot's LMTP (as an
// MTA would), without Postfix. msg is the whole message with CRLF or LF line ends.
func (s *Server) Deliver(from string, to []string, msg []byte) error {
	return dialogue(s.LMTPAddr, "LHLO", from, to, msg, true)
}

// SendMX hands a mail to Postfix's MX-style port (no authentication), which delivers it
// into Dovecot; it returns once Postfix has accepted it, before delivery.
func (s *Server) SendMX(from string, to []string, msg []byte) error {
	return dialogue(s.SMTPAddr, "EHLO", from, to, msg, false)
}

// dialogue speaks a plain SMTP or LMTP transaction. LMTP answers DATA once per recipient.
func dialogue(address, hello, from string, to []string, msg []byte, perRecipient bool) error {
	conn, err := net.DialTimeout("tcp", address, 5*time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(30 * time.Second))
	tp := textproto.NewConn(conn)
	expect := func(code int) error {
		_, _, err := tp.ReadResponse(code)
		return err
	}
	cmd := func(code int, format string, args ...any) error {
		if err := tp.PrintfLine(format, args...); err != nil {
			return err
		}
		if err := expect(code); err != nil {
			return fmt.Errorf("%s: %w", strings.Fields(format)[0], err)
		}
		return nil
	}
	if err := expect(220); err != nil {
		return err
	}
	if err := cmd(250, "%s client.test", hello); err != nil {
		return err
	}
	if err := cmd(250, "MAIL FROM:<%s>", from); err != nil {
		return err
	}
	for _, rcpt := range to {
		if err := cmd(250, "RCPT TO:<%s>", rcpt); err != nil {
			return err
		}
	}
	if err := cmd(354, "DATA"); err != nil {
		return err
	}
	w := tp.DotWriter()
	// DotWriter turns LF into CRLF and stuffs dots.
	if _, err := w.Write(bytes.ReplaceAll(msg, []byte("\r\n"), []byte("\n"))); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	n := 1
	if perRecipient {
		n = len(to)
	}
	for i := 0; i < n; i++ {
		if err := expect(250); err != nil {
			return fmt.Errorf("DATA: %w", err)
		}
	}
	_ = tp.PrintfLine("QUIT")
	return nil
}

// Message builds a small plain-text mail with the given headers (name, value pairs; Date
// and Message-ID are added when missing) and body.
func Message(body string, headers ...string) []byte {
	var b bytes.Buffer
	have := map[string]bool{}
	for i := 0; i+1 < len(headers); i += 2 {
		have[strings.ToLower(headers[i])] = true
		fmt.Fprintf(&b, "%s: %s\r\n", headers[i], headers[i+1])
	}
	if !have["date"] {
		fmt.Fprintf(&b, "Date: %s\r\n", time.Now().Format(time.RFC1123Z))
	}
	if !have["message-id"] {
		fmt.Fprintf(&b, "Message-ID: <%d.test@%s>\r\n", time.Now().UnixNano(), Domain)
	}
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n")
	sc := bufio.NewScanner(strings.NewReader(body))
	for sc.Scan() {
		b.WriteString(sc.Text())
		b.WriteString("\r\n")
	}
	return b.Bytes()
}
