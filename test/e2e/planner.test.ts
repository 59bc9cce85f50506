/**
 * The planning and research views' everyday tools in a real browser (Debian chromium via
 * playwright-core) against the express app on the Berlin sample (issue 14 items 3 and 4): the research
 * view's diagnostics of a stored run, its quality measures per k as numbers, chart axes with distinct
 * tick labels, "Parameter übernehmen" and "Veröffentlichen". Screenshots under test-results/.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as XLSX from '@e965/xlsx';
import type { Db } from '../../geodata/db.js';
import { openSampleDb } from '../helpers/test-db.js';
import {
  launchBrowser,
  screenshot,
  startServer,
  TOKEN,
  waitForMapIdle,
  type BrowserHandle,
  type RunningServer,
} from './helpers.js';
import { formatNumber, formatSigned } from '../../client/src/format.js';
import { classCounts } from '../../client/src/classify.js';
import { computeDefaultHotspots } from '../../server/services/hotspot-default-runs.js';
import { warningsByRule, type WarningsAnswer } from '../../client/src/warnings-list.js';
import { compareTable, type CompareAnswer } from '../../client/src/compare-data.js';
import { indexLegend, indexSummary, type IndexAnswer } from '../../client/src/status-index-data.js';

type Page = BrowserHandle['page'];

let db: Db;
let server: RunningServer;
let b: BrowserHandle;

/** A research run with parameters that differ from every form default (PCA 2 + varimax on PC scores, robust). */
const PARAMS = {
  level: 'plr',
  period: '2020-12-31',
  indicators: ['S1', 'S3', 'S4', 'KI_01', 'KI_03'],
  standardize: 'robust',
  pca: 2,
  rotation: 'varimax',
  clusterOn: 'pcs',
  kRange: [2, 6],
  restarts: 5,
  seed: 3,
  bootstrap: 0,
};

interface RunView {
  id: number;
  published: boolean;
  result: {
    byK: { k: number; silhouette: number; calinskiHarabasz: number; daviesBouldin: number; inertia: number }[];
    suggestion: { k: number; reasons: string[] };
    pca: { rotation: string; retained: number; explainedVariance: number[] };
    warnings: string[];
  };
}

let runId = 0;

