/**
 * The map: OpenLayers with vector tiles from /tiles. Layers, bottom to top:
 * optional basemap · fill (indicator/types/hotspots/change) · overlay (hotspot hatching) ·
 * parent outlines · areas (hit detection, hover, selection) · labels.
 *
 * Styles read the tile properties (value, type, class, quadrant). When the tile service is
 * not reachable the same layers are fed from /api/areas GeoJSON instead and the style looks
 * the values up by code, so the app still works (slower) against a partial server.
 */
import OlMap from 'ol/Map.js';
import View from 'ol/View.js';
import VectorTileLayer from 'ol/layer/VectorTile.js';
import VectorTileSource from 'ol/source/VectorTile.js';
import VectorLayer from 'ol/layer/Vector.js';
import VectorSource from 'ol/source/Vector.js';
import TileLayer from 'ol/layer/Tile.js';
import XYZ from 'ol/source/XYZ.js';
import TileWMS from 'ol/source/TileWMS.js';
import MVT from 'ol/format/MVT.js';
import GeoJSON from 'ol/format/GeoJSON.js';
import Overlay from 'ol/Overlay.js';
import { defaults as defaultControls } from 'ol/control/defaults.js';
import ScaleLine from 'ol/control/ScaleLine.js';
import { fromLonLat, toLonLat, transformExtent } from 'ol/proj.js';
import type { FeatureLike } from 'ol/Feature.js';
import type { StyleLike } from 'ol/style/Style.js';
import type Style from 'ol/style/Style.js';
import {
  AREA_OUTLINE,
  fillStyle,
  HOVERED,
  incompleteStyle,
  labelStyle,
  PARENT_OUTLINE,
  SELECTED,
} from './map-styles.js';
import { formatMapView, parseMapView } from './url-state.js';

export const DATA_ATTRIBUTION =
  'Daten: Senatsverwaltung für Stadtentwicklung, Bauen und Wohnen Berlin – Monitoring Soziale Stadtentwicklung (MSS) 2021; Einwohnerregister 2021–2024: Amt für Statistik Berlin-Brandenburg; Geometrien: Geoportal Berlin (LOR 2021), dl-de/by-2-0';

/** What the fill layer shows. colour() gets the code and the feature (tile properties). */
export interface FillSpec {
  /** Tile URL template; unused in GeoJSON fallback mode. */
  tiles: string;
  level: string;
  colour: (code: string, feature: FeatureLike) => string | null;
  /** Changes whenever the colours change, to redraw without refetching. */
  revision: string;
  /** True where the value is an aggregate below the coverage threshold: marked over its colour. Absent = never. */
  incomplete?: (code: string, feature: FeatureLike) => boolean;
}

export interface OverlaySpec {
  tiles: string;
  level: string;
  style: (code: string, feature: FeatureLike) => Style | Style[] | null;
  revision: string;
}

type AnyLayer = VectorTileLayer | VectorLayer<VectorSource>;

export class AtlasMap {
  readonly map: OlMap;
  readonly tooltip: HTMLElement;
  private tilesAvailable = true;
  private level = 'plr';
  private parentLevel: string | null = null;
  private fill: FillSpec | null = null;
  private overlay: OverlaySpec | null = null;
  private selected = '';
  private hovered = '';
  private labelsOn = false;
  private largeLabels = false;
  private readonly geojsonSources = new Map<string, VectorSource>();
  private basemap: TileLayer | null = null;
  private fillLayer!: AnyLayer;
  private overlayLayer!: AnyLayer;
  private parentLayer!: AnyLayer;
  private areaLayer!: AnyLayer;
  private labelLayer!: AnyLayer;
  private firstRender: number | null = null;
  onHover: (code: string | null, name: string | null) => string | null = () => null;
  onSelect: (code: string, name: string) => void = () => undefined;
  onMove: (view: string) => void = () => undefined;

