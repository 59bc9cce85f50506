/**
 * The context every view receives from the entry point: the store, the map, the loaded catalogue
 * and the page's fixed elements, plus the few actions a view may trigger. Its own module so the
 * views and main.ts both depend on it instead of on each other.
 */
import type { AtlasMap } from './map.js';
import type { Store } from './store.js';
import type { Indicator, Level } from './types.js';

export interface Ctx {
  store: Store;
  map: AtlasMap;
  levels: Level[];
  indicators: Indicator[];
  controls: HTMLElement;
  panel: HTMLElement;
  status: HTMLElement;
  /** Values of the current fill by code, for the hover text. */
  hoverValue: (code: string) => string | null;
  selectArea: (code: string, fly: boolean) => void;
  refreshMap: () => void;
  latestRun: () => Promise<string>;
}
