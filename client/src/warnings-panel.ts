/**
 * The planner's "Frühwarnungen" box: GET /api/warnings for the level and period, per rule its severity,
 * the data date it fired on and the areas it names (a click selects the area); rules that do not apply
 * at this level say why. The grouping is warnings-list.ts.
 */
import { h, fill, message } from './dom.js';
import { errorMessage, fetchJson, q } from './api.js';
import { formatPeriod } from './format.js';
import { warningsByRule, type WarningsAnswer } from './warnings-list.js';
import type { Ctx } from './ctx.js';

export async function renderWarnings(ctx: Ctx, box: HTMLElement): Promise<void> {
  const s = ctx.store.state;
  fill(box, message('Warnungen werden geladen …'));
  try {
    const answer = await fetchJson<WarningsAnswer>(`/api/warnings${q({ level: s.level, period: s.period })}`);
    const rules = warningsByRule(answer);
    if (!rules.length) return fill(box, message('Keine Warnregeln eingerichtet.'));
    fill(
      box,
      h(
        'p',
        { class: 'hint', testid: 'warnings-summary' },
        `${answer.areas.length} Gebiete mit Warnungen, Stand ${formatPeriod(answer.period)}`,
      ),
      h(
        'ul',
        { class: 'warnings', testid: 'warnings-list' },
        ...rules.map((r) =>
          h(
            'li',
            { testid: 'warning-rule', 'data-rule': String(r.id), 'data-count': String(r.areas.length) },
            h('strong', {}, r.name),
            ` (${r.severity})`,
            r.applicable
              ? ` – ${r.areas.length} Gebiete, seit Stand ${formatPeriod(r.since)}`
              : ` – nicht anwendbar: ${r.note ?? ''}`,
            r.areas.length
              ? h(
                  'details',
                  {},
                  h('summary', {}, 'Gebiete'),
                  h(
                    'ul',
                    {},
                    ...r.areas.map((a) =>
                      h(
                        'li',
                        {},
                        h(
                          'button',
                          {
                            type: 'button',
                            class: 'link',
                            testid: 'warning-area',
                            'data-code': a.code,
                            onclick: () => ctx.selectArea(a.code, true),
                          },
                          a.name,
                        ),
                        `: ${a.message}`,
                      ),
                    ),
                  ),
                )
              : null,
          ),
        ),
      ),
    );
  } catch (err) {
    fill(box, message(errorMessage(err), 'error'));
  }
}