  constructor(target: HTMLElement) {
    this.tooltip = document.createElement('div');
    this.tooltip.className = 'map-tooltip';
    this.tooltip.setAttribute('data-testid', 'map-tooltip');
    this.tooltip.setAttribute('role', 'tooltip');
    const tipOverlay = new Overlay({
      element: this.tooltip,
      offset: [12, 12],
      positioning: 'top-left',
      stopEvent: false,
    });
    this.map = new OlMap({
      target,
      controls: defaultControls({ attributionOptions: { collapsible: false } }).extend([
        new ScaleLine({ units: 'metric' }),
      ]),
      overlays: [tipOverlay],
      // Start over Germany until the data extent is known; never an empty world map.
      view: new View({ center: fromLonLat([10.4, 51.2]), zoom: 6, maxZoom: 18, minZoom: 4 }),
    });
    this.map.on('pointermove', (ev) => {
      if (ev.dragging) return;
      const hit = this.hit(ev.pixel);
      const code = hit?.code ?? '';
      if (code !== this.hovered) {
        this.hovered = code;
        this.areaLayer?.changed();
      }
      const text = hit ? this.onHover(hit.code, hit.name) : null;
      this.tooltip.textContent = text ?? '';
      this.tooltip.style.display = text ? 'block' : 'none';
      // In the right half of the map the tooltip opens to the left, so long texts are not cut off at the edge.
      const leftward = ev.pixel[0] > (this.map.getSize()?.[0] ?? Infinity) / 2;
      tipOverlay.setPositioning(leftward ? 'top-right' : 'top-left');
      tipOverlay.setOffset(leftward ? [-12, 12] : [12, 12]);
      tipOverlay.setPosition(text ? ev.coordinate : undefined);
      (this.map.getTargetElement() as HTMLElement).style.cursor = hit ? 'pointer' : '';
    });
    this.map.on('singleclick', (ev) => {
      const hit = this.hit(ev.pixel);
      if (hit) this.onSelect(hit.code, hit.name);
    });
    this.map.on('moveend', () => {
      const v = this.map.getView();
      const c = v.getCenter();
      const z = v.getZoom();
      if (c && z !== undefined) {
        const [lon, lat] = toLonLat(c);
        this.onMove(formatMapView({ zoom: z, lon, lat }));
      }
    });
    this.map.on('rendercomplete', () => {
      if (this.firstRender === null && this.fill) {
        this.firstRender = performance.now();
        target.setAttribute('data-first-render-ms', String(Math.round(this.firstRender)));
      }
      target.setAttribute('data-rendered', String(Date.now()));
    });
  }

  /** Probe the tile service once; fall back to GeoJSON when it is missing (an unfinished server). */
  async init(level: string, parentLevel: string | null): Promise<void> {
    this.level = level;
    this.parentLevel = parentLevel;
    try {
      const res = await fetch(`/tiles/areas.json?level=${encodeURIComponent(level)}`);
      this.tilesAvailable = res.ok;
      if (res.ok) {
        const tj = (await res.json()) as { bounds?: number[] };
        this.dataExtent = tj.bounds && tj.bounds.length === 4 ? tj.bounds : null;
      }
    } catch {
      this.tilesAvailable = false;
    }
    this.map.getTargetElement()?.setAttribute('data-source', this.tilesAvailable ? 'tiles' : 'geojson');
    this.buildLayers();
  }

  private dataExtent: number[] | null = null;

  get usesTiles(): boolean {
    return this.tilesAvailable;
  }

  private geojson(level: string): VectorSource {
    let s = this.geojsonSources.get(level);
    if (!s) {
      s = new VectorSource({
        url: `/api/areas?level=${encodeURIComponent(level)}`,
        format: new GeoJSON(),
        attributions: DATA_ATTRIBUTION,
      });
      this.geojsonSources.set(level, s);
    }
    return s;
  }

  private tileSource(url: string): VectorTileSource {
    // No idProperty: OpenLayers would move `code` out of the properties into the id, and the
    // styles select by the `code` property (all parts of a split polygon share it).
    return new VectorTileSource({ url, format: new MVT(), attributions: DATA_ATTRIBUTION, maxZoom: 14, transition: 0 });
  }

