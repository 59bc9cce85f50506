/**
 * The printable Sozialstruktur-Profil: one self-contained HTML page (no external CSS, fonts or
 * images, so a saved or zipped file prints the same anywhere), laid out for A4 portrait.
 * Indicators are grouped by topic (Lebenslage) in one table: value, parent area, whole region,
 * rank, change since the chosen period, target and whether it is met.
 */
import type { Profile, ProfileIndicator } from './area-profile-types.js';
import { fmt, fmtSigned, fmtDate, escapeHtml as h, decimalsFor } from './format.js';

const CSS = `
@page { size: A4 portrait; margin: 14mm 12mm 16mm 12mm; }
* { box-sizing: border-box; }
body { font: 9.5pt/1.35 "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; color: #111; margin: 0 auto; max-width: 186mm; padding: 6mm 0; }
header { display: flex; gap: 6mm; align-items: flex-start; border-bottom: 0.6mm solid #333; padding-bottom: 3mm; }
header .title { flex: 1; }
h1 { font-size: 17pt; margin: 0 0 1mm 0; }
.sub { color: #444; margin: 0; }
dl.key { display: grid; grid-template-columns: max-content auto; gap: 0.5mm 3mm; margin: 3mm 0 0 0; }
dl.key dt { color: #555; } dl.key dd { margin: 0; font-weight: 600; }
table { width: 100%; border-collapse: collapse; margin-top: 4mm; font-variant-numeric: tabular-nums; }
th, td { padding: 0.8mm 1.2mm; border-bottom: 0.2mm solid #ccc; vertical-align: top; }
th { text-align: left; font-weight: 600; background: #eee; }
td.n, th.n { text-align: right; white-space: nowrap; }
tr.topic td { background: #f6f6f6; font-weight: 700; padding-top: 1.6mm; }
tbody tr { break-inside: avoid; }
thead { display: table-header-group; }
.worse { color: #b2182b; } .better { color: #2166ac; }
.nc { color: #777; font-style: italic; }
footer { margin-top: 4mm; font-size: 7.5pt; color: #444; border-top: 0.2mm solid #999; padding-top: 2mm; }
svg.locator { border: 0.2mm solid #999; flex: none; }
@media print { body { padding: 0; max-width: none; } a { color: inherit; text-decoration: none; } }
`;

const unitSuffix = (i: ProfileIndicator) => (i.unit ? ` ${h(i.unit)}` : '');

function changeCell(i: ProfileIndicator): string {
  const c = i.change;
  if (!c || c.absolute === null) return '<td class="n">–</td>';
  const cls = c.direction === 'verschlechtert' ? 'worse' : c.direction === 'verbessert' ? 'better' : '';
  const unit = c.absoluteUnit === 'Prozentpunkte' ? ' Pp.' : '';
  const mark = c.comparable ? '' : ' <span class="nc" title="Gebietsstand geändert">(n. v.)</span>';
  return `<td class="n ${cls}">${fmtSigned(c.absolute, decimalsFor(i.kind))}${unit}${mark}</td>`;
}

function targetCells(i: ProfileIndicator): string {
  if (i.target === null) return '<td class="n">–</td><td>–</td>';
  const op = i.targetDirection === 'max' ? '≤' : '≥';
  const met = i.targetMet === null ? '–' : i.targetMet ? 'ja' : '<strong class="worse">nein</strong>';
  return `<td class="n">${op} ${fmt(i.target, decimalsFor(i.kind))}</td><td>${met}</td>`;
}

/** "geheim (Einwohnerzahl)" / "geheim (Schutz vor Rückrechnung)", with the rule as a tooltip. */
function hiddenText(reason: ProfileIndicator['suppressionReason']): string {
  return reason === 'secondary'
    ? '<span title="verborgen, damit ein kleines Nachbargebiet nicht aus der Summe zurückgerechnet werden kann">geheim (Schutz vor Rückrechnung)</span>'
    : '<span title="weniger Einwohner als die Geheimhaltungsschwelle">geheim (Einwohnerzahl)</span>';
}

/** For an aggregate: "aus 12 von 13 Teilgebieten, 97 % der Einwohner", marked when below the coverage threshold. */
function coverageNote(i: ProfileIndicator): string {
  if (i.nChildren === null || i.nChildrenTotal === null || i.coverage === null) return '';
  if (i.nChildren === i.nChildrenTotal && !i.incomplete) return '';
  const text = `aus ${i.nChildren} von ${i.nChildrenTotal} Teilgebieten, ${fmt(100 * i.coverage, 0)} % der Einwohner`;
  return `<br><small class="${i.incomplete ? 'worse' : ''}">${i.incomplete ? 'unvollständig: ' : ''}${text}</small>`;
}

