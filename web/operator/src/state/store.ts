import { useEffect, useState } from 'preact/hooks';
import { type Action, type AppState, reduce } from './reducer';

/** Holds the app state; components subscribe with useAppState. */
export class Store {
  private listeners = new Set<() => void>();
  constructor(private state: AppState) {}

  get(): AppState {
    return this.state;
  }

  dispatch = (a: Action) => {
    const next = reduce(this.state, a);
    if (next === this.state) return;
    this.state = next;
    this.listeners.forEach((l) => l());
  };

  subscribe(l: () => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
}

/** The part of the state a component reads; it re-renders only when that part changes. */
export function useAppState<T>(store: Store, select: (s: AppState) => T): T {
  const [value, setValue] = useState(() => select(store.get()));
  useEffect(() => {
    const check = () => setValue(() => select(store.get()));
    check();
    return store.subscribe(check);
  }, [store, select]);
  return value;
}
