/** A tiny element builder: keeps view code readable without a framework. */

type Attrs = Record<string, string | number | boolean | null | undefined | ((ev: Event) => void)>;
type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, '').toLowerCase(), v);
    else if (k === 'testid') el.setAttribute('data-testid', String(v));
    else if (k === 'class') el.className = String(v);
    else if (k === 'value' && 'value' in el) (el as HTMLInputElement).value = String(v);
    else if (k === 'checked' && 'checked' in el) (el as HTMLInputElement).checked = Boolean(v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c);
  }
  return el;
}

/** Replace an element's content. */
export function fill(el: Element, ...children: (Child | Child[])[]): void {
  el.replaceChildren(
    ...(children.flat().filter((c) => c !== null && c !== undefined && c !== false) as (Node | string)[]),
  );
}

/** A German status line ("Lädt …", errors) that screen readers announce. */
export function message(text: string, kind: 'info' | 'error' = 'info'): HTMLElement {
  return h(
    'p',
    {
      class: `msg msg-${kind}`,
      role: kind === 'error' ? 'alert' : 'status',
      testid: kind === 'error' ? 'error-message' : 'status-message',
    },
    text,
  );
}

export function select(
  attrs: Attrs,
  options: readonly { value: string; label: string }[],
  current: string,
  onChange: (v: string) => void,
): HTMLSelectElement {
  const s = h(
    'select',
    attrs,
    ...options.map((o) => h('option', { value: o.value, selected: o.value === current }, o.label)),
  );
  s.value = current;
  s.addEventListener('change', () => onChange(s.value));
  return s;
}

export function download(filename: string, content: string, type: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = h('a', { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
