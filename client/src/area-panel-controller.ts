/**
 * Keeps the side panel in step with the selected area: the Sozialstruktur-Profil in the planner,
 * the type and key figures in Beratung, nothing (the research view shows its results there).
 * An answer that arrives after the area or view has changed is dropped.
 */
import { api } from './data.js';
import { errorMessage } from './api.js';
import { fill, message } from './dom.js';
import { renderProfile } from './area-panel.js';
import { renderBeratungPanel } from './view-beratung.js';
import { childLevel } from './levels.js';
import { profilePrintUrl } from './print-link.js';
import { appendIndexLine } from './index-map.js';
import type { Ctx } from './ctx.js';

export async function updateAreaPanel(ctx: Ctx): Promise<void> {
  const { store, panel } = ctx;
  const s = store.state;
  ctx.map.select(s.area);
  if (!s.area) {
    panel.hidden = s.view !== 'forschung';
    if (s.view !== 'forschung') fill(panel);
    return;
  }
  if (s.view === 'forschung') return; // the research view uses the panel for results
  panel.hidden = false;
  fill(panel, message('Profil wird geladen …'));
  try {
    // Beratung shows the newest figures (each at its latest date); the planner the chosen period.
    const periods = ctx.levels.find((l) => l.key === s.level)?.periods ?? [];
    const period = s.view === 'beratung' && periods.length ? periods[periods.length - 1] : s.period;
    const area = await api.area(s.area, s.level, period);
    if (store.state.area !== s.area || store.state.view !== s.view) return;
    if (s.view === 'beratung') await renderBeratungPanel(ctx, panel, area);
    else
      renderProfile(
        panel,
        area,
        s.indicator,
        () => store.set({ area: '' }),
        childLevel(ctx.levels, area.level)?.label ?? null,
        profilePrintUrl({
          level: area.level,
          code: area.code,
          period: area.period,
          layer: s.layer,
          from: s.from,
          to: s.to,
        }),
      );
    // With the MSS index on the map, the panel names the area's index classes too.
    if (s.view === 'planung' && (s.layer === 'status' || s.layer === 'dynamik'))
      void appendIndexLine(panel, s.level, s.period, s.area);
  } catch (err) {
    fill(panel, message(`Das Profil ist nicht verfügbar: ${errorMessage(err)}`, 'error'));
  }
}
