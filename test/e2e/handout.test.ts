/**
 * The one-page handout for counselling (GET /profile/{level}/{code}/handout) printed by Debian's
 * chromium: exactly one A4 page for a small, a large and a long-named Planungsraum and a
 * Bezirksregion; no statistics word in the visible text; the key figures said against the whole city
 * with their date, equal to the read model; a hidden area's figures never shown as numbers; the
 * published grouping's plain name. Screenshots of the printed page under test-results/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../geodata/db.js';
import { openSampleDb } from '../helpers/test-db.js';
import { launchBrowser, screenshot, startServer, type BrowserHandle, type RunningServer } from './helpers.js';
import { configFromEnv } from '../../server/config.js';
import { computeDefaultTypology } from '../../server/services/typology/default-run.js';
import { getPublishedTypology } from '../../server/services/typology/publication.js';
import { formatDecimal } from '../../analysis/number-format.js';

/** The words a counsellor's handout must not use (issue 14). */
const FORBIDDEN = [
  'Typ',
  'Belastung',
  'überdurchschnittlich',
  'unterdurchschnittlich',
  'z-Wert',
  'SD',
  'Lauf',
  'Cluster',
];

/** Forbidden words at the start of a word (so "Garbátyplatz" is no "Typ"); Typ and SD in their own case. */
export function forbiddenWords(text: string): string[] {
  return FORBIDDEN.filter((w) => new RegExp(`(?<!\\p{L})${w}`, w === 'Typ' || w === 'SD' ? 'u' : 'iu').test(text));
}

/** Pages of a PDF written by chromium: its page objects (/Type /Page, not /Pages). */
function pdfPages(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page\b(?!s)/g) ?? []).length;
}

const silent = { info: () => undefined, error: () => undefined };

