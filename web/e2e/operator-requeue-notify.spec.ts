import { test } from '@playwright/test';
import { Visitor, chooseStatus, createDesk, expect, operatorPage, setStatusApi } from './operator-helpers';
import { api } from './support';

// A conversation that returned to the queue and went to another operator announces what the
// visitor wrote, not the previous operator's reply (which was the list preview).
test('the notification of a requeued conversation shows the visitor\'s last message', async ({ browser }) => {
  const desk = await createDesk({ operators: { 'Анна Смирнова': 5, 'Борис Иванов': 5 }, settings: { offline_requeue_seconds: 0 } });
  const boris = await operatorPage(browser, desk, 'Борис Иванов');
  await boris.evaluate(() => {
    const seen: { title: string; body: string }[] = [];
    (window as any).__notes = seen;
    (window as any).Notification = class {
      static permission = 'granted';
      static requestPermission() { return Promise.resolve('granted'); }
      onclick: (() => void) | null = null;
      constructor(title: string, opts: { body: string }) { seen.push({ title, body: opts.body }); }
      close() {}
    };
    document.hasFocus = () => false; // a notification is shown only when the tab is not in front
  });
  const anna = desk.ops['Анна Смирнова'];
  await setStatusApi(anna, 'available');
  const v = await Visitor.start(desk.key, 'Владимир');
  const { conversation_id: conv } = await v.send('Где мой заказ 4512?');
  await api('POST', `/api/v1/conversations/${conv}/messages`, { client_id: `r-${Date.now()}`, text: 'Сейчас проверю' }, anna.token);

  await chooseStatus(boris, 'available');
  await setStatusApi(anna, 'offline'); // requeued at once (offline_requeue_seconds: 0), then Борис gets it
  await expect.poll(() => boris.evaluate(() => (window as any).__notes.map((n: any) => n.body)), { timeout: 15_000 })
    .toContain('Владимир: Где мой заказ 4512?');
});
