package mailserver

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"text/template"
	"time"
)

// postfixMain is main.cf of the private Postfix. Mail for Domain and CustomerDomain goes to
// Dovecot over LMTP; nothing is delivered locally and nothing leaves the machine.
var postfixMain = template.Must(template.New("main.cf").Parse(`# private test instance
compatibility_level = 3.6
queue_directory = {{.Dir}}/postfix/queue
data_directory = {{.Dir}}/postfix/data
command_directory = /usr/sbin
daemon_directory = /usr/lib/postfix/sbin
meta_directory = /etc/postfix
shlib_directory = /usr/lib/postfix
mail_owner = postfix
setgid_group = postdrop
maillog_file = {{.Dir}}/postfix/postfix.log
maillog_file_prefixes = {{.Dir}}

myhostname = mail.{{.Domain}}
mydomain = {{.Domain}}
myorigin = $myhostname
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.1/32
relayhost =
alias_maps =
alias_database =
local_recipient_maps =
local_transport = error:5.1.1 local delivery is off
default_transport = error:5.4.4 this test server sends nowhere else
relay_transport = error:5.4.4 this test server relays nowhere
virtual_mailbox_domains = {{.Domain}} {{.CustomerDomain}}
virtual_transport = lmtp:inet:{{.LMTP}}
smtpd_reject_unlisted_recipient = no
smtpd_relay_restrictions = reject_unauth_destination
smtpd_recipient_restrictions = check_recipient_access texthash:{{.Dir}}/postfix/etc/recipient_access
biff = no
append_dot_mydomain = no
smtpd_banner = $myhostname ESMTP livedesk-test
lmtp_host_lookup = native
smtp_host_lookup = native

smtpd_sasl_type = dovecot
smtpd_sasl_path = {{.Dir}}/dovecot/run/auth-postfix
smtpd_sasl_security_options = noanonymous
smtpd_tls_cert_file = {{.Dir}}/cert.pem
smtpd_tls_key_file = {{.Dir}}/key.pem
smtpd_tls_security_level = may
smtpd_tls_auth_only = no
smtp_tls_security_level = none

# Deferred mail is retried at once, so a test never waits minutes.
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 2s
delay_warning_time = 0
in_flow_delay = 0
`))

// postfixMaster is master.cf: the three listeners on loopback and the daemons they need,
// none chrooted (the queue lives in a temporary directory).
var postfixMaster = template.Must(template.New("master.cf").Parse(`# service type private unpriv chroot wakeup maxproc command
{{.SMTP}} inet n - n - - smtpd
  -o syslog_name=postfix/mx
{{.Submission}} inet n - n - - smtpd
  -o syslog_name=postfix/submission
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_client_restrictions=permit_sasl_authenticated,reject
  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject
{{.Submissions}} inet n - n - - smtpd
  -o syslog_name=postfix/submissions
  -o smtpd_tls_wrappermode=yes
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_client_restrictions=permit_sasl_authenticated,reject
  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject
pickup unix n - n 60 1 pickup
cleanup unix n - n - 0 cleanup
qmgr unix n - n 300 1 qmgr
tlsmgr unix - - n 1000? 1 tlsmgr
rewrite unix - - n - - trivial-rewrite
bounce unix - - n - 0 bounce
defer unix - - n - 0 bounce
trace unix - - n - 0 bounce
verify unix - - n - 1 verify
flush unix n - n 1000? 0 flush
proxymap unix - - n - - proxymap
proxywrite unix - - n - 1 proxymap
smtp unix - - n - - smtp
relay unix - - n - - smtp
showq unix n - n - - showq
error unix - - n - - error
retry unix - - n - - error
discard unix - - n - - discard
lmtp unix - - n - - lmtp
anvil unix - - n - 1 anvil
scache unix - - n - 1 scache
postlog unix-dgram n - n - 1 postlogd
`))

// Recipients that Postfix refuses at RCPT TO on every port: for good (550 5.1.1) and
// for now (450 4.2.1).
const (
	RefusedRecipient  = "refused@" + Domain
	DeferredRecipient = "later@" + Domain
)

