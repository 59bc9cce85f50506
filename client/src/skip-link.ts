/**
 * Skip links ("Zur Karte", "Zur Steuerung") that move the focus without touching the URL hash: the
 * hash holds the app state (url-state.ts), so following "#map" as a link would replace the state with
 * an empty one and reset the map view. The click is taken over and the target focused instead.
 */

/** Wires every `a.skip` whose href is "#id" of an element on the page. */
export function installSkipLinks(root: ParentNode = document): void {
  for (const a of root.querySelectorAll<HTMLAnchorElement>('a.skip')) {
    a.addEventListener('click', (ev) => {
      const id = (a.getAttribute('href') ?? '').replace(/^#/, '');
      const target = id ? document.getElementById(id) : null;
      if (!target) return;
      ev.preventDefault();
      // The map and the sidebar are focusable containers (tabindex); anything else gets one for this.
      if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
      target.focus({ preventScroll: true });
      target.scrollIntoView({ block: 'nearest' });
    });
  }
}
