// Shared helpers of the dashboard: the API client (key handling included), a reader
// of Server-Sent Event streams over fetch(), DOM building and the LED strip preview.

const KEY_STORAGE = 'gamelight.api-key';

/** Returns the stored API key, or ''. */
export function storedKey() {
  try {
    return localStorage.getItem(KEY_STORAGE) || '';
  } catch {
    return '';
  }
}

/** Keeps the key in this browser ('' forgets it). */
export function storeKey(key) {
  if (key) localStorage.setItem(KEY_STORAGE, key);
  else localStorage.removeItem(KEY_STORAGE);
}

// The page installs the function that asks the user for a key (app.js); every 401
// waits for the same question, so parallel calls ask only once.
let askKeyFn = async () => false;
let pendingAsk = null;

export function setKeyPrompt(fn) {
  askKeyFn = fn;
}

/** Asks for a key; resolves true when one was given. */
export function askKey(reason) {
  if (!pendingAsk) {
    pendingAsk = Promise.resolve(askKeyFn(reason)).finally(() => {
      pendingAsk = null;
    });
  }
  return pendingAsk;
}

/** The headers of every API call: the key goes in a header, never in a URL. */
export function authHeaders(extra = {}) {
  const headers = { ...extra };
  const key = storedKey();
  if (key) headers['X-API-Key'] = key;
  return headers;
}

/** An API answer that is not a success: `status` and the FastAPI `detail`. */
export class ApiError extends Error {
  constructor(status, detail) {
    super(typeof detail === 'string' ? detail : `HTTP ${status}`);
    this.status = status;
    this.detail = detail;
  }
}

/**
 * Calls the API; a 401 asks for the key and tries again. Returns the parsed JSON body
 * (null for 204), or the Response itself with `raw: true`. Throws ApiError otherwise.
 */
export async function api(method, path, { body, raw = false, headers = {} } = {}) {
  for (;;) {
    const init = { method, headers: authHeaders(headers) };
    if (body instanceof Blob || body instanceof ArrayBuffer) {
      init.body = body;
    } else if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers['Content-Type'] = 'application/json';
    }
    const res = await fetch(path, init);
    if (res.status === 401) {
      const detail = await readDetail(res);
      if (await askKey(detail)) continue;
      throw new ApiError(401, detail);
    }
    if (!res.ok) throw new ApiError(res.status, await readDetail(res));
    if (raw) return res;
    if (res.status === 204) return null;
    return res.json();
  }
}

async function readDetail(res) {
  try {
    const body = await res.json();
    return body.detail ?? `HTTP ${res.status}`;
  } catch {
    return `HTTP ${res.status}`;
  }
}

/** Returns the file name of a Content-Disposition header, or `fallback`. */
export function attachmentName(res, fallback) {
  const header = res.headers.get('Content-Disposition') || '';
  const match = /filename="([^"]+)"/.exec(header);
  return match ? match[1] : fallback;
}

/** Hands a blob to the browser as a download. */
export function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: name, class: 'hidden' });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// -- Server-Sent Events over fetch() ------------------------------------------

/**
 * Splits an SSE byte stream into events (the WHATWG rules: CR, LF or CRLF line ends,
 * `:` comments, `data` lines joined with '\n', `id`, `retry`).
 */
export class SseParser {
  constructor(onEvent) {
    this.onEvent = onEvent;
    this.buffer = '';
    this.data = [];
    this.type = '';
    this.lastId = '';
    this.retry = null;
    this.skipLF = false;
  }

  push(text) {
    // A CR that ended the previous chunk was a line end; an LF right after it is its
    // other half.
    if (this.skipLF && text.startsWith('\n')) text = text.slice(1);
    this.skipLF = false;
    this.buffer += text;
    for (;;) {
      const end = this.buffer.search(/[\r\n]/);
      if (end < 0) return;
      const line = this.buffer.slice(0, end);
      let skip = 1;
      if (this.buffer[end] === '\r') {
        if (end + 1 === this.buffer.length) this.skipLF = true;
        else if (this.buffer[end + 1] === '\n') skip = 2;
      }
      this.buffer = this.buffer.slice(end + skip);
      this.line(line);
    }
  }

