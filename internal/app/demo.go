package app

import (
	"context"
	"fmt"
	"io"

	"livedesk/internal/desk"
	"livedesk/internal/livedesk"
	"livedesk/internal/store"
)

// Demo credentials printed by `livedesk serve --demo`.
const (
	DemoAdminEmail = "admin@demo.livedesk.local"
	DemoPassword   = "demo-password"
	DemoWidgetKey  = "demo-widget"
)

// SeedDemo creates, on an empty database, a demo account: an admin, three operators with
// limits, a webchat contact point and conversation categories. It prints how to log in.
func SeedDemo(ctx context.Context, d *desk.Desk, cost int, out io.Writer, listen string) error {
	ids, err := d.Store().AccountIDs(ctx)
	if err != nil {
		return err
	}
	if len(ids) == 0 {
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
		err = d.Store().Write(ctx, func(tx *store.Tx) error {
			return tx.CreateContactPoint(&livedesk.ContactPoint{AccountID: acct.ID, Name: "Сайт demo.livedesk", Channel: livedesk.ChannelWebchat, Key: DemoWidgetKey,
				Settings: []byte(`{"color":"#8a4b12","title":"Чайная лавка «Самовар»","greeting":"Здравствуйте! Поможем выбрать чай и ответим про доставку.","ask_email":true}`)})
		})
		if err != nil {
			return err
		}
	}
	fmt.Fprintf(out, `
livedesk demo is ready: http://%s
  admin:      %s / %s
  operators:  anna@demo.livedesk.local, boris@demo.livedesk.local, vera@demo.livedesk.local (supervisor) / %s
  demo site:  http://%s/demo (the widget installed for key %s)
`, listen, DemoAdminEmail, DemoPassword, DemoPassword, listen, DemoWidgetKey)
	return nil
}