async function api<T>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(server.url + path, {
    ...init,
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}`, ...init.headers },
  });
  return { status: res.status, body: (await res.json()) as T };
}

async function open(hash: string): Promise<{ page: Page; errors: string[] }> {
  const page = await b.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`${server.url}/${hash}`);
  await page.waitForSelector('body[data-ready="1"]', { timeout: 60_000 });
  return { page, errors };
}

beforeAll(async () => {
  db = await openSampleDb();
  server = await startServer(db);
  const run = await api<{ runId: number }>('/api/typologies', { method: 'POST', body: JSON.stringify(PARAMS) });
  expect(run.status).toBe(201);
  runId = run.body.runId;
  // The first start stores the default Gi*/LISA runs (server/cli/core.ts); the in-process app does
  // not start that way, so the same runs are made here (none when the template already has them).
  await computeDefaultHotspots(db);
  b = await launchBrowser({ width: 1440, height: 900 });
}, 300_000);

afterAll(async () => {
  await b?.close();
  await server?.close();
  await db?.close();
});

describe('research view: a stored run explains itself', () => {
  it('shows the k-choice reasons, the quality table per k with the API numbers, the explained variance and distinct axis ticks', async () => {
    const { body: view } = await api<RunView>(`/api/typologies/${runId}`);
    const { page, errors } = await open(`#view=forschung&typ=${runId}`);
    await page.waitForSelector('[data-testid="quality-table"]', { timeout: 60_000 });
    // Reasons: the server's own sentences, in its order.
    const reasons = await page.locator('[data-testid="diag-reasons"] li').allTextContents();
    expect(reasons).toEqual(view.result.suggestion.reasons);
    expect(await page.textContent('[data-testid="diag-votes"]')).toContain(`k = ${view.result.suggestion.k}:`);
    // Quality table: one row per k, numbers as the API gives them (3 decimals for silhouette and DB).
    const rows = page.locator('[data-testid="quality-row"]');
    expect(await rows.count()).toBe(5);
    for (const [i, m] of [...view.result.byK].sort((a, c) => a.k - c.k).entries()) {
      const cells = await rows.nth(i).locator('td').allTextContents();
      expect(cells[0]).toMatch(new RegExp(`^${m.k}( \\(gewählt\\))?$`));
      expect(cells[1]).toBe(formatNumber(m.inertia, 1));
      expect(cells[2]).toBe(formatNumber(m.silhouette, 3));
      expect(cells[3]).toBe(formatNumber(m.calinskiHarabasz, 1));
      expect(cells[4]).toBe(formatNumber(m.daviesBouldin, 3));
    }
    // The best silhouette is the bold one.
    const bestSil = Math.max(...view.result.byK.map((m) => m.silhouette));
    expect(await page.locator('[data-testid="quality-table"] td:nth-child(3) strong').allTextContents()).toEqual([
      formatNumber(bestSil, 3),
    ]);
    // Two components kept, rotated: the explained variance per component, no skipped-rotation note.
    expect(view.result.pca.rotation).toBe('varimax');
    expect(await page.locator('[data-testid="diag-explained"] tbody tr').count()).toBe(
      view.result.pca.explainedVariance.length,
    );
    expect(await page.locator('[data-testid="diag-rotation"]').count()).toBe(0);
    // Every chart over k has tick labels that differ from each other.
    for (const key of ['inertia', 'silhouette', 'calinskiHarabasz', 'daviesBouldin']) {
      const ticks = await page
        .locator(`[data-testid="chart-byk-${key}"] g[aria-label="y-axis tick label"] text`)
        .allTextContents();
      expect(ticks.length, key).toBeGreaterThanOrEqual(2);
      expect(new Set(ticks).size, `${key}: ${ticks.join(' / ')}`).toBe(ticks.length);
    }
    await screenshot(page, 'forschung-diagnose');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('"Parameter übernehmen" loads the stored parameters into the form; "Veröffentlichen" needs the token and publishes', async () => {
    const { page, errors } = await open(`#view=forschung&typ=${runId}`);
    await page.waitForSelector('[data-testid="adopt-params"]', { timeout: 60_000 });
    expect(await page.inputValue('[data-testid="seed"]')).toBe('1'); // the form's default before
    await page.click('[data-testid="adopt-params"]');
    await page.waitForFunction(
      () => (document.querySelector('[data-testid="seed"]') as HTMLInputElement | null)?.value === '3',
      null,
      { timeout: 30_000 },
    );
    expect(await page.inputValue('[data-testid="research-standardize"]')).toBe('robust');
    expect(await page.inputValue('[data-testid="research-pca"]')).toBe('2');
    expect(await page.isChecked('[data-testid="research-varimax"]')).toBe(true);
    expect(await page.inputValue('[data-testid="research-cluster-on"]')).toBe('pcs');
    expect(await page.isChecked('[data-testid="k-mode-range"]')).toBe(true);
    expect(await page.inputValue('[data-testid="k-from"]')).toBe('2');
    expect(await page.inputValue('[data-testid="k-to"]')).toBe('6');
    expect(await page.inputValue('[data-testid="restarts"]')).toBe('5');
    expect(await page.inputValue('[data-testid="bootstrap"]')).toBe('0');
    expect(await page.inputValue('[data-testid="research-period"]')).toBe('2020-12-31');
    const checked = await page
      .locator('[data-testid="research-indicators"] input:checked')
      .evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
    expect(checked.sort()).toEqual([...PARAMS.indicators].sort());

    // Not published yet: a research run.
    expect(await page.textContent('[data-testid="publish-state"]')).toContain('nicht veröffentlicht');
    await page.click('[data-testid="publish-run"]');
    expect(await page.textContent('[data-testid="publish-status"]')).toContain('Zugangstoken');
    expect((await api<RunView>(`/api/typologies/${runId}`)).body.published).toBe(false);
    await page.fill('[data-testid="token-input"]', TOKEN);
    await page.locator('[data-testid="token-input"]').dispatchEvent('change');
    await page.click('[data-testid="publish-run"]');
    await page.waitForFunction(
      () => /ist veröffentlicht/.test(document.querySelector('[data-testid="publish-status"]')?.textContent ?? ''),
      null,
      { timeout: 30_000 },
    );
    expect((await api<RunView>(`/api/typologies/${runId}`)).body.published).toBe(true);
    await screenshot(page, 'forschung-parameter-veroeffentlicht');
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('planning view: the change map follows the chosen classification', () => {
  it('EW_65 2021 → 2024 in quantile classes around 0: no class holds most areas', async () => {
    const chg = await db.query<{ d: number }>(
      `SELECT b.value - a.value AS d
         FROM indicator_value a JOIN indicator_value b ON b.level = a.level AND b.code = a.code AND b.indicator = a.indicator
        WHERE a.level = 'plr' AND a.indicator = 'EW_65' AND a.period = '2021-12-31' AND b.period = '2024-12-31'
          AND NOT a.suppressed AND NOT b.suppressed AND a.value IS NOT NULL AND b.value IS NOT NULL`,
    );
    const diffs = chg.rows.map((r) => Number(r.d));
    expect(diffs.length).toBeGreaterThan(500);
    const { page, errors } = await open(
      '#view=planung&ebene=plr&ind=EW_65&zeit=2024-12-31&layer=veraenderung&von=2021-12-31&bis=2024-12-31&klassen=quantile&n=5',
    );
    await page.waitForFunction(
      () => document.querySelector('[data-testid="legend-title"]')?.textContent?.startsWith('Veränderung') ?? false,
      null,
      { timeout: 60_000 },
    );
    const limitsOf = async () => {
      const entries = await page
        .locator('[data-testid="legend"] [data-testid="legend-entry"]')
        .evaluateAll((els) => els.map((e) => [Number(e.getAttribute('data-from')), Number(e.getAttribute('data-to'))]));
      return [entries[0][0], ...entries.map((e) => e[1])];
    };
    const q = await limitsOf();
    expect(q).toHaveLength(6);
    const counts = classCounts(diffs, q);
    expect(counts.reduce((a, c) => a + c, 0)).toBe(diffs.length);
    expect(Math.max(...counts), counts.join('/')).toBeLessThan(diffs.length / 2);
    // The middle class straddles zero (about unchanged).
    expect(q[2]).toBeLessThanOrEqual(0);
    expect(q[3]).toBeGreaterThanOrEqual(0);
    // The single period does not apply to the change map: hidden.
    expect(await page.isVisible('[data-testid="select-period"]')).toBe(false);
    // The ranking sorts by the change (largest first), as the database has it.
    await page.waitForSelector('[data-testid="ranking-change"]', { timeout: 30_000 });
    const ranked = await page
      .locator('[data-testid="ranking-row"]')
      .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-value'))));
    expect(ranked.length).toBe(diffs.length);
    expect(ranked[0]).toBeCloseTo(Math.max(...diffs), 9);
    expect(ranked[ranked.length - 1]).toBeCloseTo(Math.min(...diffs), 9);
    for (let i = 1; i < ranked.length; i++) expect(ranked[i]).toBeLessThanOrEqual(ranked[i - 1]);
    // Druckfassung of the area picked from the ranking: period and since of the change map.
    await page.locator('[data-testid="ranking-row"]').first().click();
    await page.waitForSelector('[data-testid="profile-print-link"]', { timeout: 30_000 });
    const href = (await page.getAttribute('[data-testid="profile-print-link"]', 'href')) ?? '';
    expect(href).toMatch(/^\/profile\/plr\/\d{8}\?period=2024-12-31&since=2021-12-31$/);
    const printed = await fetch(server.url + href);
    expect(printed.status).toBe(200);
    await screenshot(page, 'planung-veraenderung-quantile');
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('planning view: hotspots out of the box', () => {
  it("the default Gi* run of S1 shows without a token, its legend naming queen, FDR, α and the global Moran's I", async () => {
    const list = await fetch(`${server.url}/api/hotspots`);
    expect(list.status).toBe(200);
    const runs = (await list.json()) as { id: number; indicator: string; level: string; period: string }[];
    const s1 = runs.find((r) => r.indicator === 'S1' && r.level === 'plr');
    expect(s1).toBeDefined();
    const detail = (await (await fetch(`${server.url}/api/hotspots/${s1!.id}`)).json()) as {
      params: { weights: string; correction: string; alpha: number };
      result: { global: { I: number; p: number; pPermutation: number | null } };
    };
    expect([detail.params.weights, detail.params.correction, detail.params.alpha]).toEqual(['queen', 'fdr', 0.05]);
    const { page, errors } = await open(
      `#view=planung&ebene=plr&ind=S1&zeit=${s1!.period}&layer=hotspots&hot=${s1!.id}&hotmodus=gi`,
    );
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid="legend-title"]')?.textContent?.startsWith('Hot- und Coldspots') ?? false,
      null,
      { timeout: 60_000 },
    );
    const note = (await page.textContent('[data-testid="legend"] .legend-note')) ?? '';
    const g = detail.result.global;
    expect(note).toContain('Queen-Nachbarschaft');
    expect(note).toContain('Korrektur FDR (Benjamini-Hochberg)');
    expect(note).toContain('α = 0,05');
    expect(note).toContain(
      `globales Moran's I = ${formatNumber(g.I, 3)} (p = ${formatNumber(g.pPermutation ?? g.p, 3)})`,
    );
    await screenshot(page, 'planung-hotspots-ohne-token');
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('planning view: the warnings list', () => {
  it('names per rule its severity, the areas it fired on and since which data date, as /api/warnings says', async () => {
    const period = '2020-12-31';
    const answer = (await (
      await fetch(`${server.url}/api/warnings?level=plr&period=${period}`)
    ).json()) as WarningsAnswer;
    const expected = warningsByRule(answer);
    expect(expected.length).toBeGreaterThanOrEqual(1); // the seeded MSS rule
    const { page, errors } = await open(`#view=planung&ebene=plr&ind=S1&zeit=${period}`);
    await page.click('[data-testid="warnings-box"] summary');
    await page.waitForSelector('[data-testid="warnings-summary"]', { timeout: 60_000 });
    expect(await page.textContent('[data-testid="warnings-summary"]')).toBe(
      `${answer.areas.length} Gebiete mit Warnungen, Stand 31.12.2020`,
    );
    const shown = await page
      .locator('[data-testid="warning-rule"]')
      .evaluateAll((els) =>
        els.map((e) => [Number(e.getAttribute('data-rule')), Number(e.getAttribute('data-count'))]),
      );
    expect(shown).toEqual(expected.map((r) => [r.id, r.areas.length]));
    const fired = expected.find((r) => r.areas.length > 0);
    if (fired) {
      const codes = await page
        .locator(`[data-testid="warning-rule"][data-rule="${fired.id}"] [data-testid="warning-area"]`)
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-code')));
      expect(codes).toEqual(fired.areas.map((a) => a.code));
    }
    await screenshot(page, 'planung-warnungen');
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('planning view: compare, MSS index, ranking search and keyboard', () => {
  const period = '2020-12-31';
  const STUELER = '01100101'; // Stülerstraße, Bezirk Mitte (01)

  it('compares two areas side by side with Berlin, the parent and the difference, as /api/compare says', async () => {
    const { page, errors } = await open(`#view=planung&ebene=plr&ind=S1&zeit=${period}&gebiet=${STUELER}`);
    await page.click('[data-testid="compare-box"] summary');
    await page.waitForSelector('[data-testid="compare-pick"] option', { state: 'attached', timeout: 60_000 });
    // The area selected on the map, then another one from the list.
    await page.click('[data-testid="compare-add-selected"]');
    const other = await page
      .locator('[data-testid="compare-pick"] option')
      .evaluateAll((els, c) => els.map((e) => (e as HTMLOptionElement).value).find((v) => v !== c), STUELER);
    await page.selectOption('[data-testid="compare-pick"]', other!);
    await page.click('[data-testid="compare-add"]');
    await page.waitForSelector('[data-testid="compare-table"]', { timeout: 60_000 });
    const answer = (await (
      await fetch(`${server.url}/api/compare?codes=${STUELER},${other}&level=plr&period=${period}`)
    ).json()) as CompareAnswer;
    const profile = (await (await fetch(`${server.url}/api/areas/${STUELER}?level=plr&period=${period}`)).json()) as {
      parent: { name: string } | null;
      indicators: { key: string; parentValue: number | null }[];
    };
    const t = compareTable(
      answer,
      profile.parent
        ? { name: profile.parent.name, values: new Map(profile.indicators.map((i) => [i.key, i.parentValue])) }
        : null,
    );
    expect(await page.textContent('[data-testid="compare-table"] caption')).toBe('Stand 31.12.2020');
    const rows = page.locator('[data-testid="compare-row"]');
    expect(await rows.count()).toBe(answer.rows.length);
    // Every row as the API's numbers give it: two areas, parent, Berlin, difference.
    const s1 = t.rows.find((r) => r.indicator === 'S1')!;
    const cells = await page.locator('[data-testid="compare-row"][data-indicator="S1"] td').allTextContents();
    expect(cells).toEqual([
      ...s1.cells,
      ...(s1.parent !== undefined ? [s1.parent] : []),
      s1.region,
      ...s1.differenceText,
    ]);
    // The difference is the second area minus the first, independently recomputed.
    const raw = answer.rows.find((r) => r.indicator === 'S1')!;
    if (raw.values[0] !== null && raw.values[1] !== null) {
      expect(s1.differences[0]).toBeCloseTo(raw.values[1] - raw.values[0], 12);
      expect(s1.differenceText[0]).toBe(`${formatSigned(raw.values[1] - raw.values[0], 1)} Pp.`);
    }
    // Bars: each area's S1 as an index of Berlin's (= 100), recomputed from the API's numbers.
    await page.click('[data-testid="compare-bars"] summary');
    const idx = await page
      .locator('[data-testid="compare-bars-row"][data-indicator="S1"] .compare-bar')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-index')));
    expect(idx.map((x) => (x ? Number(x) : null))).toEqual(
      raw.values.map((v) => (v === null || !raw.region ? null : Number(((v / raw.region) * 100).toFixed(3)))),
    );
    await page.locator('[data-testid="compare-table"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'planung-vergleich');
    // The wide view: the same cells, every column visible at 1440 px without scrolling sideways.
    await page.click('[data-testid="compare-wide"]');
    await page.waitForSelector('[data-testid="compare-dialog"][open]');
    expect(await page.locator('[data-testid="compare-row-wide"]').count()).toBe(answer.rows.length);
    expect(await page.locator('[data-testid="compare-row-wide"][data-indicator="S1"] td').allTextContents()).toEqual(
      cells,
    );
    const fits = await page.locator('[data-testid="compare-dialog"]').evaluate((d) => d.scrollWidth <= d.clientWidth);
    expect(fits).toBe(true);
    await screenshot(page, 'planung-vergleich-gross');
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid="compare-dialog"]', { state: 'detached' });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows the MSS status index as a map with its classes and counts, and the area panel names the classes', async () => {
    const res = await fetch(`${server.url}/api/index?level=plr&period=${period}`);
    expect(res.status).toBe(200);
    const answer = (await res.json()) as IndexAnswer;
    const expected = indexLegend(answer, 'status');
    const { page, errors } = await open(`#view=planung&ebene=plr&ind=S1&zeit=${period}&layer=status&gebiet=${STUELER}`);
    await page.waitForFunction(
      () => document.querySelector('[data-testid="legend-title"]')?.textContent === 'Status-Index (MSS)',
      null,
      { timeout: 60_000 },
    );
    const entries = await page
      .locator('[data-testid="legend"] [data-testid="legend-entry"]')
      .evaluateAll((els) => els.map((e) => e.textContent ?? ''));
    expect(entries).toEqual(expected.entries.map((e) => `${e.label}(${e.count})`));
    // Counted independently from the members: hoch … sehr niedrig add up to the areas with a class.
    const withClass = answer.members.filter((m) => m.statusCode !== null).length;
    expect(expected.entries.reduce((a, e) => a + (e.count ?? 0), 0)).toBe(withClass);
    expect(answer.members.filter((m) => m.statusClass === 'sehr niedrig').length).toBe(expected.entries[3].count);
    const m = answer.members.find((x) => x.code === STUELER)!;
    await page.waitForSelector('[data-testid="index-line"]', { timeout: 60_000 });
    expect(await page.textContent('[data-testid="index-line"]')).toBe(`MSS-Index: ${indexSummary(m)}`);
    await screenshot(page, 'planung-mss-status');
    // The dynamics index: three classes.
    await page.click('[data-testid="layer-dynamik"]');
    await page.waitForFunction(
      () => document.querySelector('[data-testid="legend-title"]')?.textContent === 'Dynamik-Index (MSS)',
      null,
      { timeout: 60_000 },
    );
    expect(await page.locator('[data-testid="legend"] [data-testid="legend-entry"]').count()).toBe(3);
    await screenshot(page, 'planung-mss-dynamik');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('ranking: search finds Stülerstraße at its city-wide rank, the Bezirk filter keeps only its areas, one tab stop', async () => {
    const { page, errors } = await open(`#view=planung&ebene=plr&ind=S1&zeit=${period}`);
    await page.waitForSelector('[data-testid="ranking-row"]', { timeout: 60_000 });
    const vals = await db.query<{ code: string; value: number }>(
      `SELECT code, value FROM indicator_value WHERE level = 'plr' AND indicator = 'S1' AND period = $1
          AND NOT suppressed AND value IS NOT NULL`,
      [period],
    );
    const all = vals.rows.map((r) => ({ code: r.code, value: Number(r.value) }));
    const mine = all.find((r) => r.code === STUELER)!;
    // Rank under "highest first": 1 + areas with a higher value (no tie expected at this value).
    const rank = 1 + all.filter((r) => r.value > mine.value).length;
    await page.fill('[data-testid="ranking-search"]', 'stulerstrasse');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="ranking-row"]').length === 1, null, {
      timeout: 30_000,
    });
    const row = page.locator('[data-testid="ranking-row"]');
    expect(await row.getAttribute('data-code')).toBe(STUELER);
    expect(await row.getAttribute('data-rank')).toBe(String(rank));
    expect(await page.textContent('[data-testid="ranking-count"]')).toMatch(/^1 von \d+ Gebieten$/);
    // Bezirk Mitte only: every shown row's code begins with 01, as many as the database has.
    await page.fill('[data-testid="ranking-search"]', '');
    await page.waitForSelector('[data-testid="ranking-bezirk"] option[value="01"]', {
      state: 'attached',
      timeout: 60_000,
    });
    await page.selectOption('[data-testid="ranking-bezirk"]', '01');
    const inMitte = all.filter((r) => r.code.startsWith('01')).length;
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="ranking-row"]').length === n, inMitte, {
      timeout: 30_000,
    });
    const codes = await page
      .locator('[data-testid="ranking-row"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-code') ?? ''));
    expect(codes.every((c) => c.startsWith('01'))).toBe(true);
    // One tab stop: a single element of the table is in the tab order; arrows move inside.
    expect(await page.locator('[data-testid="ranking-table"] [tabindex="0"]').count()).toBe(1);
    await page.locator('[data-testid="ranking-row"]').first().focus();
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-code'))).toBe(codes[1]);
    await page.keyboard.press('End');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-code'))).toBe(codes[codes.length - 1]);
    expect(await page.locator('[data-testid="ranking-table"] [tabindex="0"]').count()).toBe(1);
    // Tab leaves the table at once (the next stop is outside it).
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => !!document.activeElement?.closest('[data-testid="ranking-table"]'))).toBe(false);
    await screenshot(page, 'planung-rangliste-suche');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the skip link reaches the map without resetting the view; Enter selects the area at the map centre and says so', async () => {
    const view = '14/13.37/52.51';
    const { page, errors } = await open(`#view=planung&ebene=plr&ind=S1&zeit=${period}&karte=${view}`);
    await page.waitForSelector('[data-testid="map"][data-first-render-ms]', { timeout: 60_000 });
    const before = await page.evaluate(() => location.hash);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('skip-map');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('map');
    expect(await page.evaluate(() => location.hash)).toBe(before);
    expect(before).toMatch(/karte=14(%2F|\/)13\.37(%2F|\/)52\.51/);
    await waitForMapIdle(page);
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      () =>
        /^Ausgewählt: .+ \(\d{8}\)$/.test(document.querySelector('[data-testid="map-announce"]')?.textContent ?? ''),
      null,
      { timeout: 30_000 },
    );
    const said = (await page.textContent('[data-testid="map-announce"]')) ?? '';
    const code = /\((\d{8})\)$/.exec(said)![1];
    // The area at the centre really contains the centre point: PostGIS says which area that is.
    const hit = await db.query<{ code: string }>(
      `SELECT code FROM area WHERE level = 'plr' AND ST_Contains(geom, ST_SetSRID(ST_MakePoint(13.37, 52.51), 4326))`,
    );
    expect(hit.rows.map((r) => r.code)).toEqual([code]);
    await page.waitForFunction((c) => location.hash.includes(`gebiet=${c}`), code, { timeout: 30_000 });
    // Arrow keys pan: the centre moves, the zoom stays.
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(
      (v) => {
        const st = (window as unknown as { __sozialatlas: { store: { state: { map: string } } } }).__sozialatlas.store
          .state;
        return st.map !== v && st.map.startsWith('14/');
      },
      view,
      { timeout: 30_000 },
    );
    await screenshot(page, 'planung-tastatur-karte');
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('research view: type names, silhouette map, Moran scatter plot', () => {
  it('"Typen benennen" refuses an empty name and stores an edited one (token), as the API then returns', async () => {
    const { page, errors } = await open(`#view=forschung&typ=${runId}`);
    await page.waitForSelector('[data-testid="type-names"]', { timeout: 60_000 });
    await page.click('[data-testid="type-names"] summary');
    await page.fill('[data-testid="type-name-1"]', '   ');
    await page.click('[data-testid="type-names-save"]');
    expect(await page.textContent('[data-testid="type-names-status"]')).toContain(
      'Typ 1: Der Name darf nicht leer sein.',
    );
    await page.fill('[data-testid="token-input"]', TOKEN);
    await page.locator('[data-testid="token-input"]').dispatchEvent('change');
    await page.fill('[data-testid="type-name-1"]', 'Ruhige Wohnlagen am Stadtrand');
    await page.fill('[data-testid="type-description-1"]', 'Viele ältere Menschen, wenige Kinder.');
    await page.click('[data-testid="type-names-save"]');
    await page.waitForFunction(
      () => /Gespeichert: 1 Typ/.test(document.querySelector('[data-testid="type-names-status"]')?.textContent ?? ''),
      null,
      { timeout: 30_000 },
    );
    const { body } = await api<{
      types: { type: number; name: string; plainDescription?: string; suggested?: boolean }[];
    }>(`/api/typologies/${runId}`);
    const t1 = body.types.find((t) => t.type === 1)!;
    expect(t1.name).toBe('Ruhige Wohnlagen am Stadtrand');
    expect(t1.suggested).toBe(false);
    await screenshot(page, 'forschung-typen-benennen');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the silhouette map counts the areas per class as the members API gives their silhouettes', async () => {
    const { body } = await api<
      { code: string; silhouette: number | null }[] | { members: { code: string; silhouette: number | null }[] }
    >(`/api/typologies/${runId}/members`);
    const sil = (Array.isArray(body) ? body : body.members)
      .map((m) => m.silhouette)
      .filter((s): s is number => s !== null);
    // Classes closed at the top: ≤ −0,25 | ≤ 0 | ≤ 0,25 | ≤ 0,5 | above.
    const expected = [
      sil.filter((s) => s <= -0.25).length,
      sil.filter((s) => s > -0.25 && s <= 0).length,
      sil.filter((s) => s > 0 && s <= 0.25).length,
      sil.filter((s) => s > 0.25 && s <= 0.5).length,
      sil.filter((s) => s > 0.5).length,
    ];
    const { page, errors } = await open(`#view=forschung&typ=${runId}&sil=1`);
    await page.waitForFunction(
      () => document.querySelector('[data-testid="legend-title"]')?.textContent === 'Silhouette je Gebiet',
      null,
      { timeout: 60_000 },
    );
    const counts = await page
      .locator('[data-testid="legend"] [data-testid="legend-entry"] .legend-count')
      .evaluateAll((els) => els.map((e) => Number((e.textContent ?? '').replace(/[()]/g, ''))));
    expect(counts).toEqual(expected);
    const mean = sil.reduce((a, b) => a + b, 0) / sil.length;
    expect(await page.textContent('[data-testid="legend"] .legend-note')).toContain(
      `Mittlere Silhouette ${formatNumber(mean, 2)}`,
    );
    expect(await page.isChecked('[data-testid="silhouette-toggle"]')).toBe(true);
    await screenshot(page, 'forschung-silhouette-karte');
    expect(errors).toEqual([]);
    await page.close();
  });

  type Member = {
    code: string;
    lisaI: number | null;
    quadrant: string | null;
    lisaPAdjusted: number | null;
    lisaPPermutation: number | null;
  };
  it('the Moran scatter plot of the default S1 run: its slope is the stored global Moran I, its coloured points the LISA clusters', async () => {
    const runs = (await (await fetch(`${server.url}/api/hotspots`)).json()) as {
      id: number;
      indicator: string;
      level: string;
    }[];
    const s1 = runs.find((r) => r.indicator === 'S1' && r.level === 'plr')!;
    const detail = (await (await fetch(`${server.url}/api/hotspots/${s1.id}`)).json()) as {
      result: { global: { I: number } };
    };
    const members = (await (await fetch(`${server.url}/api/hotspots/${s1.id}/members`)).json()) as
      Member[] | { members: Member[] };
    const list = Array.isArray(members) ? members : members.members;
    const { page, errors } = await open(`#view=forschung&typ=${runId}`);
    await page.waitForSelector('[data-testid="moran-details"]', { timeout: 60_000 });
    await page.click('[data-testid="moran-details"] summary');
    await page.waitForSelector('[data-testid="moran-run"]', { timeout: 60_000 });
    await page.selectOption('[data-testid="moran-run"]', String(s1.id));
    await page.waitForSelector(`[data-testid="moran-scatter"][data-run="${s1.id}"]`, { timeout: 60_000 });
    const slope = Number(await page.getAttribute('[data-testid="moran-line"]', 'data-slope'));
    const note = (await page.textContent('[data-testid="moran-note"]')) ?? '';
    // Exact when every value is public; approximate (marked so) otherwise.
    if (note.includes('Angenähert')) expect(Math.abs(slope - detail.result.global.I)).toBeLessThan(0.05);
    else expect(slope).toBeCloseTo(detail.result.global.I, 9);
    // Coloured: the significant clusters only — corrected p (else the permutation p) at most α = 0,05.
    const coloured = await page.locator('[data-testid="moran-points"] circle:not([data-quadrant=""])').count();
    const significant = list.filter((m) => {
      const p = m.lisaPAdjusted ?? m.lisaPPermutation ?? null;
      return m.quadrant !== null && m.lisaI !== null && p !== null && p <= 0.05;
    }).length;
    expect(significant).toBeGreaterThan(0);
    expect(significant).toBeLessThan(list.length / 2);
    expect(coloured).toBe(significant);
    await page.locator('[data-testid="moran-scatter"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'forschung-moran-streudiagramm');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the LISA significance map of the default S1 run counts the areas per p class as the members API gives them', async () => {
    const runs = (await (await fetch(`${server.url}/api/hotspots`)).json()) as {
      id: number;
      indicator: string;
      level: string;
      period: string;
    }[];
    const s1 = runs.find((r) => r.indicator === 'S1' && r.level === 'plr')!;
    const raw = (await (await fetch(`${server.url}/api/hotspots/${s1.id}/members`)).json()) as
      Member[] | { members: Member[] };
    const ps = (Array.isArray(raw) ? raw : raw.members).map((m) => m.lisaPAdjusted ?? m.lisaPPermutation ?? null);
    // α = 0,05 (the default runs): p ≤ 0,001 | ≤ 0,01 | ≤ 0,05.
    const expected = [
      ps.filter((p) => p !== null && p <= 0.001).length,
      ps.filter((p) => p !== null && p > 0.001 && p <= 0.01).length,
      ps.filter((p) => p !== null && p > 0.01 && p <= 0.05).length,
    ];
    const { page, errors } = await open(
      `#view=planung&ebene=plr&ind=S1&zeit=${s1.period}&layer=hotspots&hot=${s1.id}&hotmodus=lisap`,
    );
    await page.waitForFunction(
      () =>
        document
          .querySelector('[data-testid="legend-title"]')
          ?.textContent?.startsWith('Signifikanz lokaler Cluster') ?? false,
      null,
      { timeout: 60_000 },
    );
    const counts = await page
      .locator('[data-testid="legend"] [data-testid="legend-entry"] .legend-count')
      .evaluateAll((els) => els.map((e) => Number((e.textContent ?? '').replace(/[()]/g, ''))));
    expect(counts).toEqual(expected);
    expect(await page.inputValue('[data-testid="select-hotspot-mode"]')).toBe('lisap');
    await screenshot(page, 'planung-lisa-signifikanz');
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('planning view: the ranking for Excel', () => {
  it('downloads the ranking as XLSX and German CSV; both read back with the values /api/values gives', async () => {
    const period = '2020-12-31';
    const { page, errors } = await open(`#view=planung&ebene=plr&ind=S1&zeit=${period}`);
    await page.waitForSelector('[data-testid="ranking-downloads"] a[data-format="xlsx"]', { timeout: 60_000 });
    const api = (await (await fetch(`${server.url}/api/values?indicator=S1&level=plr&period=${period}`)).json()) as {
      values: { code: string; value: number | null }[];
    };
    const byCode = new Map(api.values.map((v) => [v.code, v.value]));
    const fetchDownload = async (format: string): Promise<{ name: string; bytes: Buffer }> => {
      const [dl] = await Promise.all([
        page.waitForEvent('download'),
        page.click(`[data-testid="ranking-downloads"] a[data-format="${format}"]`),
      ]);
      return { name: dl.suggestedFilename(), bytes: await readFile((await dl.path())!) };
    };

    const xlsx = await fetchDownload('xlsx');
    expect(xlsx.name).toBe(`rangfolge_S1_plr_${period}.xlsx`); // the server's Content-Disposition name
    const wb = XLSX.read(xlsx.bytes, { type: 'buffer' });
    const rows = XLSX.utils.sheet_to_json<Record<string, unknown>>(wb.Sheets[wb.SheetNames[0]], { defval: null });
    expect(rows).toHaveLength(api.values.length);
    for (const r of rows) {
      // Codes stay text with their leading zero; the values are the API's numbers, unrounded.
      expect(typeof r.code).toBe('string');
      expect(r.value).toBe(byCode.get(r.code as string));
    }
    expect(rows.some((r) => r.code === '01100101')).toBe(true);

    const csv = await fetchDownload('csv-de');
    expect(csv.name).toBe(`rangfolge_S1_plr_${period}.csv`);
    expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // BOM: Excel reads UTF-8
    const lines = csv.bytes.subarray(3).toString('utf8').trimEnd().split('\r\n');
    const header = lines[0].split(';');
    const [ci, vi] = [header.indexOf('code'), header.indexOf('value')];
    expect(ci).toBeGreaterThanOrEqual(0);
    expect(lines).toHaveLength(api.values.length + 1);
    for (const line of lines.slice(1)) {
      const cells = line.split(';').map((c) => c.replace(/^"|"$/g, ''));
      const expected = byCode.get(cells[ci]);
      // German decimal comma, no thousands separator in the file.
      if (expected === null || expected === undefined) expect(cells[vi]).toBe('');
      else expect(Number(cells[vi].replace(',', '.'))).toBeCloseTo(expected, 9);
    }
    expect(errors).toEqual([]);
    await page.close();
  });
});
