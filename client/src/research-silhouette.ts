/**
 * The research sidebar's switch between the type map and the silhouette map of the shown run
 * (silhouette-data.ts draws it). In the URL as "sil=1", so a link shows the same map.
 */
import { h } from './dom.js';
import type { Ctx } from './ctx.js';

export function silhouetteSwitch(ctx: Ctx): HTMLElement {
  return h(
    'label',
    { class: 'check' },
    h('input', {
      type: 'checkbox',
      checked: ctx.store.state.silhouette,
      testid: 'silhouette-toggle',
      onchange: (ev: Event) => ctx.store.set({ silhouette: (ev.target as HTMLInputElement).checked }),
    }),
    'Karte: Silhouette je Gebiet statt Typen',
  );
}