// startPostfix writes main.cf and master.cf and runs `postfix -c DIR start`.
func (s *Server) startPostfix() {
	t := s.t
	t.Helper()
	etc := filepath.Join(s.Dir, "postfix", "etc")
	for _, d := range []string{etc, filepath.Join(s.Dir, "postfix", "queue"), filepath.Join(s.Dir, "postfix", "data")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	s.makeQueue()
	smtpPort, subPort, subsPort := freePort(t), freePort(t), freePort(t)
	s.SMTPAddr, s.SubmissionAddr, s.SubmissionsAddr = addr(smtpPort), addr(subPort), addr(subsPort)
	data := map[string]any{
		"Dir": s.Dir, "Domain": Domain, "CustomerDomain": CustomerDomain, "LMTP": s.LMTPAddr,
		"SMTP": s.SMTPAddr, "Submission": s.SubmissionAddr, "Submissions": s.SubmissionsAddr,
	}
	for name, tmpl := range map[string]*template.Template{"main.cf": postfixMain, "master.cf": postfixMaster} {
		var b strings.Builder
		if err := tmpl.Execute(&b, data); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(etc, name), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	access := RefusedRecipient + " 550 5.1.1 this test address refuses all mail\n" +
		DeferredRecipient + " 450 4.2.1 this test address wants you to try again later\n"
	if err := os.WriteFile(filepath.Join(etc, "recipient_access"), []byte(access), 0o644); err != nil {
		t.Fatal(err)
	}
	bin, _ := lookPath("postfix")
	cmd := exec.Command(bin, "-c", etc, "start")
	cmd.Env = append(os.Environ(), "PATH=/usr/sbin:/usr/bin:/sbin:/bin")
	out, err := cmd.CombinedOutput()
	if err != nil {
		log, _ := os.ReadFile(filepath.Join(s.Dir, "postfix", "postfix.log"))
		t.Fatalf("mailserver: postfix start: %v\n%s\n%s", err, out, log)
	}
	s.postfix = true
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := waitListening(ctx, nil, s.SMTPAddr, s.SubmissionAddr, s.SubmissionsAddr); err != nil {
		t.Fatalf("mailserver: postfix did not start: %v\n%s", err, s.Log())
	}
}

// makeQueue makes the data directory and the queue's subdirectories with the owners and
// modes that Postfix's own set-up gives them, and asks for a quick start: the integrity
// checks of "postfix start" (which would make them, but take seconds) are skipped.
func (s *Server) makeQueue() {
	t := s.t
	uid, gid := lookupIDs(t, "postfix", "postfix")
	_, postdrop := lookupIDs(t, "postfix", "postdrop")
	queue := filepath.Join(s.Dir, "postfix", "queue")
	dirs := []struct {
		name     string
		uid, gid int
		mode     os.FileMode
	}{
		{"../data", uid, gid, 0o700},
		{"pid", 0, 0, 0o755},
		{"maildrop", uid, postdrop, 0o730},
		{"public", uid, postdrop, 0o710},
	}
	for _, name := range []string{"active", "bounce", "corrupt", "defer", "deferred", "flush", "hold", "incoming", "private", "saved", "trace"} {
		dirs = append(dirs, struct {
			name     string
			uid, gid int
			mode     os.FileMode
		}{name, uid, 0, 0o700})
	}
	for _, d := range dirs {
		p := filepath.Join(queue, d.name)
		if err := os.MkdirAll(p, d.mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chown(p, d.uid, d.gid); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, d.mode); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(queue, "quick-start"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
}

// stopPostfix kills the master's process group (the master and its daemons): a test
// server keeps nothing worth a graceful stop, which takes Postfix two seconds.
func (s *Server) stopPostfix() {
	b, err := os.ReadFile(filepath.Join(s.Dir, "postfix", "queue", "pid", "master.pid"))
	if err != nil {
		return
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	if pid <= 1 {
		return
	}
	// The master leads its own session and process group.
	_ = syscall.Kill(-pid, syscall.SIGKILL)
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) && alive(pid) {
		time.Sleep(10 * time.Millisecond)
	}
}

// alive tells whether a process exists and is not a zombie (the daemonised master is
// reaped by init, whenever init gets to it).
func alive(pid int) bool {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return syscall.Kill(pid, 0) == nil
	}
	// pid (comm) state ...: the state follows the last ')'.
	rest := string(b[strings.LastIndexByte(string(b), ')')+1:])
	return !strings.HasPrefix(strings.TrimSpace(rest), "Z")
}
