// Game integrations: the list and the editor. The editor builds the adapter's config
// fields and event choices from GET /api/v1/game-adapters, so a new adapter needs no
// change here.

import { api, ApiError, h, uid, statusLine, stripPreview, toHex, fromHex } from './lib.js';

/** The effects of api.md with a short hint each. */
export const EFFECTS = [
  ['solid', 'hold the colour'],
  ['flash', 'jump to full, decay to dark'],
  ['fade', 'ramp from full to dark'],
  ['pulse', 'breathe, 1 s period'],
  ['strobe', 'on/off at 10 Hz'],
  ['wipe', 'fill first to last LED'],
  ['gauge', 'fill by the event’s fraction'],
  ['countdown', 'drain while pulsing faster'],
  ['off', 'clear this integration’s effects'],
];

let adaptersCache = null;

/** Returns the adapters (cached for the page's life: they are fixed per daemon). */
export async function loadAdapters() {
  if (!adaptersCache) adaptersCache = (await api('GET', '/api/v1/game-adapters')).adapters;
  return adaptersCache;
}

export async function integrationsScreen() {
  const [{ integrations }, adapters] = await Promise.all([
    api('GET', '/api/v1/game-integrations'),
    loadAdapters(),
  ]);
  const game = (type) => adapters.find((a) => a.adapter_type === type)?.display_name ?? type;
  return h('section', {},
    h('div', { class: 'heading' },
      h('h1', { text: 'Integrations' }),
      h('a', { class: 'button primary', href: '#/integrations/new', text: 'New integration' })),
    integrations.length === 0
      ? h('p', { class: 'empty', text: 'No integration yet. Create one for each game (or program) that sends events.' })
      : h('table', { class: 'list' },
          h('thead', {}, h('tr', {}, ['Name', 'Game', 'Enabled', 'Mappings', ''].map((t) => h('th', { scope: 'col', text: t })))),
          h('tbody', {}, integrations.map((i) => h('tr', {},
            h('td', { 'data-label': 'Name' }, h('a', { href: `#/integrations/${i.id}`, text: i.name })),
            h('td', { 'data-label': 'Game', text: game(i.adapter_type) }),
            h('td', { 'data-label': 'Enabled', text: i.enabled ? 'yes' : 'no' }),
            h('td', { 'data-label': 'Mappings', text: String(i.event_mappings.length) }),
            h('td', { 'data-label': '' }, h('a', { href: '#/setup', text: 'Setup' })))))));
}

// -- field errors -------------------------------------------------------------

/**
 * Collects the fields of a form by their 422 `loc` ("body.event_mappings.0.color")
 * and shows each error next to its field (or the nearest enclosing one).
 */
class FieldErrors {
  constructor(summary) {
    this.slots = new Map();
    this.summary = summary;
  }

  /** Registers a field; returns the element that shows its error. */
  slot(loc, input) {
    const el = h('span', { class: 'field-error', id: uid('err'), 'data-loc': loc, hidden: true });
    this.slots.set(loc, { el, input });
    return el;
  }

  forget(prefix) {
    for (const loc of [...this.slots.keys()]) if (loc === prefix || loc.startsWith(prefix + '.')) this.slots.delete(loc);
  }

  clear() {
    for (const { el, input } of this.slots.values()) {
      el.hidden = true;
      el.textContent = '';
      if (input) {
        input.removeAttribute('aria-invalid');
        input.removeAttribute('aria-describedby');
      }
    }
    this.summary.replaceChildren();
    this.summary.hidden = true;
  }

  /** Shows a 422 detail list; returns the first field with an error. */
  show(detail) {
    this.clear();
    let first = null;
    const unplaced = [];
    for (const item of detail) {
      const parts = item.loc.map(String);
      let placed = false;
      for (let n = parts.length; n > 0 && !placed; n -= 1) {
        const found = this.slots.get(parts.slice(0, n).join('.'));
        if (!found) continue;
        const { el, input } = found;
        el.hidden = false;
        el.textContent = el.textContent ? `${el.textContent} ${item.msg}` : item.msg;
        if (input) {
          input.setAttribute('aria-invalid', 'true');
          input.setAttribute('aria-describedby', el.id);
          first = first || input;
        }
        placed = true;
      }
      if (!placed) unplaced.push(item);
    }
    if (unplaced.length) {
      this.summary.hidden = false;
      this.summary.replaceChildren(h('ul', {}, unplaced.map((i) => h('li', { text: `${i.loc.join(' › ')}: ${i.msg}` }))));
    }
    return first;
  }
}

