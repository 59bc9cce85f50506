/** The settings form: the basemap URL goes into the URL state (grundkarte=…), so it is shareable too. */
import { parseState, serializeState } from './url-state.js';
import { approveBasemap } from './basemap-consent.js';

const formEl = document.getElementById('settings-form') as HTMLFormElement | null;
const input = document.getElementById('basemap-url') as HTMLInputElement | null;
if (formEl && input) {
  input.value = parseState(location.hash).basemap;
  formEl.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const state = { ...parseState(location.hash), basemap: input.value.trim() };
    approveBasemap(state.basemap); // typed here: no question as for a shared link
    // Going through the hash lets the store pick the change up like any shared link.
    location.hash = serializeState(state);
  });
}
