/**
 * App state with the URL hash as its only persistent home: every change is written back with
 * history.replaceState (no history spam while panning), and a pasted link restores it.
 */
import { DEFAULT_STATE, parseState, serializeState, type AppState } from './url-state.js';

type Listener = (state: AppState, changed: Set<keyof AppState>) => void;

export class Store {
  state: AppState;
  private listeners: Listener[] = [];

  constructor() {
    this.state = parseState(location.hash);
    window.addEventListener('hashchange', () => {
      // A pasted link may omit what was resolved at start (latest period, first indicator): keep those.
      const next = parseState(location.hash, this.resolved);
      this.apply(next, false);
    });
  }

  private resolved: AppState = { ...DEFAULT_STATE };

  /** Values chosen at start when the URL had none; used for later hash changes. */
  setResolved(patch: Partial<AppState>): void {
    this.resolved = { ...this.resolved, ...patch };
  }

  subscribe(fn: Listener): void {
    this.listeners.push(fn);
  }

  set(patch: Partial<AppState>): void {
    this.apply({ ...this.state, ...patch }, true);
  }

  private apply(next: AppState, write: boolean): void {
    const changed = new Set<keyof AppState>();
    for (const k of Object.keys(next) as (keyof AppState)[]) if (next[k] !== this.state[k]) changed.add(k);
    this.state = next;
    if (write) {
      const hash = serializeState(next);
      if (hash !== location.hash && !(hash === '' && location.hash === ''))
        history.replaceState(null, '', hash || location.pathname + location.search);
    }
    if (changed.size) for (const fn of this.listeners) fn(next, changed);
  }
}