  line(line) {
    if (line === '') {
      if (this.data.length > 0)
        this.onEvent({ type: this.type || 'message', data: this.data.join('\n'), id: this.lastId });
      this.data = [];
      this.type = '';
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.type = value;
    else if (field === 'id' && !value.includes('\0')) this.lastId = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.retry = Number(value);
  }
}

/**
 * Follows an SSE route with the key in a header (EventSource cannot send one):
 * reconnects after the server's `retry` with `Last-Event-ID`, asks for the key on a
 * 401 and gives up on 404 or 422. `onState` gets 'open', 'retrying' or 'failed'.
 * Stops when `signal` aborts.
 */
export function follow(path, { onEvent, onState = () => {}, signal }) {
  let lastId = '';
  let retry = 2000;
  const run = async () => {
    while (!signal.aborted) {
      let failure = null;
      try {
        const headers = authHeaders({ Accept: 'text/event-stream' });
        if (lastId) headers['Last-Event-ID'] = lastId;
        const res = await fetch(path, { headers, signal });
        if (res.status === 401) {
          if (!(await askKey(await readDetail(res)))) {
            onState('failed', 'API key needed');
            return;
          }
          continue;
        }
        if (res.status === 404 || res.status === 422 || res.status === 405) {
          onState('failed', String(await readDetail(res)));
          return;
        }
        if (!res.ok) {
          const after = Number(res.headers.get('Retry-After'));
          if (after > 0) retry = after * 1000;
          failure = `HTTP ${res.status}`;
        } else {
          onState('open');
          const parser = new SseParser((event) => {
            lastId = event.id;
            onEvent(event);
          });
          const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            parser.push(value);
            if (parser.retry !== null) retry = parser.retry;
          }
        }
      } catch (err) {
        if (signal.aborted) return;
        failure = err.message;
      }
      if (signal.aborted) return;
      onState('retrying', failure);
      await sleep(retry, signal);
    }
  };
  run();
}

function sleep(ms, signal) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

// -- DOM ----------------------------------------------------------------------

/**
 * Builds an element: `props` are attributes, except `class`, `text`, `on<event>`
 * handlers and DOM properties `value`, `checked`, `disabled`, `selected`. Children are
 * nodes, strings, arrays; null and false are skipped. Never sets a style attribute
 * (the Content-Security-Policy forbids inline styles).
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') el.className = value;
    else if (name === 'text') el.textContent = value;
    else if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else if (['value', 'checked', 'disabled', 'selected'].includes(name)) el[name] = value;
    else el.setAttribute(name, value === true ? '' : value);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

let nextId = 0;

/** Returns a page-unique element id. */
export function uid(prefix = 'f') {
  nextId += 1;
  return `${prefix}-${nextId}`;
}

/** A status line for screen readers and eyes; `.set(text, kind)` updates it. */
export function statusLine() {
  const el = h('p', { class: 'status', role: 'status' });
  el.set = (text, kind = 'info') => {
    el.textContent = text;
    el.dataset.kind = kind;
  };
  return el;
}

/** Returns "[255, 0, 0]" as "#ff0000". */
export function toHex(rgb) {
  return '#' + rgb.map((c) => Number(c).toString(16).padStart(2, '0')).join('');
}

/** Returns "#ff0000" as [255, 0, 0]. */
export function fromHex(hex) {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
}

/** Returns an RFC 3339 time as local "14:03:07", or '—'. */
export function clock(ts) {
  if (!ts) return '—';
  const d = new Date(ts);
  return d.toLocaleTimeString([], { hour12: false });
}

/** Returns how long ago an RFC 3339 time was ("12 s ago"), or 'never'. */
export function ago(ts) {
  if (!ts) return 'never';
  const s = Math.max(0, Math.round((Date.now() - new Date(ts).getTime()) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  return `${Math.floor(s / 3600)} h ago`;
}

// -- LED strip preview --------------------------------------------------------

/**
 * A live preview of a device: a canvas with one cell per LED, fed by the device's
 * frames stream while `signal` is not aborted. The canvas's `data-state` says
 * 'idle', 'active' or 'offline'.
 */
export function stripPreview(device, signal) {
  const n = device.led_count;
  const cell = Math.max(1, Math.min(8, Math.floor(960 / n)));
  const canvas = h('canvas', {
    class: 'strip',
    width: n * cell,
    height: 8,
    role: 'img',
    'aria-label': `Live preview of ${device.name}: idle`,
    'data-state': 'idle',
    'data-device': device.id,
    'data-leds': n,
  });
  const ctx = canvas.getContext('2d');
  const paint = (bytes) => {
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    for (let i = 0; i < n && 3 * i + 2 < bytes.length; i += 1) {
      const [r, g, b] = [bytes[3 * i], bytes[3 * i + 1], bytes[3 * i + 2]];
      if (r === 0 && g === 0 && b === 0) continue;
      ctx.fillStyle = `rgb(${r}, ${g}, ${b})`;
      ctx.fillRect(i * cell, 0, cell, canvas.height);
    }
  };
  paint(new Uint8Array(0));
  follow(`/api/v1/devices/${encodeURIComponent(device.id)}/frames/stream`, {
    signal,
    onState: (state) => {
      if (state !== 'open') canvas.dataset.state = 'offline';
      else if (canvas.dataset.state === 'offline') canvas.dataset.state = 'idle';
    },
    onEvent: (event) => {
      if (event.type !== 'frame') return;
      const frame = JSON.parse(event.data);
      const text = atob(frame.rgb);
      const bytes = new Uint8Array(text.length);
      for (let i = 0; i < text.length; i += 1) bytes[i] = text.charCodeAt(i);
      paint(bytes);
      const state = frame.active ? 'active' : 'idle';
      canvas.dataset.state = state;
      canvas.setAttribute('aria-label', `Live preview of ${device.name}: ${state}`);
    },
  });
  return canvas;
}
