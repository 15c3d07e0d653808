package email

import "testing"

// TestSplitQuoted: quoted history in the forms of the usual clients, Russian and English, is
// split off; text that only looks like it is kept.
func TestSplitQuoted(t *testing.T) {
	cases := []struct {
		name, in, want string
		quoted         bool
	}{
		{"gmail en", "Thanks, it works now.\n\nOn Mon, Jun 3, 2024 at 10:15 AM Ivan Petrov <ivan@example.org> wrote:\n> Please restart the router.\n> Ivan\n",
			"Thanks, it works now.", true},
		{"gmail en wrapped", "Thanks!\n\nOn Mon, Jun 3, 2024 at 10:15 AM Support of the Shop <\nsupport@shop.example> wrote:\n\n> Your order 4512 is on its way.\n",
			"Thanks!", true},
		{"gmail ru", "Спасибо, получил.\n\nпн, 3 июн. 2024 г. в 10:15, Анна Смирнова <support@shop.example>:\n\n> Ваш заказ отправлен.\n",
			"Спасибо, получил.", true},
		{"yandex", "Да, адрес верный.\n\n03.06.2024, 10:15, \"Почта поддержки\" <support@shop.example>:\n> Уточните адрес доставки.\n",
			"Да, адрес верный.", true},
		{"mail.ru", "Жду звонка.\n\n\nПонедельник, 3 июня 2024, 10:15 +03:00 от Анна Смирнова <support@shop.example>:\n\n> Когда вам удобно?\n",
			"Жду звонка.", true},
		{"thunderbird ru", "Не приходит код.\n\n03.06.2024 10:15, Анна Смирнова пишет:\n> Попробуйте ещё раз.\n",
			"Не приходит код.", true},
		{"apple mail ru", "Оплатил.\n\n> 3 июня 2024 г., в 10:15, Анна <support@shop.example> написал(а):\n> \n> Счёт во вложении.\n",
			"Оплатил.", true},
		{"old mail.ru писал(а)", "Хорошо.\n\nАнна Смирнова <support@shop.example> писал(а):\n> Договорились.\n",
			"Хорошо.", true},
		{"thunderbird en", "Works.\n\nOn 03.06.2024 10:15, Anna Smirnova wrote:\n> Try again.\n",
			"Works.", true},
		{"outlook en", "Please see below.\n\n-----Original Message-----\nFrom: Support <support@shop.example>\nSent: Monday, June 3, 2024 10:15 AM\nTo: Ivan <ivan@example.org>\nSubject: RE: Order 4512\n\nHello Ivan,\n",
			"Please see below.", true},
		{"outlook ru", "Добрый день.\n\n-----Исходное сообщение-----\nОт: Поддержка <support@shop.example>\nОтправлено: 3 июня 2024 г. 10:15\nКому: Иван <ivan@example.org>\nТема: RE: Заказ 4512\n\nЗдравствуйте, Иван!\n",
			"Добрый день.", true},
		{"outlook ru block", "Спасибо!\n\nОт: Поддержка <support@shop.example>\nОтправлено: понедельник, 3 июня 2024 г. 10:15\nКому: Иван <ivan@example.org>\nТема: Заказ 4512\n\nЗдравствуйте!\n",
			"Спасибо!", true},
		{"outlook web underline", "Ok.\n\n________________________________\nFrom: Support <support@shop.example>\nSent: Monday, June 3, 2024 10:15\nTo: Ivan\nSubject: Order\n\nHi\n",
			"Ok.", true},
		{"outlook bold header", "Got it.\n\n*From:* Support <support@shop.example>\n*Sent:* Monday, June 3, 2024 10:15\n*To:* Ivan\n*Subject:* Order\n",
			"Got it.", true},
		{"outlook express", "Yes.\n\n----- Original Message -----\nFrom: Support\nTo: Ivan\nSent: Monday, June 03, 2024 10:15 AM\n",
			"Yes.", true},
		{"trailing quote without attribution", "Согласен.\n\n> Подтвердите, пожалуйста.\n> Спасибо\n",
			"Согласен.", true},
		{"signature", "Жду ответа.\n-- \nИван Петров\n+7 900 000-00-00\n",
			"Жду ответа.", true},
		{"signature before quote", "Ok\n-- \nIvan\n\nOn Mon, Jun 3, 2024 at 10:15 AM Anna <a@shop.example> wrote:\n> Hi\n",
			"Ok", true},
		{"yandex html rendered", "Спасибо!\n\n03.06.2024, 10:15, \"Анна\" <support@shop.example>:\n> Здравствуйте!\n> > Старое письмо\n",
			"Спасибо!", true},

		// Kept whole.
		{"gt inside a sentence", "Сумма > 1000 руб., а не < 500.\nПроверьте, пожалуйста.", "Сумма > 1000 руб., а не < 500.\nПроверьте, пожалуйста.", false},
		{"On that is not a header", "On Monday the parcel came broken.\nThe box was wet.", "On Monday the parcel came broken.\nThe box was wet.", false},
		{"wrote without date, not quoted", "My friend wrote:\nthe app does not start on Android 9.", "My friend wrote:\nthe app does not start on Android 9.", false},
		{"пишет in a sentence", "Сын пишет: приложение не запускается.\nЧто делать?", "Сын пишет: приложение не запускается.\nЧто делать?", false},
		{"address with colon, no date", "Пишите на почту support@shop.example:\nотвечу вечером.", "Пишите на почту support@shop.example:\nотвечу вечером.", false},
		{"interleaved answers", "On Mon, Jun 3, 2024 at 10:15 AM Anna <a@shop.example> wrote:\n> Which model?\nX200\n> Which colour?\nBlack\n",
			"On Mon, Jun 3, 2024 at 10:15 AM Anna <a@shop.example> wrote:\n> Which model?\nX200\n> Which colour?\nBlack", false},
		{"quote in the middle", "Вы писали\n> доставка завтра\nно её не было.", "Вы писали\n> доставка завтра\nно её не было.", false},
		{"only a quote", "> всё, что было\n> в письме\n", "> всё, что было\n> в письме", false},
		{"gmail forward", "Посмотрите, пожалуйста.\n\n---------- Forwarded message ---------\nFrom: Shop <shop@example.org>\nDate: Mon, 3 Jun 2024 at 10:15\nSubject: Order\nTo: <ivan@example.org>\n\nYour order\n",
			"Посмотрите, пожалуйста.\n\n---------- Forwarded message ---------\nFrom: Shop <shop@example.org>\nDate: Mon, 3 Jun 2024 at 10:15\nSubject: Order\nTo: <ivan@example.org>\n\nYour order", false},
		{"thunderbird ru forward", "-------- Пересылаемое сообщение --------\nТема: Заказ\nДата: 03.06.2024 10:15\nОт: Магазин <shop@example.org>\nКому: ivan@example.org\n\nТекст",
			"-------- Пересылаемое сообщение --------\nТема: Заказ\nДата: 03.06.2024 10:15\nОт: Магазин <shop@example.org>\nКому: ivan@example.org\n\nТекст", false},
		{"From line alone", "From: the shop's site I ordered two lamps.\nTo: be delivered on Friday.", "From: the shop's site I ordered two lamps.\nTo: be delivered on Friday.", false},
		{"double dash in text", "Цена -- 500 руб.\nСрок -- неделя.\nСпасибо\nИван\nещё\nстроки\nи\nещё\nодна", "Цена -- 500 руб.\nСрок -- неделя.\nСпасибо\nИван\nещё\nстроки\nи\nещё\nодна", false},
		{"no history", "Просто вопрос.", "Просто вопрос.", false},
		{"empty", "", "", false},
	}
	for _, c := range cases {
		got, quoted := SplitQuoted(c.in)
		if got != c.want || quoted != c.quoted {
			t.Errorf("%s: SplitQuoted(%q) = %q, %v; want %q, %v", c.name, c.in, got, quoted, c.want, c.quoted)
		}
	}
	if !IsForwardSubject("Fwd: Заказ") || !IsForwardSubject("FW: order") || !IsForwardSubject("Пересл: счёт") || IsForwardSubject("Re: Fwd: x") || IsForwardSubject("Fwdemo") {
		t.Error("IsForwardSubject")
	}
}
