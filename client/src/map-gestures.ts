/**
 * Map gestures that leave the page scrollable on small screens (a phone, or 200 % zoom): there the
 * map lies between the answer and the footer, and a map that takes every wheel turn and every
 * one-finger swipe traps the user. On a small screen one finger and the plain mouse wheel scroll
 * the page; two fingers pan and pinch the map, Ctrl (⌘) + wheel zooms it, a mouse still drags it,
 * and the keyboard (arrows, + and −) works as before. Wide screens keep OpenLayers' defaults.
 */
import type OlMap from 'ol/Map.js';
import DragPan from 'ol/interaction/DragPan.js';
import MouseWheelZoom from 'ol/interaction/MouseWheelZoom.js';
import Kinetic from 'ol/Kinetic.js';
import { noModifierKeys, platformModifierKey, primaryAction } from 'ol/events/condition.js';
import type MapBrowserEvent from 'ol/MapBrowserEvent.js';

/** The layout's breakpoint (style.css): below it the columns stack and the page scrolls. */
export const SMALL_SCREEN = '(max-width: 60rem)';

export function pageFriendlyGestures(map: OlMap, query = SMALL_SCREEN): void {
  const mq = window.matchMedia(query);
  const small = () => mq.matches;
  for (const i of [...map.getInteractions().getArray()]) {
    if (i instanceof DragPan || i instanceof MouseWheelZoom) map.removeInteraction(i);
  }
  const pan: DragPan = new DragPan({
    kinetic: new Kinetic(-0.005, 0.05, 100),
    condition: (ev: MapBrowserEvent) => {
      const mouse = (ev.originalEvent as PointerEvent).pointerType === 'mouse';
      if (!small() || mouse) return noModifierKeys(ev) && primaryAction(ev);
      return pan.getPointerCount() >= 2;
    },
  });
  map.addInteraction(pan);
  map.addInteraction(new MouseWheelZoom({ condition: (ev) => !small() || platformModifierKey(ev) }));
  const hint = document.createElement('p');
  hint.className = 'map-hint';
  hint.textContent = 'Karte mit zwei Fingern verschieben; mit Strg und Mausrad zoomen.';
  map.getTargetElement()?.after(hint);
}
