package app

import (
	"context"
	"fmt"
	"io"

	"livedesk/internal/desk"
	"livedesk/internal/livedesk"
)

// Demo credentials printed by `livedesk serve --demo`.
const (
	DemoAdminEmail = "admin@demo.livedesk.local"
	DemoPassword   = "demo-password"
	DemoWidgetKey  = "demo-widget"
	DemoMailbox    = "support@demo.livedesk.local"
)

// SeedDemo creates, on an empty database, a demo account: an admin, three operators with
// limits, a webchat contact point, a mailbox and conversation categories. It prints how to
// log in; smtp is the SMTP listener's address ("" when there is none).
func SeedDemo(ctx context.Context, d *desk.Desk, cost int, out io.Writer, listen, smtp string) error {
	seeded, err := d.HasAccounts(ctx)
	if err != nil {
		return err
	}
	if !seeded {
		acct, _, err := d.CreateAccount(ctx, "Демо-компания", desk.NewOperator{Name: "Администратор", Email: DemoAdminEmail, Password: DemoPassword}, cost)
		if err != nil {
			return err
		}
		for _, o := range []desk.NewOperator{
			{Name: "Анна Смирнова", Email: "anna@demo.livedesk.local", Password: DemoPassword, Role: livedesk.RoleOperator, Limit: 3},
			{Name: "Борис Иванов", Email: "boris@demo.livedesk.local", Password: DemoPassword, Role: livedesk.RoleOperator, Limit: 5},
			{Name: "Вера Кузнецова", Email: "vera@demo.livedesk.local", Password: DemoPassword, Role: livedesk.RoleSupervisor, Limit: 4},
		} {
			if _, err := d.CreateOperator(ctx, acct.ID, o, cost); err != nil {
				return err
			}
		}
		for i, name := range []string{"Консультация", "Заказ и доставка", "Оплата", "Жалоба", "Техническая проблема", "Другое"} {
			if _, err := d.CreateCategory(ctx, acct.ID, livedesk.Category{Name: name, Position: i}); err != nil {
				return err
			}
		}
		if err := seedDemoQuickMessages(ctx, d, acct.ID); err != nil {
			return err
		}
		if _, err := d.CreateContactPoint(ctx, acct.ID, desk.NewContactPoint{Name: "Сайт demo.livedesk", Channel: livedesk.ChannelWebchat, Key: DemoWidgetKey,
			Settings: []byte(`{"color":"#8a4b12","title":"Чайная лавка «Самовар»","greeting":"Здравствуйте! Поможем выбрать чай и ответим про доставку.","ask_email":true}`)}); err != nil {
			return err
		}
		if _, err := d.CreateContactPoint(ctx, acct.ID, desk.NewContactPoint{Name: "Почта поддержки", Channel: livedesk.ChannelEmail,
			Settings: []byte(`{"address":"` + DemoMailbox + `"}`)}); err != nil {
			return err
		}
	}
	if smtp != "" {
		defer fmt.Fprintf(out, "  mail:       SMTP on %s takes mail for %s\n", smtp, DemoMailbox)
	}
	fmt.Fprintf(out, `
livedesk demo is ready: http://%s (operator app)
  cabinet:    http://%s/admin/ (Личный кабинет: admins and supervisors)
  admin:      %s / %s
  operators:  anna@demo.livedesk.local, boris@demo.livedesk.local, vera@demo.livedesk.local (supervisor) / %s
  demo site:  http://%s/demo (the widget installed for key %s)
`, listen, listen, DemoAdminEmail, DemoPassword, DemoPassword, listen, DemoWidgetKey)
	return nil
}

// demoQuickCategory is a category of the demo account's quick messages.
type demoQuickCategory struct {
	category string
	items    [][2]string // title, text
}

// demoQuickMessages are the demo account's account-wide quick messages, by category.
func demoQuickMessages() []demoQuickCategory {
	return []demoQuickCategory{
		{"Приветствие", [][2]string{
			{"Здравствуйте", "Здравствуйте, {visitor_name}! Меня зовут {operator_name}, чем могу помочь?"},
			{"Минутку", "Одну минуту, уточняю информацию."},
			{"Спасибо за ожидание", "Спасибо за ожидание! Вот что удалось выяснить:"},
		}},
		{"Доставка", [][2]string{
			{"Сроки доставки", "Доставка по Москве занимает 1–2 дня, по России — 3–7 дней."},
			{"Самовывоз", "Заказ можно забрать в пункте выдачи СДЭК после СМС с кодом получения."},
			{"Трек-номер", "Трек-номер придёт в СМС и на почту, как только заказ передадут в доставку."},
		}},
		{"Оплата и возврат", [][2]string{
			{"Способы оплаты", "Оплатить можно картой на сайте, через СБП или наличными при получении."},
			{"Промокод", "Промокод вводится в корзине, в поле «Промокод», до оплаты заказа."},
			{"Возврат", "Вернуть товар надлежащего качества можно в течение 14 дней. Деньги вернутся на карту за 3–10 рабочих дней."},
		}},
		{"Завершение", [][2]string{
			{"Что-то ещё?", "Могу ли я помочь чем-то ещё?"},
			{"До свидания", "Спасибо за обращение, {visitor_name}! Хорошего дня."},
		}},
	}
}

func seedDemoQuickMessages(ctx context.Context, d *desk.Desk, account livedesk.ID) error {
	for i, c := range demoQuickMessages() {
		name, pos := c.category, i
		cat, err := d.SaveQuickCategory(ctx, account, 0, &name, &pos)
		if err != nil {
			return err
		}
		for k, it := range c.items {
			title, text, position := it[0], it[1], k
			if _, err := d.SaveQuickMessage(ctx, account, 0, 0, desk.QuickInput{Title: &title, Text: &text, CategoryID: &cat.ID, Position: &position}); err != nil {
				return err
			}
		}
	}
	return nil
}
