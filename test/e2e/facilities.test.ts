/**
 * Facilities on the map in a real browser (Debian chromium via playwright-core) on the Berlin
 * sample: the switch "Einrichtungen anzeigen" in the planning view draws Kitas and care homes from
 * the point tiles with a legend (label, number and stand as /api/point-layers gives them), hovering
 * a Kita shows its name, address and places as the database holds them, the counselling view draws
 * the same symbols calmer, and the research view offers no switch. Screenshots under test-results/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../geodata/db.js';
import { openSampleDb } from '../helpers/test-db.js';
import {
  launchBrowser,
  screenshot,
  startServer,
  waitForMapIdle,
  type BrowserHandle,
  type RunningServer,
} from './helpers.js';

type Page = BrowserHandle['page'];

let db: Db;
let server: RunningServer;
let b: BrowserHandle;

beforeAll(async () => {
  db = await openSampleDb();
  server = await startServer(db);
  b = await launchBrowser({ width: 1440, height: 900 });
}, 300_000);

afterAll(async () => {
  await b?.close();
  await server?.close();
  await db?.close();
});

const de = (n: number) => n.toLocaleString('de-DE');
const germanDate = (iso: string) => iso.split('-').reverse().join('.');

/** Screen position of a lon/lat on the map. */
async function screenPoint(page: Page, lon: number, lat: number): Promise<{ x: number; y: number }> {
  const px = await page.evaluate(
    ([x, y]) => {
      const w = window as unknown as { __sozialatlas: { map: { getPixelFromCoordinate(c: number[]): number[] } } };
      return w.__sozialatlas.map.getPixelFromCoordinate([
        (x * 20037508.342789244) / 180,
        Math.log(Math.tan(((90 + y) * Math.PI) / 360)) * 6378137,
      ]);
    },
    [lon, lat],
  );
  const box = (await page.locator('[data-testid="map"]').boundingBox())!;
  return { x: box.x + px[0], y: box.y + px[1] };
}

describe('facility symbols on the map', () => {
  it('switch, legend and hover in planning; calm in counselling; no switch in research', async () => {
    const page = b.page;
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}/#view=planung`);
    await page.waitForSelector('body[data-ready="1"]', { timeout: 120_000 });
    const control = page.locator('[data-testid="facility-control"]');
    await control.waitFor({ state: 'visible', timeout: 30_000 });
    expect(await control.textContent()).toContain('Einrichtungen anzeigen');
    expect(await page.locator('[data-testid="facility-legend"]').isVisible()).toBe(false);

    await page.locator('[data-testid="facility-switch"]').check();
    const entries = page.locator('[data-testid="facility-legend"] li');
    await entries.first().waitFor({ timeout: 30_000 });
    const layers = (await (await fetch(`${server.url}/api/point-layers`)).json()) as {
      key: string;
      periods: { period: string; count: number }[];
    }[];
    const expected = layers.map(
      (l) =>
        `${l.key === 'kitas' ? 'Kitas' : 'Pflegeheime'} (${de(l.periods[0].count)}, Stand ${germanDate(l.periods[0].period)})`,
    );
    expect(await entries.allTextContents()).toEqual(expected);
    expect(expected).toContain('Kitas (2.880, Stand 01.12.2022)');

    // A Kita with places and no other Kita within ~60 m, so the hover hits it alone.
    const kita = (
      await db.query<{ lon: number; lat: number; name: string; address: string; places: number }>(
        `SELECT ST_X(p.geom) AS lon, ST_Y(p.geom) AS lat, p.name, p.address, point_number(p.attrs ->> 'e_platz') AS places
           FROM point_feature p
          WHERE p.layer = 'kitas' AND point_number(p.attrs ->> 'e_platz') > 1 AND p.address IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM point_feature q WHERE q.layer = p.layer AND q.fid <> p.fid
                              AND ST_DWithin(q.geom, p.geom, 0.001))
          ORDER BY p.fid LIMIT 1`,
      )
    ).rows[0];
    await page.evaluate(
      (bb) =>
        (
          window as unknown as { __sozialatlas: { atlas: { fitBbox(b: number[], z: number, d: number): void } } }
        ).__sozialatlas.atlas.fitBbox(bb, 16, 0),
      [kita.lon - 0.003, kita.lat - 0.002, kita.lon + 0.003, kita.lat + 0.002],
    );
    await waitForMapIdle(page);
    const at = await screenPoint(page, kita.lon, kita.lat);
    await page.mouse.move(at.x, at.y);
    const text = `${kita.name.trim()} · ${kita.address.trim()} · ${de(kita.places)} Plätze`;
    const shown = await page
      .waitForFunction(
        () => {
          const t = document.querySelector('[data-testid="facility-tooltip"]') as HTMLElement | null;
          return t && t.style.display !== 'none' && t.textContent ? t.textContent : null;
        },
        undefined,
        { timeout: 30_000 },
      )
      .then((h) => h.jsonValue())
      .catch(async () => {
        await screenshot(page, 'facilities-planung-no-tooltip');
        return `kein Tooltip; Karten-Tooltip: ${await page.locator('[data-testid="map-tooltip"]').textContent()}`;
      });
    expect(shown).toBe(text);
    await screenshot(page, 'facilities-planung');
    const strong = await entries
      .first()
      .locator('span')
      .evaluate((e) => (e as HTMLElement).style.opacity);

    await page.locator('[data-view="beratung"]').first().click();
    await page.waitForSelector('body[data-view="beratung"]');
    await control.waitFor({ state: 'visible' });
    await page.waitForFunction(
      () =>
        (document.querySelector('[data-testid="facility-legend"] li span') as HTMLElement | null)?.style.opacity ===
        '0.7',
      undefined,
      { timeout: 30_000 },
    );
    expect(strong).toBe('1');
    await waitForMapIdle(page);
    await screenshot(page, 'facilities-beratung');

    await page.locator('[data-view="forschung"]').first().click();
    await page.waitForSelector('body[data-view="forschung"]');
    await control.waitFor({ state: 'hidden', timeout: 30_000 });
    expect(errors).toEqual([]);
  }, 300_000);
});
