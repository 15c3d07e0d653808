package mailserver

import (
	"context"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"text/template"
	"time"
)

// dovecotConf is the whole configuration of the private Dovecot: nothing of
// /etc/dovecot is read.
var dovecotConf = template.Must(template.New("dovecot.conf").Parse(`# private test instance
instance_name = {{.Instance}}
base_dir = {{.Dir}}/dovecot/run
state_dir = {{.Dir}}/dovecot/state
log_path = {{.Dir}}/dovecot/dovecot.log
protocols = imap lmtp
listen = 127.0.0.1
default_internal_user = {{.InternalUser}}
default_internal_group = {{.InternalGroup}}
default_login_user = {{.LoginUser}}
first_valid_uid = 1
first_valid_gid = 1

ssl = yes
ssl_cert = <{{.Dir}}/cert.pem
ssl_key = <{{.Dir}}/key.pem
ssl_min_protocol = TLSv1.2

# Loopback tests log in with a password over plain connections too.
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_verbose = yes
auth_cache_size = 0
# Tests of wrong passwords should not wait: no delay after a failure, and no growing
# penalty for the (trusted) loopback client.
auth_failure_delay = 0
login_trusted_networks = 127.0.0.0/8

passdb {
  driver = passwd-file
  args = scheme=PLAIN {{.Dir}}/dovecot/users
}
userdb {
  driver = passwd-file
  args = {{.Dir}}/dovecot/users
}

mail_location = maildir:~/Maildir
namespace inbox {
  inbox = yes
  separator = /
  mailbox Trash {
    special_use = \Trash
  }
}

protocol imap {
  mail_max_userip_connections = 200
  imap_idle_notify_interval = 1 mins
}
lmtp_save_to_detail_mailbox = no

service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = {{.IMAPPort}}
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = {{.IMAPSPort}}
    ssl = yes
  }
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = {{.LMTPPort}}
  }
}
service auth {
  # Postfix's smtpd asks here for SASL (smtpd_sasl_type = dovecot).
  unix_listener auth-postfix {
    mode = 0666
  }
}
service auth-worker {
  user = $default_internal_user
}
# Nobody may reach anvil's penalty socket, so the auth process adds no growing delay
# after wrong passwords (a test of a refused login would otherwise wait seconds).
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
service stats {
  unix_listener stats-writer {
    mode = 0666
  }
}
`))

// startDovecot writes the configuration and runs dovecot in the foreground as a child of
// the test process.
func (s *Server) startDovecot() {
	t := s.t
	t.Helper()
	imapPort, imapsPort, lmtpPort := freePort(t), freePort(t), freePort(t)
	data := map[string]any{
		"Instance": "livedesk-test-" + filepath.Base(s.Dir),
		"Dir":      s.Dir,
		"IMAPPort": imapPort, "IMAPSPort": imapsPort, "LMTPPort": lmtpPort,
		"InternalUser": "dovecot", "InternalGroup": "dovecot", "LoginUser": "dovenull",
	}
	if os.Geteuid() != 0 {
		// Unprivileged: every process runs as the test's own user.
		u, err := user.Current()
		if err != nil {
			t.Fatal(err)
		}
		g, err := user.LookupGroupId(u.Gid)
		if err != nil {
			t.Fatal(err)
		}
		data["InternalUser"], data["InternalGroup"], data["LoginUser"] = u.Username, g.Name, u.Username
	}
	var conf strings.Builder
	if err := dovecotConf.Execute(&conf, data); err != nil {
		t.Fatal(err)
	}
	confPath := filepath.Join(s.Dir, "dovecot", "dovecot.conf")
	if err := os.WriteFile(confPath, []byte(conf.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	bin, _ := lookPath("dovecot")
	cmd := exec.Command(bin, "-F", "-c", confPath)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("mailserver: start dovecot: %v", err)
	}
	s.dovecot = cmd
	// For the watchdog: the process group to end should the test process die.
	_ = os.WriteFile(filepath.Join(s.Dir, "dovecot", "pgid"), []byte(strconv.Itoa(cmd.Process.Pid)), 0o644)
	exited := make(chan struct{})
	go func() {
		_, _ = cmd.Process.Wait()
		close(exited)
	}()
	s.dovecotExited = exited
	s.IMAPAddr, s.IMAPSAddr, s.LMTPAddr = addr(imapPort), addr(imapsPort), addr(lmtpPort)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := waitListening(ctx, exited, s.IMAPAddr, s.IMAPSAddr, s.LMTPAddr); err != nil {
		log, _ := os.ReadFile(filepath.Join(s.Dir, "dovecot", "dovecot.log"))
		t.Fatalf("mailserver: dovecot did not start: %v\n%s\n%s", err, out.String(), log)
	}
}
