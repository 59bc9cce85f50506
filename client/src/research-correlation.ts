/**
 * The correlation check of the research form: Pearson r between the chosen indicators across the
 * level's areas, as a heatmap, with the nearly redundant pairs (|r| ≥ 0.9) named, so the
 * researcher can drop one of each pair before a typology counts one dimension twice.
 */
import { h, fill, message } from './dom.js';
import { api } from './data.js';
import { errorMessage } from './api.js';
import { correlationMatrix } from './correlation.js';
import { formatNumber } from './format.js';
import { TYPOLOGY_DEFAULTS } from '../../analysis/typology-defaults.js';
import type { Ctx } from './ctx.js';

/** |r| from which a pair is flagged as nearly redundant: the server's threshold (0.9). */
const REDUNDANT_R = TYPOLOGY_DEFAULTS.correlationThreshold;

export async function showCorrelation(ctx: Ctx, box: HTMLElement, indicators: readonly string[]): Promise<void> {
  const s = ctx.store.state;
  if (indicators.length < 2) return fill(box, message('Bitte mindestens zwei Indikatoren wählen.'));
  fill(box, message('Korrelationen werden berechnet …'));
  try {
    const cols = new Map<string, Map<string, number | null>>();
    const all = await Promise.all(indicators.map((k) => api.values(k, s.period, s.level)));
    all.forEach((v, i) =>
      cols.set(indicators[i], new Map(v.values.map((r) => [r.code, r.suppressed ? null : r.value]))),
    );
    const res = correlationMatrix(cols, REDUNDANT_R);
    const cells = res.keys.flatMap((a, i) =>
      res.keys.map((b, j) => ({ x: b, y: a, v: res.r[i][j], flag: i !== j && Math.abs(res.r[i][j]) >= REDUNDANT_R })),
    );
    const charts = await import('./charts.js');
    fill(
      box,
      charts.heatmap(cells, {
        label: `Korrelationen (Pearson r); umrandet: |r| ≥ ${formatNumber(REDUNDANT_R, 1)}`,
        testid: 'chart-correlation',
        domain: 1,
        xOrder: res.keys,
        yOrder: res.keys,
        marginLeft: 50,
      }),
      res.redundant.length
        ? h(
            'ul',
            { class: 'warnings', testid: 'redundant-pairs' },
            ...res.redundant.map((p) =>
              h(
                'li',
                {},
                `${p.a} und ${p.b} sind fast gleichbedeutend (r = ${formatNumber(p.r, 2)}): einen davon weglassen?`,
              ),
            ),
          )
        : h('p', { class: 'hint' }, `Keine Paare mit |r| ≥ ${formatNumber(REDUNDANT_R, 1)}.`),
    );
  } catch (err) {
    fill(box, message(errorMessage(err), 'error'));
  }
}