/** A labelled field with its error slot. */
function field(errors, loc, label, input, hint) {
  input.id = input.id || uid();
  return h('div', { class: 'field' },
    h('label', { for: input.id, text: label }),
    input,
    hint ? h('small', { class: 'hint', text: hint }) : null,
    errors.slot(loc, input));
}

/** Returns a random token: 16 bytes as 32 hex digits. */
export function randomToken() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

// -- adapter config from its JSON Schema ---------------------------------------

/**
 * Builds inputs for the properties of a config schema. Returns the nodes and a
 * function that reads the config object back (empty optional fields left out).
 */
function configFields(errors, schema, current) {
  const properties = schema?.properties ?? {};
  const required = new Set(schema?.required ?? []);
  const readers = [];
  const nodes = [];
  for (const [name, prop] of Object.entries(properties)) {
    const loc = `body.adapter_config.${name}`;
    const label = name.replace(/_/g, ' ') + (required.has(name) ? '' : ' (optional)');
    const value = current?.[name];
    let input;
    let read;
    let extra = null;
    if (prop.enum) {
      input = h('select', {}, h('option', { value: '', text: '—' }),
        prop.enum.map((v) => h('option', { value: String(v), text: String(v), selected: v === value })));
      read = () => (input.value === '' ? undefined : prop.enum.find((v) => String(v) === input.value));
    } else if (prop.type === 'boolean') {
      input = h('input', { type: 'checkbox', checked: value ?? prop.default ?? false });
      read = () => input.checked;
    } else if (prop.type === 'integer' || prop.type === 'number') {
      input = h('input', { type: 'number', inputmode: 'numeric', min: prop.minimum, max: prop.maximum,
        step: prop.type === 'integer' ? 1 : 'any', value: value ?? '', placeholder: prop.default ?? '' });
      read = () => (input.value === '' ? undefined : Number(input.value));
    } else if (prop.type === 'array' && prop.items?.type === 'string') {
      input = h('input', { type: 'text', value: (value ?? []).join(', '), placeholder: 'comma-separated' });
      read = () => {
        const list = input.value.split(',').map((s) => s.trim()).filter(Boolean);
        return list.length ? list : undefined;
      };
    } else if (prop.type === 'string') {
      input = h('input', { type: 'text', value: value ?? '', autocomplete: 'off', spellcheck: 'false',
        minlength: prop.minLength, maxlength: prop.maxLength });
      read = () => (input.value === '' ? undefined : input.value);
      if (prop.writeOnly) {
        extra = h('button', { type: 'button', text: 'Generate', 'aria-label': `Generate a ${name}`,
          onclick: () => {
            input.value = randomToken();
            input.dispatchEvent(new Event('input', { bubbles: true }));
          } });
      }
    } else {
      input = h('textarea', { rows: 3, value: value === undefined ? '' : JSON.stringify(value) });
      read = () => (input.value.trim() === '' ? undefined : JSON.parse(input.value));
    }
    input.name = `config-${name}`;
    input.id = uid();
    const described = prop.description ? `${prop.description.replace(/\.?$/, '.')} ` : '';
    const hint = prop.writeOnly
      ? `${described}Shown as ******** once stored; leave it so to keep it.`
      : prop.description;
    nodes.push(h('div', { class: 'field' },
      h('label', { for: input.id, text: label }),
      extra ? h('div', { class: 'inline' }, input, extra) : input,
      hint ? h('small', { class: 'hint', text: hint }) : null,
      errors.slot(loc, input)));
    readers.push([name, read]);
  }
  const readConfig = () => {
    const config = {};
    for (const [name, read] of readers) {
      const v = read();
      if (v !== undefined) config[name] = v;
    }
    return config;
  };
  return { nodes, readConfig };
}

// -- the editor ---------------------------------------------------------------

