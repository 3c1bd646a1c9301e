// Overview, setup, live event log and system screens.

import { api, attachmentName, saveBlob, follow, h, statusLine, stripPreview, ago, clock, storedKey, storeKey } from './lib.js';
import { loadAdapters } from './integrations.js';

// -- overview -----------------------------------------------------------------

export async function overviewScreen(scope) {
  const [{ integrations }, { devices }, adapters] = await Promise.all([
    api('GET', '/api/v1/game-integrations'),
    api('GET', '/api/v1/devices'),
    loadAdapters(),
  ]);
  const game = (type) => adapters.find((a) => a.adapter_type === type)?.display_name ?? type;
  const cards = new Map();
  const integrationCards = integrations.map((i) => {
    const dot = h('span', { class: 'dot', 'data-connected': 'false', role: 'img', 'aria-label': 'not connected' });
    const last = h('p', { class: 'last-event', text: 'No event yet' });
    const counts = h('dl', { class: 'counts' });
    const card = { i, dot, last, counts, lastType: null, status: null };
    cards.set(i.id, card);
    return h('article', { class: 'card', 'data-integration': i.id },
      h('h2', {}, dot, ' ', h('a', { href: `#/integrations/${i.id}`, text: i.name }), i.enabled ? null : h('span', { class: 'badge', text: 'disabled' })),
      h('p', { class: 'hint', text: game(i.adapter_type) }),
      last, counts);
  });

  const paint = (card) => {
    const s = card.status;
    if (!s) return;
    card.dot.dataset.connected = String(s.connected);
    card.dot.setAttribute('aria-label', s.connected ? 'connected' : 'not connected');
    card.last.textContent = s.last_event_at
      ? `Last event: ${card.lastType ?? '…'} ${ago(s.last_event_at)}`
      : 'No event yet';
    const pairs = [['payloads', s.payload_count], ['events', s.event_count], ['rejected', s.rejected_count]];
    card.counts.replaceChildren(...pairs.flatMap(([k, v]) => [h('dt', { text: k }), h('dd', { text: String(v) })]));
  };
  const refresh = async (card) => {
    try {
      const [s, e] = await Promise.all([
        api('GET', `/api/v1/game-integrations/${card.i.id}/status`),
        api('GET', `/api/v1/game-integrations/${card.i.id}/events?limit=1`),
      ]);
      card.status = s;
      card.lastType = e.events[0]?.event_type ?? null;
      paint(card);
    } catch {
      // The next round tries again.
    }
  };
  const refreshAll = () => cards.forEach(refresh);
  refreshAll();
  const timer = setInterval(refreshAll, 5000);
  scope.signal.addEventListener('abort', () => clearInterval(timer));
  // Live: events and connection changes arrive at once; the timer keeps counts honest.
  follow('/api/v1/events/stream', {
    signal: scope.signal,
    onEvent: (event) => {
      const data = JSON.parse(event.data);
      const card = cards.get(data.integration_id);
      if (!card || !card.status) return;
      if (event.type === 'game_event') {
        card.lastType = data.event_type;
        card.status.last_event_at = data.timestamp;
        card.status.event_count += 1;
      } else if (event.type === 'status') {
        card.status.connected = data.connected;
      }
      paint(card);
    },
  });

  return h('section', {},
    h('h1', { text: 'Overview' }),
    h('h2', { class: 'section-title', text: 'Integrations' }),
    integrations.length
      ? h('div', { class: 'cards' }, integrationCards)
      : h('p', { class: 'empty' }, 'No integration yet. ', h('a', { href: '#/integrations/new', text: 'Create the first one' }), '.'),
    h('h2', { class: 'section-title', text: 'Devices' }),
    devices.length
      ? h('div', { class: 'cards' }, devices.map((d) => h('article', { class: 'card', 'data-device': d.id },
          h('h2', {}, h('a', { href: `#/devices/${d.id}`, text: d.name })),
          h('p', { class: 'hint', text: `${d.host} · ${d.led_count} LEDs` }),
          stripPreview(d, scope.signal))))
      : h('p', { class: 'empty' }, 'No device yet. ', h('a', { href: '#/devices/new', text: 'Add a WLED strip' }), '.'));
}

// -- setup --------------------------------------------------------------------