  private layer(url: string | null, level: string, style: StyleLike, declutter = false): AnyLayer {
    if (this.tilesAvailable) {
      // Fill and overlay swap their source later: they must be tile layers from the start, so an
      // empty spec gets the plain area tiles as a placeholder (the layer is hidden then).
      const src = url ?? `/tiles/areas/{z}/{x}/{y}.pbf?level=${encodeURIComponent(level)}`;
      return new VectorTileLayer({ source: this.tileSource(src), style, declutter, renderMode: 'hybrid' });
    }
    return new VectorLayer({ source: this.geojson(level), style, declutter });
  }

  private buildLayers(): void {
    for (const l of [this.fillLayer, this.overlayLayer, this.parentLayer, this.areaLayer, this.labelLayer])
      if (l) this.map.removeLayer(l);
    const lvl = encodeURIComponent(this.level);
    this.fillLayer = this.layer(this.fill?.tiles ?? null, this.level, (f) => this.styleFill(f));
    this.overlayLayer = this.layer(this.overlay?.tiles ?? null, this.level, (f) => this.styleOverlay(f));
    this.overlayLayer.setVisible(this.overlay !== null);
    this.parentLayer = this.layer(
      this.parentLevel ? `/tiles/areas/{z}/{x}/{y}.pbf?level=${encodeURIComponent(this.parentLevel)}` : null,
      this.parentLevel ?? this.level,
      PARENT_OUTLINE,
    );
    this.parentLayer.setVisible(this.parentLevel !== null);
    this.areaLayer = this.layer(`/tiles/areas/{z}/{x}/{y}.pbf?level=${lvl}`, this.level, (f) => this.styleArea(f));
    this.labelLayer = this.layer(
      `/tiles/labels/{z}/{x}/{y}.pbf?level=${lvl}`,
      this.level,
      (f) => this.styleLabel(f),
      true,
    );
    this.labelLayer.setVisible(this.labelsOn);
    this.fillLayer.setVisible(this.fill !== null);
    this.map.addLayer(this.fillLayer);
    this.map.addLayer(this.overlayLayer);
    this.map.addLayer(this.parentLayer);
    this.map.addLayer(this.areaLayer);
    this.map.addLayer(this.labelLayer);
    this.areaLayer.set('name', 'areas');
  }

  private styleFill(f: FeatureLike): Style | Style[] | undefined {
    if (!this.fill) return undefined;
    const code = String(f.get('code') ?? '');
    const colour = this.fill.colour(code, f);
    if (!colour) return undefined;
    return this.fill.incomplete?.(code, f) ? [fillStyle(colour), incompleteStyle()] : fillStyle(colour);
  }

  private styleOverlay(f: FeatureLike): Style | Style[] | undefined {
    if (!this.overlay) return undefined;
    return this.overlay.style(String(f.get('code') ?? ''), f) ?? undefined;
  }

  // Selection by the code property, not by feature identity: a polygon cut at tile borders is
  // several render features, and all of them must light up (openlayers#12692).
  private styleArea(f: FeatureLike): Style | Style[] {
    const code = f.get('code');
    if (code && code === this.selected) return SELECTED;
    if (code && code === this.hovered) return HOVERED;
    return AREA_OUTLINE;
  }

  private styleLabel(f: FeatureLike): Style | undefined {
    const name = f.get('name');
    if (!name) return undefined;
    // At city scale labels would overlap into noise: show them from neighbourhood zoom on.
    const z = this.map.getView().getZoom() ?? 0;
    if (z < (this.largeLabels ? 12 : 13)) return undefined;
    return labelStyle(String(name), this.largeLabels);
  }

  /** The area drawn at the centre of the map (keyboard selection, map-keyboard.ts); null over no area. */
  areaAtCentre(): { code: string; name: string } | null {
    const size = this.map.getSize();
    return size ? this.hit([size[0] / 2, size[1] / 2]) : null;
  }

  private hit(pixel: number[]): { code: string; name: string } | null {
    const feats = this.map.getFeaturesAtPixel(pixel, { layerFilter: (l) => l === this.areaLayer, hitTolerance: 0 });
    const f = feats[0];
    if (!f) return null;
    const code = f.get('code');
    return code ? { code: String(code), name: String(f.get('name') ?? code) } : null;
  }

