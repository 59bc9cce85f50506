/**
 * Controls of the combined research view: the switch that hatches hotspots over the types and
 * the choice of the hotspot run (of the shown level) to draw.
 */
import { h, fill, message, select } from './dom.js';
import { api, unwrap } from './data.js';
import { errorMessage } from './api.js';
import { formatPeriod } from './format.js';
import type { Ctx } from './ctx.js';
import type { HotspotRunSummary } from './types.js';

export function combinedControls(ctx: Ctx): HTMLElement {
  const { store } = ctx;
  const box = h('div', { testid: 'combined-controls' });
  const check = h(
    'label',
    { class: 'check' },
    h('input', {
      type: 'checkbox',
      checked: store.state.combined,
      testid: 'combined-toggle',
      onchange: (ev: Event) => store.set({ combined: (ev.target as HTMLInputElement).checked }),
    }),
    'Hotspots als Schraffur über den Typen zeigen',
  );
  fill(box, check, message('Hotspot-Analysen werden geladen …'));
  api
    .hotspotRuns()
    .then((r) => {
      const runs = unwrap<HotspotRunSummary>(r as HotspotRunSummary[], 'runs').filter(
        (x) => x.level === store.state.level,
      );
      if (!runs.length)
        return fill(box, check, message('Noch keine Hotspot-Analyse vorhanden (Ansicht Sozialplanung → Hotspots).'));
      fill(
        box,
        check,
        select(
          { testid: 'combined-hotspot-run', 'aria-label': 'Hotspot-Analyse' },
          runs.map((x) => ({ value: String(x.id), label: `Nr. ${x.id}: ${x.indicator}, ${formatPeriod(x.period)}` })),
          store.state.hotspots,
          (v) => store.set({ hotspots: v }),
        ),
      );
      if (!store.state.hotspots) store.set({ hotspots: String(runs[0].id) });
    })
    .catch((err) => fill(box, check, message(`Hotspots: ${errorMessage(err)}`, 'error')));
  return box;
}
