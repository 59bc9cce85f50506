/** Renders download links for Excel (excel-links.ts) as one line: "Herunterladen: Excel (XLSX) · CSV …". */
import { h } from './dom.js';
import type { ExcelLink } from './excel-links.js';

export function excelLinksRow(links: readonly ExcelLink[], testid: string): HTMLElement {
  const parts: (HTMLElement | string)[] = ['Herunterladen: '];
  links.forEach((l, i) => {
    if (i > 0) parts.push(' · ');
    parts.push(
      h('a', { href: l.href, download: '', 'data-format': l.href.match(/format=([\w-]+)/)?.[1] ?? null }, l.label),
    );
  });
  return h('p', { class: 'hint excel-links', testid }, ...parts);
}
