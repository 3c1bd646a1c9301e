// LED devices: the list with live previews and status, and the editor (zones and
// the WLED probe included).

import { api, ApiError, h, uid, statusLine, stripPreview, ago } from './lib.js';

const PROTOCOLS = [
  ['ddp', 'DDP', 4048],
  ['dnrgb', 'WLED UDP realtime (DNRGB)', 21324],
  ['e131', 'E1.31 / sACN', 5568],
];

/** Returns the status line of a device: frames, errors, active effects. */
function statusText(s) {
  const effects = s.active_effects.length
    ? s.active_effects.map((e) => `${e.effect} (${e.event_type}${e.zone ? `, ${e.zone}` : ''})`).join(', ')
    : 'none';
  return [`${s.frames_sent} frames sent`, `last frame ${ago(s.last_frame_at)}`, `${s.send_errors} send errors`, `active: ${effects}`];
}

/** Plays the 1 s white test flash; reports into `status`. */
async function testFlash(device, status) {
  try {
    const answer = await api('POST', `/api/v1/devices/${encodeURIComponent(device.id)}/test`, { body: {} });
    status.set(`Played a test ${answer.played} on ${device.name}.`, 'ok');
  } catch (err) {
    status.set(`Test failed: ${err.message}`, 'error');
  }
}

export async function devicesScreen(scope) {
  const [{ devices }, { integrations }] = await Promise.all([
    api('GET', '/api/v1/devices'),
    api('GET', '/api/v1/game-integrations'),
  ]);
  const integrationName = (id) => integrations.find((i) => i.id === id)?.name ?? id;
  const cards = devices.map((d) => {
    const status = statusLine();
    const figures = h('ul', { class: 'figures' });
    const refresh = async () => {
      try {
        const s = await api('GET', `/api/v1/devices/${encodeURIComponent(d.id)}/status`);
        figures.replaceChildren(...statusText(s).map((t) => h('li', { text: t })));
      } catch (err) {
        figures.replaceChildren(h('li', { text: `status unavailable: ${err.message}` }));
      }
    };
    refresh();
    const timer = setInterval(refresh, 2000);
    scope.signal.addEventListener('abort', () => clearInterval(timer));
    const proto = PROTOCOLS.find((p) => p[0] === d.protocol)?.[1] ?? d.protocol;
    return h('article', { class: 'card device', 'data-device': d.id },
      h('h2', {}, h('a', { href: `#/devices/${d.id}`, text: d.name }), d.enabled ? null : h('span', { class: 'badge', text: 'disabled' })),
      h('p', { class: 'hint', text: `${d.host}:${d.port} · ${proto} · ${d.led_count} LEDs · ${d.fps} fps · brightness ${d.brightness}` }),
      stripPreview(d, scope.signal),
      figures,
      d.integration_ids.length
        ? h('p', { class: 'hint', text: `Driven by ${d.integration_ids.map(integrationName).join(', ')}` })
        : h('p', { class: 'hint', text: 'No integration drives it yet.' }),
      d.zones?.length ? h('p', { class: 'hint', text: `Zones: ${d.zones.map((z) => `${z.name} ${z.start}–${z.start + z.length - 1}${z.reverse ? ' reversed' : ''}`).join(', ')}` }) : null,
      h('div', { class: 'actions' },
        h('button', { type: 'button', text: 'Test flash', 'aria-label': `Test flash on ${d.name}`, onclick: () => testFlash(d, status) }),
        h('a', { class: 'button', href: `#/devices/${d.id}`, text: 'Edit', 'aria-label': `Edit ${d.name}` })),
      status);
  });
  return h('section', {},
    h('div', { class: 'heading' },
      h('h1', { text: 'Devices' }),
      h('a', { class: 'button primary', href: '#/devices/new', text: 'New device' })),
    devices.length ? h('div', { class: 'cards' }, cards) : h('p', { class: 'empty', text: 'No device yet. Add a WLED strip to light up.' }));
}

