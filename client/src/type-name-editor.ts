/**
 * "Typen benennen": names and plain descriptions of a run's types, edited by a person and stored
 * with the run (PUT /api/typologies/{id}/types; the token or a login with editor rights). Counselling
 * shows these texts for the published run. A suggestion not yet edited is marked as such.
 */
import { h, fill, message } from './dom.js';
import { api } from './data.js';
import { errorMessage, fetchJson } from './api.js';
import { typeTextsBody, TYPE_DESCRIPTION_MAX, TYPE_NAME_MAX, type TypeTexts } from './type-name-editor-data.js';
import type { TypologyRun } from './types.js';

/**
 * @param k the shown k when it is not the run's chosen one (its texts are stored apart); undefined = chosen.
 * @param onSaved called after a successful save (the map redraws its legend with the new names).
 */
export function typeNameEditor(run: TypologyRun, k: number | undefined, onSaved: () => void): HTMLElement {
  const stored: TypeTexts[] = run.types.map((t) => ({
    type: t.type,
    name: t.name ?? t.label ?? '',
    description: t.plainDescription ?? '',
  }));
  const status = h('div', { 'aria-live': 'polite', testid: 'type-names-status' });
  const fields = run.types.map((t) => {
    const id = `type-name-${t.type}`;
    const name = h('input', {
      id,
      type: 'text',
      maxlength: TYPE_NAME_MAX,
      value: t.name ?? t.label ?? '',
      testid: `type-name-${t.type}`,
    });
    const desc = h('textarea', {
      id: `${id}-desc`,
      rows: 2,
      maxlength: TYPE_DESCRIPTION_MAX,
      testid: `type-description-${t.type}`,
    });
    desc.value = t.plainDescription ?? '';
    const box = h(
      'fieldset',
      { class: 'type-text' },
      h('legend', {}, `Typ ${t.type}${t.suggested ? ' (Vorschlag, noch nicht bearbeitet)' : ''}`),
      h('label', { for: id }, 'Name'),
      name,
      h('label', { for: `${id}-desc` }, 'Beschreibung in einfachen Worten'),
      desc,
    );
    return { type: t.type, name, desc, box };
  });
  const save = async () => {
    const res = typeTextsBody(
      stored,
      fields.map((f) => ({ type: f.type, name: f.name.value, description: f.desc.value })),
      k,
    );
    if (!res.body) return fill(status, ...res.problems.map((p) => message(p, 'error')));
    fill(status, message('Wird gespeichert …'));
    try {
      await fetchJson(`/api/typologies/${encodeURIComponent(String(run.runId))}/types`, {
        method: 'PUT',
        body: JSON.stringify(res.body),
        auth: true,
      });
      // The run view and the published typology carry the texts: read them again.
      api.forget('/api/typologies');
      // The editor stays (with its message); what is saved is the new base for the next edit.
      for (const t of res.body.types) {
        const s = stored.find((x) => x.type === t.type);
        if (s) Object.assign(s, { name: t.name, description: t.description });
      }
      fill(status, message(`Gespeichert: ${res.body.types.length} Typ(en).`));
      onSaved();
    } catch (err) {
      fill(status, message(errorMessage(err), 'error'));
    }
  };
  return h(
    'details',
    { testid: 'type-names' },
    h('summary', {}, 'Typen benennen'),
    h('p', { class: 'hint' }, 'Die Beratung zeigt diese Namen und Beschreibungen, wenn der Lauf veröffentlicht ist.'),
    ...fields.map((f) => f.box),
    h('button', { type: 'button', testid: 'type-names-save', onclick: () => void save() }, 'Namen speichern'),
    status,
  );
}