function row(i: ProfileIndicator, period: string): string {
  const d = decimalsFor(i.kind);
  const value = i.suppressed ? hiddenText(i.suppressionReason) : fmt(i.value, d) + coverageNote(i);
  // An indicator not updated at the profile's date shows its latest earlier value and says so.
  const stand = i.period && i.period !== period ? ` · Stand ${fmtDate(i.period)}` : '';
  return (
    `<tr><td>${h(i.label)}<br><small>${h(i.key)}${unitSuffix(i)}${stand}</small></td>` +
    `<td class="n">${value}</td><td class="n">${fmt(i.parentValue, d)}</td><td class="n">${fmt(i.regionValue, d)}</td>` +
    `<td class="n">${i.rank === null ? '–' : `${i.rank}/${i.n}`}</td>${changeCell(i)}${targetCells(i)}</tr>`
  );
}

export interface ProfileHtmlOptions {
  /** Inline SVG locator map (from locator-svg.ts); default: none. */
  locatorSvg?: string;
  /** Name of the whole region for the column header (default "Gesamt"). */
  regionLabel?: string;
  /** Time stamp printed in the footer (default: now); fixed in tests. */
  generatedAt?: Date;
}

export function profileHtml(p: Profile, opts: ProfileHtmlOptions = {}): string {
  const topics = new Map<string, ProfileIndicator[]>();
  for (const i of p.indicators) {
    const t = i.topic ?? 'Sonstiges';
    topics.set(t, [...(topics.get(t) ?? []), i]);
  }
  const parentHead = p.parent ? h(p.parent.levelLabel) : 'übergeordnet';
  const body = [...topics]
    .map(
      ([t, list]) => `<tr class="topic"><td colspan="8">${h(t)}</td></tr>${list.map((i) => row(i, p.period)).join('')}`,
    )
    .join('');
  const idx = p.index;
  const when = (opts.generatedAt ?? new Date()).toLocaleDateString('de-DE');
  return `<!doctype html>
<html lang="de"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sozialstruktur-Profil ${h(p.name ?? p.code)} (${h(p.code)})</title><style>${CSS}</style></head>
<body>
<header>
<div class="title">
<h1>${h(p.name ?? p.code)}</h1>
<p class="sub">Sozialstruktur-Profil · ${h(p.levelLabel)} ${h(p.code)}${p.parent ? ` · ${h(p.parent.levelLabel)} ${h(p.parent.name ?? p.parent.code)} (${h(p.parent.code)})` : ''}</p>
<dl class="key">
<dt>Stand</dt><dd>${fmtDate(p.period)}</dd>
${p.since ? `<dt>Veränderung seit</dt><dd>${fmtDate(p.since)}</dd>` : ''}
<dt>Einwohner</dt><dd>${fmt(p.population, 0)}</dd>
<dt>Fläche</dt><dd>${fmt(p.areaKm2, 2)} km²</dd>
${idx && idx.statusClass ? `<dt>Status-Index</dt><dd>${h(idx.statusClass)} (${fmt(idx.statusZ)})</dd><dt>Dynamik-Index</dt><dd>${h(idx.dynamicsClass ?? '–')} (${fmt(idx.dynamicsZ)})</dd><dt>Gesamtindex</dt><dd>${h(idx.combinedClass ?? '–')}</dd>` : ''}
</dl>
</div>
${opts.locatorSvg ?? ''}
</header>
<table>
<thead><tr><th>Indikator</th><th class="n">Wert</th><th class="n">${parentHead}</th><th class="n">${h(opts.regionLabel ?? 'Gesamt')}</th><th class="n">Rang</th><th class="n">Veränderung${p.since ? ` seit ${fmtDate(p.since)}` : ''}</th><th class="n">Ziel</th><th>erreicht</th></tr></thead>
<tbody>${body}</tbody>
</table>
<footer>
<p>Rang: ${h(p.rankOrder)}. Veränderung: bei Anteilen in Prozentpunkten (Pp.); rot = Verschlechterung, blau = Verbesserung nach der Polarität des Indikators; „n. v.“ = nicht vergleichbar (Gebietsstand geändert). Werte von Gebieten unter der Geheimhaltungsschwelle werden nicht ausgewiesen.</p>
<p>${h(p.attribution)} · erstellt mit Sozialatlas am ${when}</p>
</footer>
</body></html>
`;
}