export async function integrationEditor(scope, id) {
  const [adapters, { devices }, existing] = await Promise.all([
    loadAdapters(),
    api('GET', '/api/v1/devices'),
    id ? api('GET', `/api/v1/game-integrations/${encodeURIComponent(id)}`) : null,
  ]);
  const summary = h('div', { class: 'error-summary', role: 'alert', hidden: true });
  const errors = new FieldErrors(summary);
  const status = statusLine();
  let dirty = false;

  const name = h('input', { type: 'text', name: 'name', required: true, maxlength: 100, value: existing?.name ?? '' });
  const adapterSelect = h('select', { name: 'adapter_type' },
    adapters.map((a) => h('option', { value: a.adapter_type, text: a.display_name,
      selected: a.adapter_type === (existing?.adapter_type ?? adapters[0]?.adapter_type) })));
  const enabled = h('input', { type: 'checkbox', name: 'enabled', checked: existing?.enabled ?? true });
  const description = h('textarea', { name: 'description', rows: 2, maxlength: 1000, value: existing?.description ?? '' });
  const tags = h('input', { type: 'text', name: 'tags', value: (existing?.tags ?? []).join(', '), placeholder: 'comma-separated' });
  const adapter = () => adapters.find((a) => a.adapter_type === adapterSelect.value);

  // Config fields follow the chosen adapter.
  const configBox = h('fieldset', { class: 'config' });
  let readConfig = () => ({});
  const buildConfig = () => {
    errors.forget('body.adapter_config');
    const a = adapter();
    const current = existing && existing.adapter_type === a.adapter_type ? existing.adapter_config : {};
    const built = configFields(errors, a.config_schema, current);
    readConfig = built.readConfig;
    eventList.replaceChildren(...(current?.events ?? []).map((e) => h('option', { value: e })));
    configBox.replaceChildren(
      h('legend', { text: `${a.display_name} settings` }),
      h('p', { class: 'hint', text: a.description }),
      h('div', { class: 'grid' }, built.nodes.length ? built.nodes : h('p', { class: 'hint', text: 'This adapter has no settings.' })),
      errors.slot('body.adapter_config', null));
  };

  // Mapping rows.
  const zones = [...new Set(devices.flatMap((d) => (d.zones ?? []).map((z) => z.name)))];
  const zoneList = h('datalist', { id: uid('zones') }, zones.map((z) => h('option', { value: z })));
  const eventList = h('datalist', { id: uid('events') });
  const rows = h('tbody', {});
  const mappingRows = [];

  const eventInput = (value) => {
    const events = adapter().supported_events;
    if (events.length) {
      return h('select', {}, events.map((e) => h('option', { value: e.event_type, text: e.event_type,
        title: e.description, selected: e.event_type === value })));
    }
    return h('input', { type: 'text', list: eventList.id, value: value ?? '', placeholder: 'event_type' });
  };

  const renumber = () => {
    mappingRows.forEach((row, i) => row.setIndex(i));
  };

  const addRow = (m = {}) => {
    const row = {};
    const tr = h('tr', { class: 'mapping' });
    let event = eventInput(m.event_type);
    const effect = h('select', {}, EFFECTS.map(([e, hint]) => h('option', { value: e, text: e, title: hint, selected: e === (m.effect ?? 'flash') })));
    const color = h('input', { type: 'color', value: toHex(m.color ?? [255, 255, 255]) });
    const duration = h('input', { type: 'number', min: 0, max: 600000, step: 1, value: m.duration_ms ?? 1000, inputmode: 'numeric' });
    const intensity = h('input', { type: 'number', min: 0, max: 1, step: 0.05, value: m.intensity ?? 1 });
    const priority = h('input', { type: 'number', min: 0, max: 100, step: 1, value: m.priority ?? 50, inputmode: 'numeric' });
    const zone = h('input', { type: 'text', list: zoneList.id, value: m.zone ?? '', placeholder: 'whole strip', pattern: '[a-z0-9_\\-]{1,32}' });
    const result = h('span', { class: 'test-result', role: 'status' });
    const test = h('button', { type: 'button', text: 'Test', disabled: !existing });
    const remove = h('button', { type: 'button', class: 'danger', text: 'Remove' });
    const cells = { event, effect, color, duration, intensity, priority, zone };
    const labels = { event: 'Event', effect: 'Effect', color: 'Colour', duration: 'Duration (ms)', intensity: 'Intensity', priority: 'Priority', zone: 'Zone' };
    const keys = { event: 'event_type', effect: 'effect', color: 'color', duration: 'duration_ms', intensity: 'intensity', priority: 'priority', zone: 'zone' };
    const tds = {};
    for (const k of Object.keys(cells)) tds[k] = h('td', { 'data-label': labels[k] });
    let rowSlot = h('span');
    const actions = h('td', { class: 'row-actions' }, test, remove, result, rowSlot);
    tr.append(...Object.values(tds), actions);

    row.setIndex = (i) => {
      row.index = i;
      errors.forget(`body.event_mappings.${i}`);
      for (const k of Object.keys(cells)) {
        const input = k === 'event' ? event : cells[k];
        input.setAttribute('aria-label', `${labels[k]} of mapping ${i + 1}`);
        input.dataset.field = keys[k];
        tds[k].replaceChildren(input, errors.slot(`body.event_mappings.${i}.${keys[k]}`, input));
      }
      tr.dataset.index = String(i);
      test.setAttribute('aria-label', `Test mapping ${i + 1}`);
      remove.setAttribute('aria-label', `Remove mapping ${i + 1}`);
      const slot = errors.slot(`body.event_mappings.${i}`, null);
      rowSlot.replaceWith(slot);
      rowSlot = slot;
    };
    row.rebuildEvent = () => {
      const value = event.value;
      event = eventInput(value);
      cells.event = event;
      row.setIndex(row.index);
    };
    row.read = () => {
      const m2 = { event_type: event.value, effect: effect.value, color: fromHex(color.value) };
      if (duration.value !== '') m2.duration_ms = Number(duration.value);
      if (intensity.value !== '') m2.intensity = Number(intensity.value);
      if (priority.value !== '') m2.priority = Number(priority.value);
      m2.zone = zone.value.trim() === '' ? null : zone.value.trim();
      return m2;
    };
    test.addEventListener('click', async () => {
      if (dirty) {
        result.textContent = 'Save first: the test plays the saved mappings.';
        return;
      }
      const body = { event_type: event.value };
      if (effect.value === 'gauge') body.data = { fraction: 1 };
      result.textContent = 'Playing…';
      try {
        const answer = await api('POST', `/api/v1/game-integrations/${encodeURIComponent(existing.id)}/test`, { body });
        const names = (d) => devices.find((x) => x.id === d)?.name ?? d;
        result.textContent = answer.played.length
          ? `Played ${answer.played.map((p) => `${p.effect} on ${names(p.device_id)}${p.zone ? ` (${p.zone})` : ''}`).join(', ')}`
          : 'Nothing played: no device of this integration plays it.';
      } catch (err) {
        result.textContent = err instanceof ApiError && Array.isArray(err.detail)
          ? err.detail.map((d) => d.msg).join(' ')
          : `Test failed: ${err.message}`;
      }
    });
    remove.addEventListener('click', () => {
      const i = mappingRows.indexOf(row);
      errors.forget(`body.event_mappings.${mappingRows.length - 1}`);
      mappingRows.splice(i, 1);
      tr.remove();
      dirty = true;
      renumber();
      (mappingRows[i]?.focusFirst ?? (() => addButton.focus()))();
    });
    row.focusFirst = () => event.focus();
    mappingRows.push(row);
    rows.append(tr);
    row.setIndex(mappingRows.length - 1);
    return row;
  };

  adapterSelect.addEventListener('change', () => {
    buildConfig();
    for (const row of mappingRows) row.rebuildEvent();
  });

  const addButton = h('button', { type: 'button', text: 'Add mapping', onclick: () => {
    dirty = true;
    addRow().focusFirst();
  } });

  const readBody = () => {
    const body = {
      name: name.value,
      adapter_type: adapterSelect.value,
      enabled: enabled.checked,
      description: description.value,
      tags: tags.value.split(',').map((s) => s.trim()).filter(Boolean),
      adapter_config: readConfig(),
      event_mappings: mappingRows.map((r) => r.read()),
    };
    return body;
  };

  const save = async (ev) => {
    ev.preventDefault();
    errors.clear();
    status.set('Saving…');
    let body;
    try {
      body = readBody();
    } catch (err) {
      status.set(`Cannot read the form: ${err.message}`, 'error');
      return;
    }
    try {
      const saved = existing
        ? await api('PUT', `/api/v1/game-integrations/${encodeURIComponent(existing.id)}`, { body })
        : await api('POST', '/api/v1/game-integrations', { body });
      dirty = false;
      if (!existing) {
        sessionStorage.setItem('gamelight.flash', `Created “${saved.name}”.`);
        location.hash = `#/integrations/${saved.id}`;
        return;
      }
      Object.assign(existing, saved);
      status.set(`Saved “${saved.name}”.`, 'ok');
    } catch (err) {
      if (err instanceof ApiError && err.status === 422 && Array.isArray(err.detail)) {
        status.set(`Not saved: ${err.detail.length} field${err.detail.length > 1 ? 's' : ''} to fix.`, 'error');
        errors.show(err.detail)?.focus();
      } else if (err instanceof ApiError && err.status === 409) {
        status.set(`Not saved: ${err.detail}`, 'error');
        errors.show([{ loc: ['body', 'name'], msg: String(err.detail) }]);
      } else {
        status.set(`Not saved: ${err.message}`, 'error');
      }
    }
  };

  const remove = async () => {
    if (!confirmBox.hidden) return;
    confirmBox.hidden = false;
    confirmBox.querySelector('button').focus();
  };
  const confirmBox = h('div', { class: 'confirm', hidden: true },
    h('p', { text: 'Delete this integration? Its mappings go with it.' }),
    h('button', { type: 'button', class: 'danger', text: 'Delete for good', onclick: async () => {
      try {
        await api('DELETE', `/api/v1/game-integrations/${encodeURIComponent(existing.id)}`);
        location.hash = '#/integrations';
      } catch (err) {
        const d = err.detail;
        status.set(`Not deleted: ${typeof d === 'object' && d?.message ? d.message : err.message}`, 'error');
        confirmBox.hidden = true;
      }
    } }),
    h('button', { type: 'button', text: 'Keep it', onclick: () => { confirmBox.hidden = true; } }));

  buildConfig();
  for (const m of existing?.event_mappings ?? []) addRow(m);
  const flash = sessionStorage.getItem('gamelight.flash');
  if (flash) {
    sessionStorage.removeItem('gamelight.flash');
    status.set(flash, 'ok');
  }

  const form = h('form', { class: 'editor', novalidate: true, onsubmit: save, oninput: () => { dirty = true; }, onchange: () => { dirty = true; } },
    summary,
    h('div', { class: 'grid' },
      field(errors, 'body.name', 'Name', name),
      field(errors, 'body.adapter_type', 'Game', adapterSelect),
      h('div', { class: 'field checkbox' }, h('label', {}, enabled, ' Enabled'), errors.slot('body.enabled', enabled)),
      field(errors, 'body.tags', 'Tags', tags),
      field(errors, 'body.description', 'Description', description)),
    configBox,
    h('fieldset', { class: 'mappings' },
      h('legend', { text: 'Event → effect mappings' }),
      h('p', { class: 'hint', text: 'Higher priority wins; duration 0 keeps the effect until replaced. “Test” plays the saved mappings of that event on this integration’s devices.' }),
      h('table', { class: 'mapping-table' },
        h('thead', {}, h('tr', {}, ['Event', 'Effect', 'Colour', 'Duration (ms)', 'Intensity', 'Priority', 'Zone', ''].map((t) => h('th', { scope: 'col', text: t })))),
        rows),
      errors.slot('body.event_mappings', null),
      addButton, zoneList, eventList),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary', text: existing ? 'Save' : 'Create' }),
      existing ? h('a', { class: 'button', href: '#/setup', text: 'Game setup' }) : null,
      existing ? h('button', { type: 'button', class: 'danger', text: 'Delete', onclick: remove }) : null),
    confirmBox,
    status);
  // The strips this integration drives, live, so a test shows right here.
  const driven = existing ? devices.filter((d) => d.integration_ids.includes(existing.id)) : [];
  return h('section', {},
    h('h1', { text: existing ? `Integration: ${existing.name}` : 'New integration' }),
    existing ? h('p', { class: 'hint' }, 'Id ', h('code', { text: existing.id })) : null,
    driven.length
      ? h('div', { class: 'previews' }, driven.map((d) => h('div', { class: 'preview' },
          h('span', { class: 'hint', text: d.name }), stripPreview(d, scope.signal))))
      : null,
    form);
}
