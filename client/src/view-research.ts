/**
 * Researcher view (Forschung): the settings form in the sidebar (research-form.ts) and the shown
 * run in the panel (research-result.ts). Holds the form's run feedback elements, so a rerun
 * started from the panel reports in the sidebar that is on screen.
 */
import { h, fill } from './dom.js';
import { renderResearchForm } from './research-form.js';
import { showRun } from './research-result.js';
import { runTypology, type RunFeedback } from './research-run.js';
import { settings, settingsFromParams } from './research-settings.js';
import type { Ctx } from './ctx.js';
import type { TypologyRun } from './types.js';

/** Progress, status and history of the sidebar last rendered; null before the first render. */
let feedback: RunFeedback | null = null;

export function renderResearch(ctx: Ctx): void {
  feedback = renderResearchForm(ctx);
  ctx.panel.hidden = false;
  if (ctx.store.state.run) void showCurrentRun(ctx);
  else
    fill(
      ctx.panel,
      h('h2', {}, 'Ergebnisse'),
      h('p', {}, 'Noch kein Lauf gewählt. Stellen Sie links das Verfahren ein und berechnen Sie eine Typologie.'),
    );
}

export function refreshResearchPanel(ctx: Ctx): void {
  if (ctx.store.state.view === 'forschung' && ctx.store.state.run) void showCurrentRun(ctx);
}

function showCurrentRun(ctx: Ctx): Promise<void> {
  return showRun(
    ctx,
    ctx.store.state.run,
    (run, k) => {
      if (!feedback) return;
      // The rerun keeps the stored run's own parameters (indicators, k range) with another chosen k.
      settings.indicators = run.params?.indicators ?? [];
      void runTypology(ctx, feedback, { ...run.params, k });
    },
    (run) => adoptParams(ctx, run),
  );
}

/**
 * "Parameter übernehmen": the form gets the stored run's parameters; level and period switch to the
 * run's (which re-renders the form), otherwise the form is rendered again with the new settings.
 */
function adoptParams(ctx: Ctx, run: TypologyRun): void {
  Object.assign(settings, settingsFromParams(run.params ?? {}, settings));
  const { level, period } = run.params ?? {};
  const s = ctx.store.state;
  if ((level && level !== s.level) || (period && period !== s.period))
    ctx.store.set({ level: level ?? s.level, period: period ?? s.period });
  else feedback = renderResearchForm(ctx);
  ctx.controls.querySelector<HTMLElement>('[data-testid="run-typology"]')?.focus();
}
