package email

import (
	"fmt"
	"strings"

	"livedesk/internal/livedesk"
)

// messageText is a message as a mail's text: its text, «(стикер)» for a sticker, the files'
// names for files without text.
func messageText(m *livedesk.Message) string {
	text := m.Text
	if strings.TrimSpace(text) != "" {
		return text
	}
	if m.Kind == livedesk.KindSticker {
		return "(стикер)"
	}
	if len(m.Attachments) > 0 {
		names := make([]string, len(m.Attachments))
		for i, a := range m.Attachments {
			names[i] = a.Name
		}
		return "(файлы: " + strings.Join(names, ", ") + ")"
	}
	return text
}

// ratingMailText is the text of an email conversation's closing mail (desk/ratings.go): the
// conversation is closed, a request to rate it with the link to the rating page, and how to
// go on if the question is not settled.
func ratingMailText(out *livedesk.OutgoingMail) string {
	var b strings.Builder
	b.WriteString("Здравствуйте!\n\n")
	if s := strings.TrimSpace(out.Subject); s != "" {
		fmt.Fprintf(&b, "Ваше обращение «%s» закрыто.", s)
	} else {
		b.WriteString("Ваше обращение закрыто.")
	}
	b.WriteString(" Оцените, пожалуйста, консультацию — это займёт несколько секунд:\n")
	b.WriteString(out.RatingLink + "\n\n")
	b.WriteString("Если вопрос не решён, просто ответьте на это письмо.\n\n")
	b.WriteString(out.MailboxName + "\n")
	return b.String()
}

// followupText is the text of a widget conversation's reply sent by mail because the visitor
// left (desk/followup.go): the reply and the later ones it carries (another operator's under
// their name), the signature with the chat's name, how to answer, the link back to the chat,
// and the conversation so far quoted.
func followupText(out *livedesk.OutgoingMail) string {
	var b strings.Builder
	first := out.Message.Author
	b.WriteString(messageText(out.Message))
	for _, m := range out.Carried {
		b.WriteString("\n\n")
		if m.Author.ID != first.ID {
			b.WriteString(m.Author.Name + ":\n")
		}
		b.WriteString(messageText(m))
	}
	fmt.Fprintf(&b, "\n\n%s, %s\n", first.Name, out.ChatName)
	b.WriteString("\nВы писали нам в чате и ушли раньше, чем пришёл ответ, поэтому он пришёл письмом. " +
		"Ответьте на это письмо — ответ попадёт в тот же разговор.\n")
	if out.Link != "" {
		fmt.Fprintf(&b, "Вернуться в чат: %s\n", out.Link)
	}
	if len(out.Context) > 0 {
		b.WriteString("\nРазговор в чате:\n")
		for _, m := range out.Context {
			who := m.Author.Name
			if m.Author.Type == livedesk.AuthorVisitor {
				who = "Вы"
			}
			for i, line := range strings.Split(strings.TrimRight(messageText(m), "\n"), "\n") {
				if i == 0 {
					line = who + ": " + line
				}
				b.WriteString("> " + line + "\n")
			}
		}
	}
	return b.String()
}
