/**
 * Browser-test helpers: the express app in-process on a random port with the sample database,
 * and Debian's chromium driven by playwright-core (no browser downloads).
 */
import { mkdtemp, rm, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createApp } from '../../server/app.js';
import { configFromEnv } from '../../server/config.js';
import type { Db } from '../../geodata/db.js';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const RESULTS_DIR = path.resolve('test-results');
export const TOKEN = 'test-token';

const quietLog = { info: () => undefined, error: (obj: unknown, msg?: string) => console.error(msg ?? '', obj) };

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export async function startServer(db: Db): Promise<RunningServer> {
  const app = createApp({ db, config: { ...configFromEnv(), apiToken: TOKEN }, log: quietLog });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface BrowserHandle {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** Headless chromium with a fresh profile; the flags keep it off the network and quiet on a shared machine. */
export async function launchBrowser(viewport = { width: 1280, height: 860 }): Promise<BrowserHandle> {
  if (!existsSync(CHROMIUM)) throw new Error(`chromium not found at ${CHROMIUM}`);
  const userDataDir = await mkdtemp(path.join(os.tmpdir(), 'sozialatlas-chromium-'));
  // launchPersistentContext is the playwright way to pass a user-data dir.
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    locale: 'de-DE',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    browser: context.browser() as Browser,
    context,
    page,
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/**
 * Wait until the map is fully rendered: force a render and wait for OpenLayers' 'rendercomplete',
 * which fires only once all visible tiles are loaded and drawn.
 */
export async function waitForMapIdle(page: Page, timeout = 30_000): Promise<void> {
  await page.evaluate(
    (ms) =>
      new Promise<void>((resolve, reject) => {
        const w = window as unknown as {
          __sozialatlas: { map: { once(t: string, f: () => void): void; render(): void } };
        };
        const timer = setTimeout(() => reject(new Error('map did not finish rendering')), ms);
        w.__sozialatlas.map.once('rendercomplete', () => {
          clearTimeout(timer);
          resolve();
        });
        w.__sozialatlas.map.render();
      }),
    timeout,
  );
}

/**
 * Share of non-background pixels in a window around a lon/lat, read from the map's canvases.
 * Background = the neutral map colour or transparent; anything else is drawn data.
 */
export async function dataPixelShare(page: Page, lon: number, lat: number, radius = 40): Promise<number> {
  return page.evaluate(
    ({ lon, lat, radius }) => {
      const w = window as unknown as { __sozialatlas: { map: { getPixelFromCoordinate(c: number[]): number[] } } };
      // EPSG:3857 forward projection (the map's view projection).
      const x = (lon * 20037508.342789244) / 180;
      const y = Math.log(Math.tan(((90 + lat) * Math.PI) / 360)) * 6378137;
      const [px, py] = w.__sozialatlas.map.getPixelFromCoordinate([x, y]);
      const canvases = [...document.querySelectorAll<HTMLCanvasElement>('[data-testid="map"] canvas')];
      let drawn = 0;
      let total = 0;
      for (const c of canvases) {
        const ratio = c.width / (c.getBoundingClientRect().width || c.width);
        const ctx = c.getContext('2d');
        if (!ctx) continue;
        const img = ctx.getImageData(
          Math.max(0, (px - radius) * ratio),
          Math.max(0, (py - radius) * ratio),
          2 * radius * ratio,
          2 * radius * ratio,
        ).data;
        for (let i = 0; i < img.length; i += 4) {
          total++;
          if (img[i + 3] > 200) drawn++;
        }
      }
      return total ? drawn / total : 0;
    },
    { lon, lat, radius },
  );
}

/**
 * Logs in through the header's dialog (name and password) like a user; the page reloads after the
 * login, so this waits until the app is ready again and the header names the account.
 */
export async function login(page: Page, name: string, password: string): Promise<void> {
  await page.waitForSelector('[data-testid="login-button"]', { timeout: 60_000 });
  await page.click('[data-testid="login-button"]');
  await page.fill('#login-name', name);
  await page.fill('#login-password', password);
  await Promise.all([page.waitForEvent('load'), page.click('[data-testid="login-submit"]')]);
  await page.waitForSelector('body[data-ready="1"]', { timeout: 60_000 });
  await page.waitForFunction(
    (n) => document.querySelector('[data-testid="login-button"]')?.textContent?.includes(n),
    name,
    { timeout: 30_000 },
  );
}
