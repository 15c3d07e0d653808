import { useState } from 'preact/hooks';
import { api } from '../api/client';
import type { Operator, Role } from '../api/types';
import { Confirm, Empty, Field, LoadError, Loading, Modal, PageHead, described, useLoad } from '../components/ui';
import { t } from '../i18n';
import { placeError } from '../lib/errors';
import { type FieldErrors, type OperatorForm, validateOperator } from '../lib/forms';
import { showToast } from '../lib/toast';
import { StatusBadge } from './Monitor';

const ROLES: Role[] = ['operator', 'supervisor', 'admin'];

/** The account's operators: create, change name/role/limit, deactivate and reactivate. */
export function Operators({ me }: { me: Operator }) {
  const ops = useLoad(() => api.operators().then((r) => r.items));
  const settings = useLoad(() => api.settings().catch(() => null));
  const [editing, setEditing] = useState<Operator | 'new' | null>(null);
  const [toggling, setToggling] = useState<Operator | null>(null);

  function saved(op: Operator) {
    const list = ops.data ?? [];
    ops.set(list.some((o) => o.id === op.id) ? list.map((o) => (o.id === op.id ? op : o)) : [...list, op]);
  }

  const list = [...(ops.data ?? [])].sort((a, b) => Number(a.deactivated) - Number(b.deactivated) || a.name.localeCompare(b.name));

  return (
    <section data-testid="screen-operators">
      <PageHead title={t('nav.operators')} intro={t('operators.intro')}>
        <button type="button" class="btn btn-primary" onClick={() => setEditing('new')} data-testid="operator-new">{t('operators.add')}</button>
      </PageHead>
      {ops.loading && !ops.data && <Loading />}
      {ops.error != null && !ops.data && <LoadError error={ops.error} retry={ops.reload} />}
      {ops.data && (list.length === 0 ? <Empty title={t('operators.empty')}>{t('operators.emptyHint')}</Empty> : (
        <div class="panel panel-flush">
          <table class="table" data-testid="operators-table">
            <thead><tr>
              <th>{t('col.name')}</th><th>{t('col.email')}</th><th>{t('col.role')}</th><th class="num">{t('col.limit')}</th>
              <th>{t('col.status')}</th><th>{t('col.account')}</th><th class="actions-col"><span class="sr-only">{t('col.actions')}</span></th>
            </tr></thead>
            <tbody>
              {list.map((o) => (
                <tr key={o.id} data-testid="operator-row" data-email={o.email} class={o.deactivated ? 'row-off' : ''}>
                  <td><span class="cell-strong">{o.name}</span>{o.id === me.id && <span class="tag">{t('operators.you')}</span>}</td>
                  <td class="cell-email">{o.email}</td>
                  <td>{t('role.' + o.role)}</td>
                  <td class="num">{o.open_count} / {o.limit}</td>
                  <td><StatusBadge status={o.status} /></td>
                  <td>{o.deactivated ? <span class="pill pill-off">{t('operators.deactivated')}</span> : <span class="pill pill-on">{t('operators.active')}</span>}</td>
                  <td class="actions">
                    <button type="button" class="btn btn-small" onClick={() => setEditing(o)} aria-label={t('operators.editNamed', { name: o.name })}>{t('common.edit')}</button>
                    {o.id !== me.id && (
                      <button type="button" class="btn btn-small" onClick={() => setToggling(o)} data-testid="operator-toggle">
                        {o.deactivated ? t('operators.reactivate') : t('operators.deactivate')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
      {editing && (
        <OperatorDialog op={editing === 'new' ? null : editing} self={editing !== 'new' && editing.id === me.id}
          defaultLimit={settings.data?.default_limit ?? 5} onClose={() => setEditing(null)} onSaved={saved} />
      )}
      {toggling && (
        <Confirm title={toggling.deactivated ? t('operators.reactivate') : t('operators.deactivate')}
          text={t(toggling.deactivated ? 'operators.reactivateText' : 'operators.deactivateText', { name: toggling.name })}
          confirmLabel={toggling.deactivated ? t('operators.reactivate') : t('operators.deactivate')}
          onClose={() => setToggling(null)}
          onConfirm={async () => {
            const op = await api.updateOperator(toggling.id, { deactivated: !toggling.deactivated });
            saved(op);
            showToast(t(op.deactivated ? 'operators.deactivatedToast' : 'operators.reactivatedToast', { name: op.name }));
          }} />
      )}
    </section>
  );
}

function OperatorDialog({ op, self, defaultLimit, onClose, onSaved }: {
  op: Operator | null; self: boolean; defaultLimit: number; onClose: () => void; onSaved: (op: Operator) => void;
}) {
  const creating = op == null;
  const [form, setForm] = useState<OperatorForm>({ name: op?.name ?? '', email: op?.email ?? '', password: '', limit: String(op?.limit ?? defaultLimit) });
  const [role, setRole] = useState<Role>(op?.role ?? 'operator');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [serverField, setServerField] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState('');
  const [busy, setBusy] = useState(false);

  const set = (k: keyof OperatorForm) => (e: Event) => {
    setForm({ ...form, [k]: (e.currentTarget as HTMLInputElement).value });
    setServerField({ ...serverField, [k]: '' });
  };

  async function submit(e: Event) {
    e.preventDefault();
    const v = validateOperator(form, creating);
    setErrors(v);
    setFormError('');
    if (Object.keys(v).length) return;
    setBusy(true);
    try {
      const limit = Number(form.limit);
      const saved = creating
        ? await api.createOperator({ name: form.name.trim(), email: form.email.trim(), password: form.password, role, limit })
        : await api.updateOperator(op.id, { name: form.name.trim(), role, limit });
      onSaved(saved);
      showToast(t(creating ? 'operators.created' : 'operators.saved', { name: saved.name }));
      onClose();
    } catch (err) {
      const { field, text } = placeError(err, ['name', 'email', 'password', 'limit', 'role']);
      if (field) setServerField({ [field]: text });
      else setFormError(text);
      setBusy(false);
    }
  }

  const err = (k: string) => serverField[k] || (errors[k] ? t(errors[k]) : '');

  return (
    <Modal title={creating ? t('operators.add') : t('operators.editTitle', { name: op.name })} onClose={onClose} testId="operator-dialog">
      <form class="form" onSubmit={submit} noValidate>
        <Field label={t('col.name')} id="op-name" error={err('name')}>
          <input {...described('op-name', err('name'))} value={form.name} onInput={set('name')} maxLength={100} autoComplete="off" />
        </Field>
        {creating && (
          <>
            <Field label={t('col.email')} id="op-email" error={err('email')}>
              <input {...described('op-email', err('email'))} type="email" value={form.email} onInput={set('email')} autoComplete="off" />
            </Field>
            <Field label={t('operators.password')} id="op-password" error={err('password')} hint={t('operators.passwordHint')}>
              <input {...described('op-password', err('password'), true)} type="password" value={form.password} onInput={set('password')} autoComplete="new-password" />
            </Field>
          </>
        )}
        <div class="form-row">
          <Field label={t('col.role')} id="op-role" error={err('role')} hint={self ? t('operators.selfRole') : undefined}>
            <select id="op-role" value={role} disabled={self} onChange={(e) => setRole(e.currentTarget.value as Role)}>
              {ROLES.map((r) => <option key={r} value={r}>{t('role.' + r)}</option>)}
            </select>
          </Field>
          <Field label={t('operators.limit')} id="op-limit" error={err('limit')} hint={t('operators.limitHint')}>
            <input {...described('op-limit', err('limit'), true)} type="number" min={1} max={1000} value={form.limit} onInput={set('limit')} />
          </Field>
        </div>
        <p class="hint">{t('role.hint.' + role)}</p>
        {formError && <p class="form-error" role="alert">{formError}</p>}
        <div class="form-actions">
          <button type="button" class="btn" onClick={onClose}>{t('common.cancel')}</button>
          <button type="submit" class="btn btn-primary" disabled={busy} data-testid="operator-save">
            {busy ? t('common.saving') : creating ? t('operators.create') : t('common.save')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
