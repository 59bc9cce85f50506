/**
 * The counselling view (Beratung) in a real browser (Debian chromium via playwright-core) against the
 * express app on the Berlin sample, as a counsellor of older people uses it (issue 14): address and
 * street search, the answer in plain words only (no forbidden word in the visible text), the published
 * typology only (a research run changes nothing until it is published), the phone layout and 200 %
 * zoom, a basemap from a shared link only after a German confirm, and a quiet console on load.
 * Screenshots under test-results/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { forbiddenWords } from '../../client/src/plain-language.js';
import { formatValue } from '../../client/src/format.js';
import { DEFAULT_TYPOLOGY } from '../../server/services/typology/default-run.js';

type Page = BrowserHandle['page'];

const ACKER = '01100415'; // Ackerstraße 1B lies in this Planungsraum
const STUELER = '01100101'; // Stülerstraße

let db: Db;
let server: RunningServer;
let b: BrowserHandle;

beforeAll(async () => {
  db = await openSampleDb();
  server = await startServer(db);
  // The first start computes and publishes the default typology (main.ts); the in-process app does
  // not start that way, so the same run is made and published here (without the bootstrap, for time).
  const run = await api<{ runId: number }>('/api/typologies', {
    method: 'POST',
    body: JSON.stringify({ ...DEFAULT_TYPOLOGY, bootstrap: 0 }),
  });
  expect(run.status).toBe(201);
  const pub = await api(`/api/typologies/${run.body.runId}/published`, {
    method: 'PUT',
    body: JSON.stringify({ published: true }),
  });
  expect(pub.status).toBe(200);
  b = await launchBrowser({ width: 1440, height: 900 });
});

afterAll(async () => {
  await b?.close();
  await server?.close();
  await db?.close();
});

async function api<T>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(server.url + path, {
    ...init,
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}`, ...init.headers },
  });
  return { status: res.status, body: (await res.json()) as T };
}

/** The id of the published run of plr, from the API list. */
async function publishedPlr(): Promise<number> {
  const { body } = await api<{ id: number; level: string; published: boolean }[]>('/api/typologies?level=plr');
  return Number(body.find((r) => r.published)?.id ?? 0);
}

/** Name of the type an area has in a run, from the database and the run's API answer (the expected text). */
async function typeNameOf(runId: number, code: string): Promise<string> {
  const m = await db.query<{ type: number }>(
    'SELECT type FROM typology_member_public WHERE run_id = $1 AND code = $2',
    [runId, code],
  );
  const { body } = await api<{ types: { type: number; name: string }[] }>(`/api/typologies/${runId}`);
  return body.types.find((t) => t.type === Number(m.rows[0].type))!.name;
}

/** A fresh tab at the counselling view with its console warnings and errors collected. */
async function open(hash = '#view=beratung', viewport = { width: 1440, height: 900 }) {
  const page = await b.context.newPage();
  const logs: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'warning' || m.type() === 'error') logs.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
  await page.setViewportSize(viewport);
  await page.goto(`${server.url}/${hash}`);
  await page.waitForSelector('body[data-ready="1"]', { timeout: 60_000 });
  return { page, logs };
}

/** Types a search, waits for the hit leading to `code` and takes it with the keyboard. */
async function searchAndTake(page: Page, text: string, code: string): Promise<string> {
  await page.fill('[data-testid="search-input"]', text);
  const hit = page.locator(`[data-testid="search-suggestion"][data-code="${code}"]`).first();
  await hit.waitFor({ timeout: 30_000 });
  const kind = (await hit.locator('.hit-kind').textContent()) ?? '';
  const options = await page
    .locator('[data-testid="search-suggestion"]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-code')));
  for (let i = 0; i <= options.indexOf(code); i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.waitForFunction(
    (c) =>
      !!document.querySelector('[data-testid="panel"] [data-testid="area-name"]') && new RegExp(c).test(location.hash),
    `gebiet=${code}(&|$)`,
    { timeout: 30_000 },
  );
  await page.locator('[data-testid="panel"] [data-testid="type-label"]').waitFor({ timeout: 30_000 });
  return kind;
}

/** The text a person sees: innerText leaves out hidden elements (closed settings, hidden tooltip). */
const visibleText = (page: Page) => page.evaluate(() => document.body.innerText);

