/**
 * Area selection by keyboard: with the map focused, the arrow keys pan (OpenLayers' KeyboardPan,
 * + and − zoom) and Enter or Space selects the area under the map centre, marked by a crosshair
 * while the map has the focus. The selection (or why there is none) is announced in a polite live
 * region, since a screen reader cannot see the map.
 */
import type { AtlasMap } from './map.js';

/** What a key on the focused map does besides OpenLayers' own panning and zooming. */
export function mapKeyAction(key: string, modifiers = false): 'select' | null {
  if (modifiers) return null;
  return key === 'Enter' || key === ' ' ? 'select' : null;
}

/** The sentence read out after Enter: the area's name and code, or that the centre lies outside every area. */
export function selectionAnnouncement(hit: { code: string; name: string } | null): string {
  return hit
    ? `Ausgewählt: ${hit.name} (${hit.code})`
    : 'In der Kartenmitte liegt kein Gebiet. Mit den Pfeiltasten die Karte verschieben.';
}

export function installMapKeyboard(atlas: AtlasMap, onSelect: (code: string) => void): void {
  const target = atlas.map.getTargetElement() as HTMLElement;
  const live = document.createElement('div');
  live.className = 'visually-hidden';
  live.setAttribute('aria-live', 'polite');
  live.setAttribute('data-testid', 'map-announce');
  Object.assign(live.style, {
    position: 'absolute',
    width: '1px',
    height: '1px',
    overflow: 'hidden',
    clipPath: 'inset(50%)',
    whiteSpace: 'nowrap',
  });
  const cross = document.createElement('div');
  cross.setAttribute('aria-hidden', 'true');
  cross.setAttribute('data-testid', 'map-crosshair');
  cross.textContent = '+';
  Object.assign(cross.style, {
    position: 'absolute',
    left: '50%',
    top: '50%',
    transform: 'translate(-50%, -50%)',
    font: 'bold 28px/1 sans-serif',
    color: '#000',
    textShadow: '0 0 3px #fff, 0 0 3px #fff',
    pointerEvents: 'none',
    zIndex: '5',
    display: 'none',
  });
  target.append(cross);
  target.after(live);
  target.addEventListener('focus', () => (cross.style.display = 'block'));
  target.addEventListener('blur', () => (cross.style.display = 'none'));
  target.addEventListener('keydown', (ev) => {
    if (ev.target !== target) return; // keys in the map's own controls (zoom buttons) keep their meaning
    if (mapKeyAction(ev.key, ev.altKey || ev.ctrlKey || ev.metaKey || ev.shiftKey) !== 'select') return;
    ev.preventDefault();
    const hit = atlas.areaAtCentre();
    if (hit) onSelect(hit.code);
    live.textContent = selectionAnnouncement(hit);
  });
}
