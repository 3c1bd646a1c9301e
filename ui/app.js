// The dashboard's shell: the hash router, the API key prompt and the navigation.
// Each screen is a function (scope, ...params) that returns a node; `scope.signal`
// aborts its streams and timers when the user leaves the screen.

import { setKeyPrompt, storeKey, askKey, ApiError, h } from './lib.js';
import { integrationsScreen, integrationEditor } from './integrations.js';
import { devicesScreen, deviceEditor } from './devices.js';
import { overviewScreen, setupScreen, liveScreen, systemScreen } from './screens.js';

const routes = [
  [/^\/$/, overviewScreen, 'Overview'],
  [/^\/integrations$/, integrationsScreen, 'Integrations'],
  [/^\/integrations\/new$/, integrationEditor, 'New integration'],
  [/^\/integrations\/([a-z0-9_]+)$/, integrationEditor, 'Integration'],
  [/^\/devices$/, devicesScreen, 'Devices'],
  [/^\/devices\/new$/, deviceEditor, 'New device'],
  [/^\/devices\/([a-z0-9_]+)$/, deviceEditor, 'Device'],
  [/^\/live$/, liveScreen, 'Live log'],
  [/^\/setup$/, setupScreen, 'Setup'],
  [/^\/system$/, systemScreen, 'System'],
];

let current = null;

async function render() {
  const path = location.hash.replace(/^#/, '') || '/';
  if (current) current.abort();
  current = new AbortController();
  const scope = { signal: current.signal, path };
  const main = document.getElementById('main');
  let found = null;
  for (const [pattern, screen, title] of routes) {
    const match = pattern.exec(path);
    if (match) {
      found = { screen, title, params: match.slice(1) };
      break;
    }
  }
  document.querySelectorAll('nav a').forEach((a) => {
    const target = a.getAttribute('href').slice(1);
    const here = target === '/' ? path === '/' : path.startsWith(target);
    if (here) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  });
  if (!found) {
    main.replaceChildren(h('h1', { text: 'Not found' }), h('p', {}, h('a', { href: '#/', text: 'Back to the overview' })));
    return;
  }
  document.title = `${found.title} · gamelight`;
  try {
    const node = await found.screen(scope, ...found.params);
    if (scope.signal.aborted) return;
    main.replaceChildren(node);
  } catch (err) {
    if (scope.signal.aborted) return;
    // Without the key nothing loads: offer the form again (it was cancelled).
    const retry = err instanceof ApiError && err.status === 401
      ? h('button', { type: 'button', class: 'primary', text: 'Enter the API key', onclick: async () => {
          if (await askKey(err.detail)) render();
        } })
      : h('button', { type: 'button', text: 'Try again', onclick: render });
    main.replaceChildren(
      h('h1', { text: found.title }),
      h('p', { class: 'status', role: 'alert', 'data-kind': 'error', text: `Could not load: ${err.message}` }),
      retry,
    );
  }
}

/** Shows the key form; resolves true when a key was entered. */
function promptForKey(reason) {
  const dialog = document.getElementById('key-dialog');
  const form = document.getElementById('key-form');
  const input = document.getElementById('key-input');
  document.getElementById('key-reason').textContent =
    reason === 'Invalid API key' ? 'The stored key was refused; enter the right one.' : 'This daemon asks for its API key.';
  input.value = '';
  return new Promise((resolve) => {
    const done = () => {
      dialog.removeEventListener('close', done);
      if (dialog.returnValue === 'ok' && input.value) {
        storeKey(input.value);
        resolve(true);
      } else {
        resolve(false);
      }
    };
    dialog.addEventListener('close', done);
    dialog.returnValue = '';
    dialog.showModal();
    input.focus();
  });
}

setKeyPrompt(promptForKey);
window.addEventListener('hashchange', () => {
  render().then(() => document.getElementById('main').focus({ preventScroll: true }));
});
render();
