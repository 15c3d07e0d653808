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
	// The data directory belongs to the mail owner (the queue's subdirectories are made by
	// postfix's own set-up).
	uid, gid := lookupIDs(t, "postfix", "postfix")
	if err := os.Chown(filepath.Join(s.Dir, "postfix", "data"), uid, gid); err != nil {
		t.Fatal(err)
	}
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

// stopPostfix stops the master and waits until it is gone; its children end with it.
func (s *Server) stopPostfix() {
	etc := filepath.Join(s.Dir, "postfix", "etc")
	pid := 0
	if b, err := os.ReadFile(filepath.Join(s.Dir, "postfix", "queue", "pid", "master.pid")); err == nil {
		pid, _ = strconv.Atoi(strings.TrimSpace(string(b)))
	}
	bin, _ := lookPath("postfix")
	cmd := exec.Command(bin, "-c", etc, "stop")
	cmd.Env = append(os.Environ(), "PATH=/usr/sbin:/usr/bin:/sbin:/bin")
	_ = cmd.Run()
	if pid <= 0 {
		return
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if syscall.Kill(pid, 0) != nil {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	// The master leads its own process group.
	_ = syscall.Kill(-pid, syscall.SIGKILL)
}
