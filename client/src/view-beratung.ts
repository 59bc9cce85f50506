/**
 * Beratung (counselling, for older people): a search field first, then the answer, then one calm
 * map with names. The answer describes the area in plain words only — the name and description of
 * its type in the typology published for its level (never a research run, never a type number,
 * run number, z or SD; plain-language.ts), 3–5 key figures "mehr/weniger als in Berlin insgesamt"
 * with their dates, the nearest care homes and Kitas, and a one-page handout to print.
 */
import { h, fill, message, select } from './dom.js';
import { api, unwrap } from './data.js';
import { errorMessage } from './api.js';
import { keyFigures } from './key-figures.js';
import { formatToday } from './format.js';
import { plainTypeName, plainWords } from './plain-language.js';
import { levelOptions } from './levels.js';
import { hiddenExplanation } from './hidden-reason.js';
import { publishedRunId } from './published-run.js';
import { searchBox } from './search-box.js';
import { formatDistance, NEARBY_LAYERS, nearbyList } from './nearby.js';
import type { Ctx } from './ctx.js';
import type { AreaDetail, TypologyMember } from './types.js';

export function renderBeratung(ctx: Ctx): void {
  fill(
    ctx.controls,
    h('h2', {}, 'Beratung'),
    // Search first: on a phone it is the first thing on the page.
    h('label', { for: 'search', class: 'big' }, 'Adresse, Straße oder Gebiet suchen'),
    searchBox(ctx, { id: 'search', placeholder: 'z. B. Ackerstraße 1B' }),
    h('p', { class: 'hint' }, 'Auch Postleitzahlen und Ortsteile. Mit den Pfeiltasten wählen, mit Enter übernehmen.'),
    // Search, map and figures follow the level: Planungsräume for a street, Bezirke for an overview.
    h('label', { for: 'b-level' }, 'Gebietsebene'),
    select({ id: 'b-level', testid: 'beratung-level' }, levelOptions(ctx.levels), ctx.store.state.level, (v) =>
      ctx.store.set({ level: v, area: '' }),
    ),
  );
}

export async function renderBeratungPanel(ctx: Ctx, panel: HTMLElement, area: AreaDetail): Promise<void> {
  const figures = keyFigures(area, 5);
  // An area hidden for confidentiality has no figures to show: say why instead of showing nothing.
  const hiddenReason = figures.length ? null : area.indicators.find((i) => i.suppressed)?.suppressionReason;
  const typeBox = h('div', { class: 'type-box', testid: 'type-box' }, message('Beschreibung wird geladen …'));
  const nearbyBox = h('div', { class: 'nearby', testid: 'nearby' });
  const handout = `/profile/${encodeURIComponent(area.level)}/${encodeURIComponent(area.code)}/handout`;
  fill(
    panel,
    h('h2', { class: 'big-name', testid: 'area-name' }, area.name),
    area.parent ? h('p', { class: 'panel-meta' }, `liegt in ${area.parent.name}`) : null,
    typeBox,
    hiddenReason
      ? h(
          'p',
          { class: 'hidden-figures', testid: 'hidden-figures' },
          `Die Zahlen dieses Gebiets sind geheim. ${hiddenExplanation(hiddenReason)}`,
        )
      : null,
    figures.length ? h('h3', { class: 'section-title' }, 'Zahlen zum Gebiet') : null,
    h(
      'dl',
      { class: 'key-figures', testid: 'key-figures' },
      ...figures.flatMap((f) => [
        h('dt', {}, f.label),
        h(
          'dd',
          { 'data-key': f.key },
          h('span', { class: 'figure' }, f.value),
          f.comparison ? h('span', { class: 'comparison' }, f.comparison) : null,
          h('span', { class: 'stand' }, `Stand ${f.stand}`),
        ),
      ]),
    ),
    nearbyBox,
    h(
      'p',
      { class: 'handout' },
      h(
        'a',
        { href: handout, target: '_blank', rel: 'noopener', class: 'button-link', testid: 'handout-link' },
        'Handzettel drucken',
      ),
    ),
    h('p', { class: 'print-only' }, `Gedruckt am ${formatToday()}`),
  );
  void renderNearby(nearbyBox, area.code);
  try {
    const runId = await publishedRunId(area.level);
    if (!runId) {
      fill(typeBox, h('p', {}, 'Für diese Gebietsebene gibt es noch keine Beschreibung der Gebiete.'));
      return;
    }
    const [run, mem] = await Promise.all([api.typology(runId), api.typologyMembers(runId)]);
    const m = unwrap<TypologyMember>(mem as TypologyMember[], 'members').find((x) => x.code === area.code);
    const t = m ? run.types.find((x) => x.type === m.type) : undefined;
    if (!t) {
      fill(typeBox, h('p', {}, 'Für dieses Gebiet gibt es zu wenige Angaben für eine Beschreibung.'));
      return;
    }
    fill(
      typeBox,
      h('h3', { class: 'section-title' }, 'Art des Gebiets'),
      h('p', { class: 'type-name', testid: 'type-label' }, plainTypeName(t)),
      h(
        'p',
        { class: 'type-description', testid: 'type-description' },
        plainWords(t.plainDescription ?? t.description ?? ''),
      ),
    );
  } catch (err) {
    fill(typeBox, message(`Die Beschreibung ist nicht verfügbar: ${errorMessage(err)}`, 'error'));
  }
}

/** The nearest care homes and Kitas, each list only when the server answers for it. */
async function renderNearby(box: HTMLElement, code: string): Promise<void> {
  const parts = await Promise.all(
    NEARBY_LAYERS.map(async ({ layer, title }) => {
      try {
        const list = nearbyList(await api.nearby(code, layer, 5));
        if (!list.length) return null;
        return h(
          'section',
          { class: 'nearby-layer', testid: `nearby-${layer}` },
          h('h3', { class: 'section-title' }, title),
          h(
            'ol',
            { class: 'nearby-list' },
            ...list.map((f) =>
              h(
                'li',
                {},
                h('span', { class: 'nearby-name' }, f.name),
                f.address ? h('span', { class: 'nearby-address' }, String(f.address)) : null,
                h('span', { class: 'nearby-distance' }, formatDistance(f.distanceM)),
              ),
            ),
          ),
        );
      } catch {
        return null; // not offered by this server (yet): the panel simply has no list
      }
    }),
  );
  fill(box, ...parts);
}
