import { describe, expect, it } from 'vitest';
import { layerChoice } from '../../client/src/layer-choice.js';
import { DEFAULT_STATE, type AppState } from '../../client/src/url-state.js';

const state = (patch: Partial<AppState>): AppState => ({
  ...DEFAULT_STATE,
  level: 'plr',
  indicator: 'S4',
  period: '2020-12-31',
  ...patch,
});

describe('layerChoice: planner (Sozialplanung)', () => {
  it('shows the indicator map with values on hover, no fallback and no hatching by default', () => {
    expect(layerChoice(state({ view: 'planung' }))).toEqual({
      fill: { kind: 'indicator', valueHover: true },
      fallbackToIndicator: false,
      overlay: null,
    });
  });

  it('ignores a typology run in the URL: the planner never shows types', () => {
    expect(layerChoice(state({ view: 'planung', run: '12', k: 4 })).fill).toEqual({
      kind: 'indicator',
      valueHover: true,
    });
  });

  it('shows a hotspot run in the chosen mode, falling back to the indicator map on failure', () => {
    expect(layerChoice(state({ view: 'planung', layer: 'hotspots', hotspots: '7', hotspotMode: 'lisa' }))).toEqual({
      fill: { kind: 'hotspots', run: '7', mode: 'lisa' },
      fallbackToIndicator: true,
      overlay: null,
    });
    expect(layerChoice(state({ view: 'planung', layer: 'hotspots', hotspots: '7' })).fill).toEqual({
      kind: 'hotspots',
      run: '7',
      mode: 'gi',
    });
  });

  it('names the missing hotspot run', () => {
    expect(layerChoice(state({ view: 'planung', layer: 'hotspots', hotspots: '' })).fill).toEqual({
      kind: 'incomplete',
      reason: 'Keine Hotspot-Analyse gewählt.',
    });
  });

  it('shows the change between two different periods', () => {
    expect(
      layerChoice(state({ view: 'planung', layer: 'veraenderung', from: '2021-12-31', to: '2024-12-31' })),
    ).toEqual({
      fill: { kind: 'change', from: '2021-12-31', to: '2024-12-31' },
      fallbackToIndicator: true,
      overlay: null,
    });
  });

  it('asks for two different periods when one is missing or both are the same', () => {
    const reason = 'Bitte zwei verschiedene Zeitpunkte für die Veränderung wählen.';
    expect(layerChoice(state({ view: 'planung', layer: 'veraenderung', from: '', to: '2024-12-31' })).fill).toEqual({
      kind: 'incomplete',
      reason,
    });
    expect(layerChoice(state({ view: 'planung', layer: 'veraenderung', from: '2021-12-31', to: '' })).fill).toEqual({
      kind: 'incomplete',
      reason,
    });
    expect(
      layerChoice(state({ view: 'planung', layer: 'veraenderung', from: '2024-12-31', to: '2024-12-31' })).fill,
    ).toEqual({ kind: 'incomplete', reason });
  });

  it('hatches the hotspot run over the indicator map at the chosen confidence, only for its own indicator', () => {
    expect(
      layerChoice(state({ view: 'planung', hotspots: '7', hotspotMode: 'lisa', hotspotOverlay: 95 })).overlay,
    ).toEqual({
      run: '7',
      mode: 'lisa',
      minLevel: 95,
      sameIndicatorOnly: true,
    });
  });

  it('draws no hatching without a run, with the overlay off, or over the hotspot and change maps', () => {
    expect(layerChoice(state({ view: 'planung', hotspots: '', hotspotOverlay: 95 })).overlay).toBeNull();
    expect(layerChoice(state({ view: 'planung', hotspots: '7', hotspotOverlay: 0 })).overlay).toBeNull();
    expect(
      layerChoice(state({ view: 'planung', layer: 'hotspots', hotspots: '7', hotspotOverlay: 99 })).overlay,
    ).toBeNull();
    expect(
      layerChoice(
        state({ view: 'planung', layer: 'veraenderung', from: 'a', to: 'b', hotspots: '7', hotspotOverlay: 90 }),
      ).overlay,
    ).toBeNull();
  });
});

describe('layerChoice: research (Forschung)', () => {
  it('shows the types of the run at the k of the URL (0 = the chosen k)', () => {
    expect(layerChoice(state({ view: 'forschung', run: '12', k: 4 }))).toEqual({
      fill: { kind: 'types', run: '12', k: 4 },
      fallbackToIndicator: true,
      overlay: null,
    });
    expect(layerChoice(state({ view: 'forschung', run: '12', k: 0 })).fill).toEqual({ kind: 'types', run: '12', k: 0 });
  });

  it('shows the indicator map without value hover while no run is chosen', () => {
    expect(layerChoice(state({ view: 'forschung', run: '' })).fill).toEqual({ kind: 'indicator', valueHover: false });
  });

  it('ignores the planner layer keys', () => {
    expect(layerChoice(state({ view: 'forschung', run: '3', layer: 'hotspots', hotspots: '7' })).fill).toEqual({
      kind: 'types',
      run: '3',
      k: 0,
    });
    expect(layerChoice(state({ view: 'forschung', layer: 'veraenderung', from: 'a', to: 'a' })).fill).toEqual({
      kind: 'indicator',
      valueHover: false,
    });
  });

  it('hatches hotspots over the types in the combined view with a fixed reading (Gi*, from 90 %)', () => {
    expect(
      layerChoice(
        state({ view: 'forschung', run: '12', combined: true, hotspots: '7', hotspotMode: 'lisa', hotspotOverlay: 99 }),
      ).overlay,
    ).toEqual({
      run: '7',
      mode: 'gi',
      minLevel: 90,
      sameIndicatorOnly: false,
    });
  });

  it('draws no hatching when the combined view is off or has no hotspot run', () => {
    expect(
      layerChoice(state({ view: 'forschung', run: '12', combined: false, hotspots: '7', hotspotOverlay: 95 })).overlay,
    ).toBeNull();
    expect(layerChoice(state({ view: 'forschung', run: '12', combined: true, hotspots: '' })).overlay).toBeNull();
  });
});

describe('layerChoice: Beratung', () => {
  it('shows the run at its chosen k, whatever k the URL carries', () => {
    expect(layerChoice(state({ view: 'beratung', run: '12', k: 4 }))).toEqual({
      fill: { kind: 'types', run: '12', k: 0 },
      fallbackToIndicator: true,
      overlay: null,
    });
  });

  it('shows the indicator map without value hover while no run exists', () => {
    expect(layerChoice(state({ view: 'beratung', run: '' })).fill).toEqual({ kind: 'indicator', valueHover: false });
  });

  it('never hatches, not even with the combined key set', () => {
    expect(
      layerChoice(state({ view: 'beratung', run: '12', combined: true, hotspots: '7', hotspotOverlay: 95 })).overlay,
    ).toBeNull();
  });
});