describe('handout: one A4 page in plain words', () => {
  let db: Db;
  let server: RunningServer;
  let b: BrowserHandle;
  beforeAll(async () => {
    db = await openSampleDb();
    // the first start's default typology, published: the handout names the area's group
    await computeDefaultTypology({ db, config: { ...configFromEnv({}), apiToken: 't' }, log: silent });
    server = await startServer(db);
    b = await launchBrowser({ width: 700, height: 1060 }); // about the printed A4 area (186 × 277 mm at 96 dpi)
  });
  afterAll(async () => {
    await b?.close();
    await server?.close();
    await db?.close();
  });

  /** Opens the handout, prints it to PDF and returns the page count and the visible text (SVG labels included). */
  async function open(level: string, code: string): Promise<{ pages: number; text: string }> {
    const res = await b.page.goto(`${server.url}/profile/${level}/${code}/handout`, { timeout: 180_000 });
    expect(res?.status()).toBe(200);
    const pdf = await b.page.pdf({ format: 'A4' });
    const text = await b.page.evaluate(
      () =>
        `${document.body.innerText}\n${[...document.querySelectorAll('svg text')].map((t) => t.textContent).join('\n')}`,
    );
    await b.page.emulateMedia({ media: 'print' });
    await screenshot(b.page, `handout-${level}-${code}`);
    await b.page.emulateMedia({ media: 'screen' });
    // one space for any run of white space: innerText's line breaks between blocks vary
    return { pages: pdfPages(pdf), text: text.replace(/\s+/g, ' ') };
  }

  it('the word check finds the forbidden words and spares place names', () => {
    expect(forbiddenWords('Typ 5: deutlich überdurchschnittliche Belastung, Lauf 4, SD 1,2')).toEqual([
      'Typ',
      'Belastung',
      'überdurchschnittlich',
      'SD',
      'Lauf',
    ]);
    expect(forbiddenWords('Garbátyplatz, Wohnlage, z-Werte, Cluster')).toEqual(['z-Wert', 'Cluster']);
    expect(forbiddenWords('Invalidenstraße: weniger als in Berlin insgesamt')).toEqual([]);
  });

  it('Invalidenstraße (01100415): one page, key figures against Berlin with their date, neighbours named', async () => {
    const { pages, text } = await open('plr', '01100415');
    expect(pages).toBe(1);
    expect(forbiddenWords(text)).toEqual([]);
    expect(text).toContain('Invalidenstraße');
    expect(text).toContain('Planungsraum 01100415 in der Bezirksregion Brunnenstraße Süd');
    // figures from the read model: residents and 65+ at the register's 31.12.2024, old-age poverty and single parents at the MSS date
    const v = async (indicator: string, period: string, level = 'plr', code = '01100415') =>
      (
        await db.query<{ value: number }>(
          'SELECT value FROM indicator_value WHERE level = $1 AND code = $2 AND indicator = $3 AND period = $4 AND NOT suppressed',
          [level, code, indicator, period],
        )
      ).rows[0].value;
    const city = async (indicator: string, period: string) =>
      (
        await db.query<{ value: number }>(
          "SELECT value FROM region_value WHERE level = 'plr' AND indicator = $1 AND period = $2",
          [indicator, period],
        )
      ).rows[0].value;
    const ew = await v('EW', '2024-12-31');
    expect(text).toContain(`Einwohnerinnen und Einwohner ${formatDecimal(ew, 0)} Stand: 31.12.2024`);
    const share65 = await v('EW_65', '2024-12-31');
    const city65 = await city('EW_65', '2024-12-31');
    expect(text).toContain(
      `Menschen ab 65 Jahren ${formatDecimal(share65, 1)} % ${share65 < city65 ? 'weniger' : 'mehr'} als in Berlin insgesamt (${formatDecimal(city65, 1)} %) Stand: 31.12.2024`,
    );
    expect(text).toContain(
      'Ältere Menschen mit Grundsicherung (Altersarmut) 6,9 % weniger als in Berlin insgesamt (7,4 %) Stand: 31.12.2020',
    );
    expect(text).toContain('Alleinerziehende 29,2 % weniger als in Berlin insgesamt (30,2 %) Stand: 31.12.2020');
    expect(text).toContain(
      'Charitéviertel · Oranienburger Straße · Nordbahnhof · Arkonaplatz · Brunnenstraße · Humboldthain Süd',
    );
    expect(text).toContain('Maßstab 1:25.000');
    // the published grouping's plain name for this area
    const run = await getPublishedTypology(db, 'plr');
    const member = await db.query<{ type: number }>(
      'SELECT type FROM typology_member_public WHERE run_id = $1 AND code = $2',
      [run.id, '01100415'],
    );
    const name = run.types.find((t) => t.type === member.rows[0].type)!.name;
    expect(name.length).toBeGreaterThan(0);
    expect(text).toContain(`Wie das Gebiet eingeordnet ist ${name}`);
    expect(text).toMatch(/Erstellt am \d\d\.\d\d\.\d{4} mit Sozialatlas\. Quellen: Daten: Senatsverwaltung/);
  });

  it('a long-named, a large and a coarser area also print on one page', async () => {
    for (const [level, code, name, scale] of [
      ['plr', '10100205', 'Gewerbegebiet Bitterfelder Straße', '1:50.000'],
      ['plr', '09401635', 'Müggelheim', '1:200.000'],
      ['bzr', '011004', 'Brunnenstraße Süd', '1:50.000'],
    ]) {
      const { pages, text } = await open(level, code);
      expect(pages, code).toBe(1);
      expect(forbiddenWords(text), code).toEqual([]);
      expect(text, code).toContain(name);
      expect(text, code).toContain(`Maßstab ${scale}`);
    }
  });

  it('a hidden area (Blankenburger Süden, 38 residents) shows no figure as a number', async () => {
    const { pages, text } = await open('plr', '03300515');
    expect(pages).toBe(1);
    const hidden = await db.query<{ indicator: string; value: number | null }>(
      `SELECT indicator, value FROM level_value WHERE level = 'plr' AND code = '03300515' AND indicator IN ('EW', 'EW_65')
          AND period = '2024-12-31'`,
    );
    const shown = await b.page.$$eval('.figure', (els) =>
      els.map((e) => ({ key: e.getAttribute('data-key'), value: e.querySelector('.value')?.textContent ?? null })),
    );
    for (const f of shown) expect(f.value, f.key ?? '').toBeNull();
    expect(text).toContain('Nicht gezeigt: hier leben sehr wenige Menschen (Datenschutz).');
    for (const h of hidden.rows)
      if (h.value !== null) expect(text).not.toContain(formatDecimal(h.value, h.indicator === 'EW' ? 0 : 1));
  });

  it('an unknown area or level is a 404', async () => {
    expect((await fetch(`${server.url}/profile/plr/99999999/handout`)).status).toBe(404);
    expect((await fetch(`${server.url}/profile/kreis/01100415/handout`)).status).toBe(404);
  });
});