export async function setupScreen() {
  const [{ integrations }, adapters] = await Promise.all([api('GET', '/api/v1/game-integrations'), loadAdapters()]);
  const cards = await Promise.all(integrations.map(async (i) => {
    const adapter = adapters.find((a) => a.adapter_type === i.adapter_type);
    const res = await api('GET', `/api/v1/game-integrations/${i.id}/setup`, { raw: true });
    const text = await res.text();
    const file = attachmentName(res, `gamelight_${i.id}.txt`);
    // The file explains itself in its leading comment lines: where it goes, and how.
    const lines = text.split('\n');
    const notes = [];
    for (const line of lines.slice(1)) {
      const m = /^(\/\/|#)\s?(.*)$/.exec(line);
      if (!m || line.startsWith('#!')) break;
      notes.push(m[2]);
    }
    const isScript = text.startsWith('#!');
    const status = statusLine();
    return h('article', { class: 'card setup', 'data-integration': i.id },
      h('h2', { text: i.name }),
      h('p', { class: 'hint', text: adapter?.display_name ?? i.adapter_type }),
      isScript ? null : h('p', { class: 'notes', text: notes.join('\n') }),
      isScript
        ? [h('p', { text: 'Send events from any program with a POST like this one:' }), h('pre', { class: 'code', tabindex: 0 }, h('code', { text: text.trimEnd() }))]
        : h('details', {}, h('summary', { text: `Show ${file}` }), h('pre', { class: 'code', tabindex: 0 }, h('code', { text: text.trimEnd() }))),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'primary', text: `Download ${file}`, onclick: async () => {
          try {
            const fresh = await api('GET', `/api/v1/game-integrations/${i.id}/setup`, { raw: true });
            saveBlob(await fresh.blob(), attachmentName(fresh, file));
            status.set(`Saved ${file}.`, 'ok');
          } catch (err) {
            status.set(`Download failed: ${err.message}`, 'error');
          }
        } })),
      status);
  }));
  return h('section', {},
    h('h1', { text: 'Game setup' }),
    h('p', { class: 'hint', text: 'Each file carries the integration’s URL and token; keep it private.' }),
    cards.length ? h('div', { class: 'cards wide' }, cards) : h('p', { class: 'empty', text: 'No integration yet.' }));
}

// -- live event log -----------------------------------------------------------

const MAX_ROWS = 500;

export async function liveScreen(scope) {
  const { integrations } = await api('GET', '/api/v1/game-integrations');
  const names = new Map(integrations.map((i) => [i.id, i.name]));
  const filter = h('select', { id: 'live-filter' },
    h('option', { value: '', text: 'All integrations' }),
    integrations.map((i) => h('option', { value: i.id, text: i.name })));
  const pause = h('button', { type: 'button', 'aria-pressed': 'false', text: 'Pause' });
  const clear = h('button', { type: 'button', text: 'Clear' });
  const state = h('span', { class: 'stream-state', role: 'status', text: 'connecting…' });
  const body = h('tbody', {});
  const empty = h('p', { class: 'empty', text: 'Waiting for events…' });
  let paused = false;
  let held = [];

  const row = (event) => {
    const d = JSON.parse(event.data);
    if (event.type === 'status') {
      return h('tr', { class: 'status-row', 'data-integration': d.integration_id },
        h('td', { 'data-label': '#', text: '' }),
        h('td', { 'data-label': 'Time', text: clock(new Date().toISOString()) }),
        h('td', { 'data-label': 'Integration', text: names.get(d.integration_id) ?? d.integration_id }),
        h('td', { 'data-label': 'Event', text: d.connected ? 'connected' : 'disconnected' }),
        h('td', { 'data-label': 'Data', text: '' }));
    }
    return h('tr', { 'data-seq': String(d.seq), 'data-integration': d.integration_id, 'data-event': d.event_type },
      h('td', { 'data-label': '#', text: String(d.seq) }),
      h('td', { 'data-label': 'Time', text: clock(d.timestamp) }),
      h('td', { 'data-label': 'Integration', text: names.get(d.integration_id) ?? d.integration_id }),
      h('td', { 'data-label': 'Event' }, h('strong', { text: d.event_type })),
      h('td', { 'data-label': 'Data' }, h('code', { text: JSON.stringify(d.data) })));
  };
  const show = (rows) => {
    if (!rows.length) return;
    empty.hidden = true;
    body.prepend(...rows.reverse());
    while (body.rows.length > MAX_ROWS) body.lastElementChild.remove();
  };
  // One stream at a time: a new filter ends the old stream; leaving the screen ends all.
  let stream = null;
  scope.signal.addEventListener('abort', () => stream?.abort());
  const connect = () => {
    stream?.abort();
    stream = new AbortController();
    const query = filter.value ? `?integration_id=${encodeURIComponent(filter.value)}` : '';
    follow(`/api/v1/events/stream${query}`, {
      signal: stream.signal,
      onState: (s, why) => {
        state.textContent = s === 'open' ? 'live' : s === 'retrying' ? 'reconnecting…' : `stopped: ${why}`;
        state.dataset.state = s;
      },
      onEvent: (event) => {
        if (event.type !== 'game_event' && event.type !== 'status') return;
        const r = row(event);
        if (paused) {
          held.push(r);
          pause.textContent = `Resume (${held.length} new)`;
        } else {
          show([r]);
        }
      },
    });
  };
  filter.addEventListener('change', () => {
    body.replaceChildren();
    held = [];
    empty.hidden = false;
    connect();
  });
  pause.addEventListener('click', () => {
    paused = !paused;
    pause.setAttribute('aria-pressed', String(paused));
    if (!paused) {
      show(held);
      held = [];
    }
    pause.textContent = paused ? 'Resume' : 'Pause';
  });
  clear.addEventListener('click', () => {
    body.replaceChildren();
    held = [];
    empty.hidden = false;
  });
  connect();
  return h('section', {},
    h('h1', { text: 'Live event log' }),
    h('div', { class: 'toolbar' },
      h('label', { for: filter.id, text: 'Integration' }), filter, pause, clear, state),
    h('table', { class: 'list log', 'aria-label': 'Game events, newest first' },
      h('thead', {}, h('tr', {}, ['#', 'Time', 'Integration', 'Event', 'Data'].map((t) => h('th', { scope: 'col', text: t })))),
      body),
    empty);
}