  setLevel(level: string, parentLevel: string | null): void {
    if (level === this.level && parentLevel === this.parentLevel) return;
    this.level = level;
    this.parentLevel = parentLevel;
    // The old fill belongs to the old level's areas: drop it until the caller sets a new one.
    this.fill = null;
    this.overlay = null;
    this.buildLayers();
  }

  setFill(spec: FillSpec | null): void {
    const old = this.fill;
    this.fill = spec;
    this.fillLayer.setVisible(spec !== null);
    if (!spec) return;
    if (this.tilesAvailable && (!old || old.tiles !== spec.tiles)) {
      (this.fillLayer as VectorTileLayer).setSource(this.tileSource(spec.tiles));
    } else if (!old || old.revision !== spec.revision) {
      this.fillLayer.changed();
    }
  }

  setOverlay(spec: OverlaySpec | null): void {
    const old = this.overlay;
    this.overlay = spec;
    this.overlayLayer.setVisible(spec !== null);
    if (!spec) return;
    if (this.tilesAvailable && (!old || old.tiles !== spec.tiles)) {
      (this.overlayLayer as VectorTileLayer).setSource(this.tileSource(spec.tiles));
    } else this.overlayLayer.changed();
  }

  setLabels(on: boolean, large = false): void {
    this.labelsOn = on;
    this.largeLabels = large;
    this.labelLayer.setVisible(on);
    this.labelLayer.changed();
  }

  select(code: string): void {
    if (code === this.selected) return;
    this.selected = code;
    this.areaLayer.changed();
  }

  /** Fit to a lon/lat bbox, padded so the area is not hidden under panels. */
  fitBbox(bbox: readonly number[], maxZoom = 15, duration = 600): void {
    const extent = transformExtent(bbox as number[], 'EPSG:4326', 'EPSG:3857');
    this.map.getView().fit(extent, { padding: [40, 40, 40, 40], maxZoom, duration });
  }

  /** Zoom to the data: TileJSON bounds, or the GeoJSON extent once loaded. */
  fitData(): void {
    if (this.dataExtent) {
      this.fitBbox(this.dataExtent, 14, 0);
      return;
    }
    const src = this.geojson(this.parentLevel ?? this.level);
    const fit = () => {
      const ext = src.getExtent();
      if (ext && Number.isFinite(ext[0])) this.map.getView().fit(ext, { padding: [20, 20, 20, 20] });
    };
    if (src.getFeatures().length > 0) fit();
    else {
      if (this.tilesAvailable) this.parentLayer.getSource(); // keep tiles mode: the geojson is only used for the extent
      src.once('featuresloadend', fit);
      src.loadFeatures([-Infinity, -Infinity, Infinity, Infinity], 1, this.map.getView().getProjection());
    }
  }

  /** Restore "zoom/lon/lat" from the URL; false when malformed. */
  setView(s: string): boolean {
    const v = parseMapView(s);
    if (!v) return false;
    this.map.getView().setCenter(fromLonLat([v.lon, v.lat]));
    this.map.getView().setZoom(v.zoom);
    return true;
  }

  /**
   * Optional basemap. "wms:<url>|<layers>" is a WMS (e.g. a state geoportal), anything else an
   * XYZ template. Attributed with its host name, since the provider's own text is unknown here.
   */
  setBasemap(spec: string): void {
    if (this.basemap) this.map.removeLayer(this.basemap);
    this.basemap = null;
    if (!spec) return;
    let host = spec;
    try {
      host = new URL(spec.replace(/^wms:/, '').split('|')[0]).host;
    } catch {
      /* keep spec */
    }
    const attributions = `Grundkarte: ${host}`;
    if (spec.startsWith('wms:')) {
      const [url, layers] = spec.slice(4).split('|');
      this.basemap = new TileLayer({
        source: new TileWMS({ url, params: { LAYERS: layers ?? '', TILED: true }, attributions }),
      });
    } else {
      this.basemap = new TileLayer({ source: new XYZ({ url: spec, attributions, crossOrigin: 'anonymous' }) });
    }
    this.basemap.setOpacity(0.6);
    this.map.getLayers().insertAt(0, this.basemap);
  }

  redraw(): void {
    this.fillLayer.changed();
    this.overlayLayer.changed();
  }
}