export async function deviceEditor(scope, id) {
  const [{ integrations }, existing] = await Promise.all([
    api('GET', '/api/v1/game-integrations'),
    id ? api('GET', `/api/v1/devices/${encodeURIComponent(id)}`) : null,
  ]);
  const d = existing ?? {};
  const summary = h('div', { class: 'error-summary', role: 'alert', hidden: true });
  const status = statusLine();
  const slots = new Map();
  const slot = (loc, input) => {
    const el = h('span', { class: 'field-error', id: uid('err'), 'data-loc': loc, hidden: true });
    slots.set(loc, { el, input });
    return el;
  };
  const field = (loc, label, input, hint) => {
    input.id = input.id || uid();
    return h('div', { class: 'field' }, h('label', { for: input.id, text: label }), input,
      hint ? h('small', { class: 'hint', text: hint }) : null, slot(loc, input));
  };

  const name = h('input', { type: 'text', name: 'name', maxlength: 100, value: d.name ?? '' });
  const host = h('input', { type: 'text', name: 'host', value: d.host ?? '', autocomplete: 'off', spellcheck: 'false', placeholder: '192.168.1.50' });
  const protocol = h('select', { name: 'protocol' }, PROTOCOLS.map(([v, label]) => h('option', { value: v, text: label, selected: v === (d.protocol ?? 'ddp') })));
  const port = h('input', { type: 'number', name: 'port', min: 1, max: 65535, value: d.port ?? '', inputmode: 'numeric' });
  const universe = h('input', { type: 'number', name: 'universe', min: 1, max: 63999, value: d.universe ?? '', placeholder: '1', inputmode: 'numeric' });
  const ledCount = h('input', { type: 'number', name: 'led_count', min: 1, max: 4096, value: d.led_count ?? '', inputmode: 'numeric' });
  const fps = h('input', { type: 'number', name: 'fps', min: 1, max: 120, value: d.fps ?? '', placeholder: '40', inputmode: 'numeric' });
  const brightness = h('input', { type: 'number', name: 'brightness', min: 0, max: 1, step: 0.05, value: d.brightness ?? '', placeholder: '1.0' });
  const enabled = h('input', { type: 'checkbox', name: 'enabled', checked: d.enabled ?? true });
  const universeField = field('body.universe', 'Universe (E1.31)', universe);
  const syncProtocol = () => {
    port.placeholder = String(PROTOCOLS.find((p) => p[0] === protocol.value)[2]);
    universeField.hidden = protocol.value !== 'e131';
  };
  protocol.addEventListener('change', syncProtocol);
  syncProtocol();

  const probeResult = h('span', { class: 'hint', role: 'status' });
  // The port of the WLED's web page (its JSON API), only for the probe: 80 unless changed.
  const webPort = h('input', { type: 'number', class: 'web-port', min: 1, max: 65535, placeholder: '80',
    inputmode: 'numeric', 'aria-label': 'WLED web port', title: 'WLED web port (80 unless changed)' });
  const probe = h('button', { type: 'button', text: 'Ask the WLED', onclick: async () => {
    probeResult.textContent = 'Asking…';
    const body = { host: host.value };
    if (webPort.value !== '') body.port = Number(webPort.value);
    try {
      const r = await api('POST', '/api/v1/devices/probe', { body });
      if (!r.reachable) {
        probeResult.textContent = `No WLED answered: ${r.detail}`;
        return;
      }
      probeResult.textContent = `${r.name}, WLED ${r.version}, ${r.led_count} LEDs`;
      ledCount.value = r.led_count;
      if (!name.value) name.value = r.name;
    } catch (err) {
      probeResult.textContent = `Probe failed: ${err.message}`;
    }
  } });

  const checks = integrations.map((i) => {
    const box = h('input', { type: 'checkbox', value: i.id, checked: (d.integration_ids ?? []).includes(i.id) });
    return { box, node: h('label', { class: 'check' }, box, ` ${i.name}`) };
  });

  // Zones.
  const zoneRows = [];
  const zoneBody = h('tbody', {});
  const addZone = (z = {}) => {
    const zn = h('input', { type: 'text', value: z.name ?? '', pattern: '[a-z0-9_\\-]{1,32}', spellcheck: 'false' });
    const start = h('input', { type: 'number', min: 0, value: z.start ?? 0, inputmode: 'numeric' });
    const length = h('input', { type: 'number', min: 1, value: z.length ?? 1, inputmode: 'numeric' });
    const reverse = h('input', { type: 'checkbox', checked: z.reverse ?? false });
    const tr = h('tr', {});
    const row = { read: () => ({ name: zn.value, start: Number(start.value), length: Number(length.value), reverse: reverse.checked }) };
    const del = h('button', { type: 'button', class: 'danger', text: 'Remove', onclick: () => {
      zoneRows.splice(zoneRows.indexOf(row), 1);
      tr.remove();
      renumber();
    } });
    row.setIndex = (i) => {
      const cells = [['name', zn, 'Name'], ['start', start, 'First LED'], ['length', length, 'Length'], ['reverse', reverse, 'Reversed']];
      tr.replaceChildren(...cells.map(([key, input, label]) => {
        input.setAttribute('aria-label', `${label} of zone ${i + 1}`);
        return h('td', { 'data-label': label }, input, slot(`body.zones.${i}.${key}`, input));
      }), h('td', { class: 'row-actions' }, del, slot(`body.zones.${i}`, null)));
      del.setAttribute('aria-label', `Remove zone ${i + 1}`);
    };
    zoneRows.push(row);
    zoneBody.append(tr);
    row.setIndex(zoneRows.length - 1);
    return zn;
  };
  const renumber = () => zoneRows.forEach((r, i) => r.setIndex(i));
  for (const z of d.zones ?? []) addZone(z);

  const readBody = () => {
    const body = { name: name.value, host: host.value, protocol: protocol.value, enabled: enabled.checked };
    const num = (input, key) => { if (input.value !== '') body[key] = Number(input.value); };
    num(port, 'port');
    num(ledCount, 'led_count');
    num(fps, 'fps');
    num(brightness, 'brightness');
    if (protocol.value === 'e131') num(universe, 'universe');
    body.integration_ids = checks.filter((c) => c.box.checked).map((c) => c.box.value);
    body.zones = zoneRows.map((r) => r.read());
    return body;
  };

  const clearErrors = () => {
    for (const { el, input } of slots.values()) {
      el.hidden = true;
      el.textContent = '';
      input?.removeAttribute('aria-invalid');
    }
    summary.hidden = true;
  };
  const showErrors = (detail) => {
    let first = null;
    const unplaced = [];
    for (const item of detail) {
      const parts = item.loc.map(String);
      let found = null;
      for (let n = parts.length; n > 0 && !found; n -= 1) found = slots.get(parts.slice(0, n).join('.'));
      if (!found) { unplaced.push(item); continue; }
      found.el.hidden = false;
      found.el.textContent = found.el.textContent ? `${found.el.textContent} ${item.msg}` : item.msg;
      if (found.input) {
        found.input.setAttribute('aria-invalid', 'true');
        found.input.setAttribute('aria-describedby', found.el.id);
        first = first || found.input;
      }
    }
    if (unplaced.length) {
      summary.hidden = false;
      summary.replaceChildren(h('ul', {}, unplaced.map((i) => h('li', { text: `${i.loc.join(' › ')}: ${i.msg}` }))));
    }
    first?.focus();
  };

  const save = async (ev) => {
    ev.preventDefault();
    clearErrors();
    status.set('Saving…');
    try {
      const body = readBody();
      const saved = existing
        ? await api('PUT', `/api/v1/devices/${encodeURIComponent(existing.id)}`, { body })
        : await api('POST', '/api/v1/devices', { body });
      if (!existing) {
        location.hash = '#/devices';
        return;
      }
      Object.assign(existing, saved);
      status.set(`Saved “${saved.name}”.`, 'ok');
    } catch (err) {
      if (err instanceof ApiError && err.status === 422 && Array.isArray(err.detail)) {
        status.set(`Not saved: ${err.detail.length} field${err.detail.length > 1 ? 's' : ''} to fix.`, 'error');
        showErrors(err.detail);
      } else {
        status.set(`Not saved: ${typeof err.detail === 'object' && err.detail?.message ? err.detail.message : err.message}`, 'error');
      }
    }
  };

  const confirmBox = h('div', { class: 'confirm', hidden: true },
    h('p', { text: 'Delete this device?' }),
    h('button', { type: 'button', class: 'danger', text: 'Delete for good', onclick: async () => {
      try {
        await api('DELETE', `/api/v1/devices/${encodeURIComponent(existing.id)}`);
        location.hash = '#/devices';
      } catch (err) {
        status.set(`Not deleted: ${err.message}`, 'error');
      }
    } }),
    h('button', { type: 'button', text: 'Keep it', onclick: () => { confirmBox.hidden = true; } }));

  return h('section', {},
    h('h1', { text: existing ? `Device: ${existing.name}` : 'New device' }),
    existing ? stripPreview(existing, scope.signal) : null,
    h('form', { class: 'editor', novalidate: true, onsubmit: save },
      summary,
      h('div', { class: 'grid' },
        field('body.name', 'Name', name),
        h('div', { class: 'field' },
          h('label', { for: host.id = uid(), text: 'Host' }),
          h('div', { class: 'inline' }, host, webPort, probe),
          probeResult, slot('body.host', host)),
        field('body.protocol', 'Protocol', protocol),
        field('body.port', 'Port', port, 'Empty: the protocol’s port.'),
        universeField,
        field('body.led_count', 'LED count', ledCount),
        field('body.fps', 'Frames per second', fps),
        field('body.brightness', 'Brightness (0–1)', brightness),
        h('div', { class: 'field checkbox' }, h('label', {}, enabled, ' Enabled'), slot('body.enabled', enabled))),
      h('fieldset', {},
        h('legend', { text: 'Integrations that drive it' }),
        checks.length ? checks.map((c) => c.node) : h('p', { class: 'hint', text: 'No integration yet.' }),
        slot('body.integration_ids', null)),
      h('fieldset', {},
        h('legend', { text: 'Zones' }),
        h('p', { class: 'hint', text: 'Named parts of the strip (e.g. health, ammo) that a mapping can play on. LED numbers start at 0.' }),
        h('table', { class: 'mapping-table' },
          h('thead', {}, h('tr', {}, ['Name', 'First LED', 'Length', 'Reversed', ''].map((t) => h('th', { scope: 'col', text: t })))),
          zoneBody),
        slot('body.zones', null),
        h('button', { type: 'button', text: 'Add zone', onclick: () => addZone().focus() })),
      h('div', { class: 'actions' },
        h('button', { type: 'submit', class: 'primary', text: existing ? 'Save' : 'Create' }),
        existing ? h('button', { type: 'button', text: 'Test flash', onclick: () => testFlash(existing, status) }) : null,
        existing ? h('button', { type: 'button', class: 'danger', text: 'Delete', onclick: () => { confirmBox.hidden = false; } }) : null),
      confirmBox,
      status));
}