// -- system -------------------------------------------------------------------

export async function systemScreen() {
  const health = await api('GET', '/api/v1/health');
  const backupStatus = statusLine();
  const restoreStatus = statusLine();
  const file = h('input', { type: 'file', id: 'restore-file', accept: '.db,.sqlite,.sqlite3,application/vnd.sqlite3' });
  const confirmBox = h('div', { class: 'confirm', hidden: true });

  const backup = async () => {
    backupStatus.set('Taking a backup…');
    try {
      const res = await api('GET', '/api/v1/system/backup', { raw: true });
      const blob = await res.blob();
      const name = attachmentName(res, 'gamelight.db');
      saveBlob(blob, name);
      backupStatus.set(`Saved ${name} (${blob.size} bytes).`, 'ok');
    } catch (err) {
      backupStatus.set(`Backup failed: ${err.message}`, 'error');
    }
  };
  const restore = async () => {
    const chosen = file.files[0];
    confirmBox.hidden = true;
    restoreStatus.set('Restoring…');
    try {
      const r = await api('POST', '/api/v1/system/restore', {
        body: chosen, headers: { 'Content-Type': 'application/vnd.sqlite3' } });
      restoreStatus.set(`Restored ${r.integrations} integration${r.integrations === 1 ? '' : 's'} and ${r.devices} device${r.devices === 1 ? '' : 's'}.`, 'ok');
    } catch (err) {
      restoreStatus.set(`Not restored: ${err.message}. Nothing changed.`, 'error');
    }
  };
  const ask = () => {
    const chosen = file.files[0];
    if (!chosen) {
      restoreStatus.set('Choose a backup file first.', 'error');
      file.focus();
      return;
    }
    const yes = h('button', { type: 'button', class: 'danger', text: 'Replace everything', onclick: restore });
    confirmBox.replaceChildren(
      h('p', { text: `Replace every integration and device with the content of ${chosen.name}? What is not in that file is lost.` }),
      yes,
      h('button', { type: 'button', text: 'Cancel', onclick: () => { confirmBox.hidden = true; restoreStatus.set('Restore cancelled.'); } }));
    confirmBox.hidden = false;
    yes.focus();
  };
  const forget = h('button', { type: 'button', text: 'Forget the key', disabled: !storedKey(), onclick: () => {
    storeKey('');
    forget.disabled = true;
  } });

  return h('section', {},
    h('h1', { text: 'System' }),
    h('dl', { class: 'facts' },
      h('dt', { text: 'Version' }), h('dd', { id: 'version', text: health.version }),
      h('dt', { text: 'Status' }), h('dd', { text: health.status }),
      h('dt', { text: 'Up for' }), h('dd', { text: uptime(health.uptime_s) })),
    h('section', { class: 'card' },
      h('h2', { text: 'Backup' }),
      h('p', { class: 'hint', text: 'A consistent copy of the whole database, taken while the daemon runs.' }),
      h('button', { type: 'button', class: 'primary', text: 'Download a backup', onclick: backup }),
      backupStatus),
    h('section', { class: 'card' },
      h('h2', { text: 'Restore' }),
      h('p', { class: 'hint', text: 'Replaces all data with a backup file; the daemon uses it at once. A file that is not a valid backup changes nothing.' }),
      h('div', { class: 'field' }, h('label', { for: file.id, text: 'Backup file' }), file),
      h('button', { type: 'button', text: 'Restore…', onclick: ask }),
      confirmBox,
      restoreStatus),
    h('section', { class: 'card' },
      h('h2', { text: 'More' }),
      h('ul', {},
        h('li', {}, h('a', { href: '/metrics', target: '_blank', rel: 'noopener', text: 'Prometheus metrics (/metrics)' })),
        h('li', {}, h('a', { href: '/openapi.json', target: '_blank', rel: 'noopener', text: 'OpenAPI document (/openapi.json)' }))),
      h('p', { class: 'hint', text: storedKey() ? 'An API key is stored in this browser.' : 'No API key is stored in this browser.' }),
      forget));
}

function uptime(s) {
  const d = Math.floor(s / 86400);
  const hh = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  return d ? `${d} d ${hh} h` : hh ? `${hh} h ${m} min` : `${m} min ${s % 60} s`;
}
