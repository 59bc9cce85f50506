/**
 * A basemap URL arriving with a shared link (#grundkarte=…) is loaded only after the user agrees in a
 * German dialog naming its host (url-state.ts basemapQuestion); a URL typed into the settings form
 * counts as agreed. Agreement lasts for this browser tab (sessionStorage), so a reload does not ask
 * again; a spec that is not an http(s) URL is never loaded.
 */
import { basemapHost, basemapQuestion } from './url-state.js';

const KEY = 'sozialatlas.basemaps';

function agreed(): string[] {
  try {
    const v: unknown = JSON.parse(sessionStorage.getItem(KEY) ?? '[]');
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/** Remember that the user chose this basemap (settings form, or yes in the dialog). */
export function approveBasemap(spec: string): void {
  if (!spec) return;
  try {
    sessionStorage.setItem(KEY, JSON.stringify([...new Set([...agreed(), spec])]));
  } catch {
    /* private mode: the dialog simply asks again next time */
  }
}

/** True when the basemap may be loaded: none, agreed before, or agreed now in the dialog. */
export function basemapAllowed(spec: string, ask: (question: string) => boolean = (q) => window.confirm(q)): boolean {
  if (!spec) return true;
  const host = basemapHost(spec);
  if (!host) return false;
  if (agreed().includes(spec)) return true;
  const ok = ask(basemapQuestion(host));
  if (ok) approveBasemap(spec);
  return ok;
}
