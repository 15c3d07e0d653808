// A tiny store of toasts: outcomes of actions, shown in a corner for a few seconds.

export interface Toast {
  id: number;
  tone: 'ok' | 'error';
  text: string;
}

let seq = 0;
let toasts: Toast[] = [];
const listeners = new Set<(t: Toast[]) => void>();

function emit() {
  listeners.forEach((fn) => fn(toasts));
}

export function showToast(text: string, tone: Toast['tone'] = 'ok'): number {
  const id = ++seq;
  toasts = [...toasts.slice(-3), { id, tone, text }];
  emit();
  return id;
}

export function dismissToast(id: number) {
  toasts = toasts.filter((x) => x.id !== id);
  emit();
}

export function subscribeToasts(fn: (t: Toast[]) => void): () => void {
  listeners.add(fn);
  fn(toasts);
  return () => listeners.delete(fn);
}