describe('Beratung in the browser', () => {
  let published = 0;

  it('loads without console warnings, with a favicon, showing the published typology', async () => {
    published = await publishedPlr();
    expect(published).toBeGreaterThan(0);
    const { page, logs } = await open();
    await page.waitForFunction((id) => new RegExp(`typ=${id}(&|$)`).test(location.hash), published, {
      timeout: 30_000,
    });
    await waitForMapIdle(page);
    expect(logs).toEqual([]);
    const icon = await page.getAttribute('link[rel="icon"]', 'href');
    expect(icon).toBe('/favicon.svg');
    const res = await fetch(server.url + icon);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('image/svg+xml');
    // The legend names the types in plain words, from the highest need down, and the untyped hatched.
    expect(await page.textContent('[data-testid="legend-title"]')).toBe('Art des Gebiets');
    const { body } = await api<{ types: { name: string; needRank: number }[] }>(`/api/typologies/${published}`);
    expect(
      await page.locator('[data-testid="legend"] [data-testid="legend-entry"] .legend-label').allTextContents(),
    ).toEqual([...body.types].sort((x, y) => x.needRank - y.needRank).map((t) => t.name));
    expect(await page.getAttribute('[data-testid="legend-nodata"] .swatch', 'data-hatched')).toBe('1');
    expect(forbiddenWords(await visibleText(page))).toEqual([]);
    await page.close();
  });

  it('"Ackerstraße 1B" finds its Planungsraum and answers in plain words', async () => {
    const { page, logs } = await open();
    const kind = await searchAndTake(page, 'Ackerstraße 1B', ACKER);
    expect(kind).toMatch(/^Adresse/);
    const name = (await db.query<{ name: string }>(`SELECT name FROM area WHERE level = 'plr' AND code = $1`, [ACKER]))
      .rows[0].name;
    expect(await page.textContent('[data-testid="panel"] [data-testid="area-name"]')).toBe(name);
    expect(await page.textContent('[data-testid="type-label"]')).toBe(await typeNameOf(published, ACKER));
    // 3–5 key figures, each with its date; all but the residents compared with Berlin as a whole.
    const figures = page.locator('[data-testid="key-figures"] dd');
    const n = await figures.count();
    expect(n).toBeGreaterThanOrEqual(3);
    expect(n).toBeLessThanOrEqual(5);
    const keys = await figures.evaluateAll((els) => els.map((e) => e.getAttribute('data-key')));
    expect(keys.slice(0, 3)).toEqual(['EW', 'EW_65', 'KI_03']);
    for (const k of keys.slice(1))
      expect(await page.textContent(`[data-testid="key-figures"] dd[data-key="${k}"] .comparison`)).toMatch(
        /^(mehr als|weniger als|etwa so viel wie) in Berlin insgesamt \(/,
      );
    for (const stand of await page.locator('[data-testid="key-figures"] .stand').allTextContents())
      expect(stand).toMatch(/^Stand \d{2}\.\d{2}\.\d{4}$/);
    const ew = (
      await db.query<{ value: number }>(
        `SELECT value FROM indicator_value WHERE level = 'plr' AND code = $1 AND indicator = 'EW' AND period = '2024-12-31'`,
        [ACKER],
      )
    ).rows[0];
    expect(await page.textContent('[data-testid="key-figures"] dd[data-key="EW"] .figure')).toBe(
      formatValue(Number(ew.value), 'Personen', 'count'),
    );
    // The nearest care homes with address and distance, as the facilities route gives them.
    const near = await api<{ name: string; address: string }[]>(`/api/areas/${ACKER}/nearby?layer=pflege&limit=5`);
    if (near.status === 200 && near.body.length) {
      await page.locator('[data-testid="nearby-pflege"]').waitFor({ timeout: 30_000 });
      expect(await page.locator('[data-testid="nearby-pflege"] .nearby-name').allTextContents()).toEqual(
        near.body.map((f) => f.name),
      );
      expect(await page.locator('[data-testid="nearby-pflege"] .nearby-distance').first().textContent()).toMatch(
        /^(\d+ m|\d+,\d km|im Gebiet)$/,
      );
    }
    expect(await page.getAttribute('[data-testid="handout-link"]', 'href')).toBe(`/profile/plr/${ACKER}/handout`);
    expect(await page.textContent('[data-testid="handout-link"]')).toBe('Handzettel drucken');
    const text = await visibleText(page);
    expect(forbiddenWords(text)).toEqual([]);
    expect(text).not.toMatch(/\bTyp \d/);
    await waitForMapIdle(page);
    await screenshot(page, 'beratung-ackerstrasse');
    expect(logs.filter((c) => !/nearby|handout|404/.test(c))).toEqual([]);
    await page.close();
  });

  it('"Stulerstrasse" (without umlaut, "strasse") finds Stülerstraße; "nichts gefunden" for nonsense', async () => {
    const { page } = await open();
    await searchAndTake(page, 'Stulerstrasse', STUELER);
    expect(await page.textContent('[data-testid="panel"] [data-testid="area-name"]')).toBe('Stülerstraße');
    expect(await page.textContent('[data-testid="type-label"]')).toBe(await typeNameOf(published, STUELER));
    expect(forbiddenWords(await visibleText(page))).toEqual([]);
    await waitForMapIdle(page);
    await screenshot(page, 'beratung-stulerstrasse');
    await page.fill('[data-testid="search-input"]', 'Qxzqxz');
    await page.waitForFunction(
      () => /nichts gefunden/i.test(document.querySelector('[data-testid="search-status"]')?.textContent ?? ''),
      null,
      { timeout: 30_000 },
    );
    expect(await page.isVisible('[data-testid="search-suggestions"]')).toBe(false);
    await page.close();
  });

  it('a research run changes nothing in counselling until it is published', async () => {
    const { page } = await open(`#view=beratung&gebiet=${STUELER}`);
    await page.locator('[data-testid="type-label"]').waitFor({ timeout: 30_000 });
    const before = await page.textContent('[data-testid="type-label"]');
    const legendBefore = await page
      .locator('[data-testid="legend"] [data-testid="legend-entry"] .legend-label')
      .allTextContents();
    await page.close();

    const run = await api<{ runId: number }>('/api/typologies', {
      method: 'POST',
      body: JSON.stringify({ level: 'plr', period: '2020-12-31', indicators: ['S1', 'S3', 'S4'], k: 3, bootstrap: 0 }),
    });
    expect(run.status).toBe(201);
    const research = Number(run.body.runId);
    expect(research).toBeGreaterThan(published);

    // Even a link naming the research run shows the published one in counselling.
    const again = await open(`#view=beratung&typ=${research}&gebiet=${STUELER}`);
    await again.page.waitForFunction((id) => new RegExp(`typ=${id}(&|$)`).test(location.hash), published, {
      timeout: 30_000,
    });
    await again.page.locator('[data-testid="type-label"]').waitFor({ timeout: 30_000 });
    expect(await again.page.textContent('[data-testid="type-label"]')).toBe(before);
    await again.page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid="legend"] [data-testid="legend-entry"]').length === n,
      legendBefore.length,
      { timeout: 30_000 },
    );
    expect(
      await again.page.locator('[data-testid="legend"] [data-testid="legend-entry"] .legend-label').allTextContents(),
    ).toEqual(legendBefore);
    await again.page.close();

    const pub = await api<{ id: number; published: boolean; unpublished: number | null }>(
      `/api/typologies/${research}/published`,
      { method: 'PUT', body: JSON.stringify({ published: true }) },
    );
    expect(pub.status).toBe(200);
    expect(Number(pub.body.unpublished)).toBe(published);
    const after = await open(`#view=beratung&gebiet=${STUELER}`);
    await after.page.waitForFunction((id) => new RegExp(`typ=${id}(&|$)`).test(location.hash), research, {
      timeout: 30_000,
    });
    await after.page.waitForFunction(
      () => document.querySelectorAll('[data-testid="legend"] [data-testid="legend-entry"]').length === 3,
      null,
      { timeout: 30_000 },
    );
    await after.page.locator('[data-testid="type-label"]').waitFor({ timeout: 30_000 });
    expect(await after.page.textContent('[data-testid="type-label"]')).toBe(await typeNameOf(research, STUELER));
    expect(forbiddenWords(await visibleText(after.page))).toEqual([]);
    await waitForMapIdle(after.page);
    await screenshot(after.page, 'beratung-veroeffentlicht');
    await after.page.close();
    // Back to the first run, so the views below show the start state.
    expect(
      (
        await api(`/api/typologies/${published}/published`, {
          method: 'PUT',
          body: JSON.stringify({ published: true }),
        })
      ).status,
    ).toBe(200);
  });

  it('phone (390×844): two-row header, search first, then the answer in view, then the map, which lets the page scroll', async () => {
    const { page, logs } = await open('#view=beratung', { width: 390, height: 844 });
    const header = await page.locator('header.top').boundingBox();
    const tab = await page.locator('[data-testid="tab-beratung"]').boundingBox();
    // Two rows: name and settings, then the three views in one row.
    expect(header!.height).toBeLessThan(2 * tab!.height + 40);
    const tops = await page
      .locator('header.top nav button')
      .evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top)));
    expect(new Set(tops).size).toBe(1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
    // Search with the keyboard only.
    await page.focus('[data-testid="search-input"]');
    await searchAndTake(page, 'Stülerstraße', STUELER);
    const [search, panel, map] = await Promise.all(
      ['[data-testid="search-input"]', '[data-testid="panel"]', '[data-testid="map"]'].map((s) =>
        page.locator(s).boundingBox(),
      ),
    );
    const y = await page.evaluate(() => window.scrollY);
    expect(search!.y + y).toBeLessThan(panel!.y + y);
    expect(panel!.y + y).toBeLessThan(map!.y + y);
    // The chosen answer was scrolled into view.
    const name = await page.locator('[data-testid="panel"] [data-testid="area-name"]').boundingBox();
    expect(name!.y).toBeGreaterThanOrEqual(0);
    expect(name!.y + name!.height).toBeLessThanOrEqual(844);
    await screenshot(page, 'beratung-telefon');
    // Nothing in the console up to here (hovering the map later may log Chromium's canvas read-back hint).
    expect(logs.filter((c) => !/nearby|handout|404/.test(c))).toEqual([]);
    // The mouse wheel over the map scrolls the page and leaves the map's zoom alone (upwards: the map is
    // near the end of the page, which may not scroll further down). First let the answer finish loading
    // (nearby facilities, key figures): content growing above the map moves the page by itself.
    await page.waitForLoadState('networkidle', { timeout: 90_000 });
    await page.evaluate(() => {
      const top = document.querySelector('[data-testid="map"]')!.getBoundingClientRect().top;
      window.scrollBy(0, top - 20);
    });
    const zoom = () =>
      page.evaluate(() =>
        (window as unknown as { __sozialatlas: { map: { getView(): { getZoom(): number } } } }).__sozialatlas.map
          .getView()
          .getZoom(),
      );
    const z0 = await zoom();
    const box = (await page.locator('[data-testid="map"]').boundingBox())!;
    expect(box.y).toBeLessThan(100);
    const s0 = await page.evaluate(() => window.scrollY);
    await page.mouse.move(box.x + box.width / 2, box.y + 100);
    expect(s0).toBeGreaterThan(300);
    await page.mouse.wheel(0, -300);
    await page.waitForTimeout(400);
    expect(await page.evaluate(() => window.scrollY)).toBeLessThan(s0);
    expect(await zoom()).toBe(z0);
    expect(forbiddenWords(await visibleText(page))).toEqual([]);
    await page.close();
  });

  it('200 % zoom (1440×900 at 200 % = 720×450): keyboard only, answer visible', async () => {
    const { page } = await open('#view=beratung', { width: 720, height: 450 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
    let focused = '';
    for (let i = 0; i < 30 && focused !== 'search-input'; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? '');
    }
    expect(focused).toBe('search-input');
    await page.keyboard.type('Ackerstr 1 b');
    await page.locator(`[data-testid="search-suggestion"][data-code="${ACKER}"]`).first().waitFor({ timeout: 30_000 });
    const codes = await page
      .locator('[data-testid="search-suggestion"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-code')));
    for (let i = 0; i <= codes.indexOf(ACKER); i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="panel"] [data-testid="type-label"]').waitFor({ timeout: 30_000 });
    expect(page.url()).toContain(`gebiet=${ACKER}`);
    const name = await page.locator('[data-testid="panel"] [data-testid="area-name"]').boundingBox();
    expect(name!.y).toBeGreaterThanOrEqual(0);
    expect(name!.y + name!.height).toBeLessThanOrEqual(450);
    expect(forbiddenWords(await visibleText(page))).toEqual([]);
    await screenshot(page, 'beratung-200-prozent-zoom');
    await page.close();
  });

  it('a basemap from a shared link is loaded only after a German confirm naming its host', async () => {
    const page = await b.context.newPage();
    const dialogs: string[] = [];
    const requests: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('request', (r) => {
      if (r.url().includes('tiles.example.org')) requests.push(r.url());
    });
    await page.goto(
      `${server.url}/#view=beratung&grundkarte=${encodeURIComponent('https://tiles.example.org/{z}/{x}/{y}.png')}`,
    );
    await page.waitForSelector('body[data-ready="1"]', { timeout: 60_000 });
    expect(dialogs).toHaveLength(1);
    expect(dialogs[0]).toContain('Grundkarte von tiles.example.org laden?');
    await page.waitForFunction(() => !location.hash.includes('grundkarte'), null, { timeout: 10_000 });
    await waitForMapIdle(page);
    expect(requests).toEqual([]);
    await page.close();
  });
});
