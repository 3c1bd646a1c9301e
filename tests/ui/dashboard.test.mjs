// The dashboard end to end in a real browser: Debian's chromium, driven headless by
// playwright-core (which never downloads a browser), against a real gamelightd with an
// API key and a real UDP socket as the WLED.
//
//   node dashboard.test.mjs --daemon=PATH --data=DIR [--screenshots=DIR] [--browser=PATH]
//
// Every wait is for a condition (Playwright's auto-waiting locators or
// page.waitForFunction, with a timeout); nothing sleeps for a fixed time.
// --screenshots saves a PNG of each screen (scripts/update-screenshots.sh points it at
// docs/screenshots).

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import http from 'node:http';
import { mkdtempSync, readFileSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

const options = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [k, ...v] = a.replace(/^--/, '').split('=');
    return [k, v.join('=')];
  }),
);
assert.ok(options.daemon, '--daemon=PATH of gamelightd is required');
assert.ok(options.data, '--data=DIR of the GSI fixtures is required');
const browserPath = options.browser || '/usr/bin/chromium';
const API_KEY = 'ui-test-key-0123456789';
const LEDS = 30;

const temp = mkdtempSync(join(tmpdir(), 'gamelight-ui-'));
/** The page, for a picture of the moment a step failed. */
let currentPage = null;
/** What to end when the test ends, in order; the temp folder goes last. */
const cleanups = [];
let passed = 0;

function step(name) {
  passed += 1;
  console.log(`ok ${passed} - ${name}`);
}

// -- the daemon and the fake WLED ---------------------------------------------

/** Starts gamelightd on a free port; resolves with its base URL. */
function startDaemon() {
  const dataDir = join(temp, 'data');
  mkdirSync(dataDir);
  const child = spawn(options.daemon, ['--port=0', '--bind=127.0.0.1', `--data-dir=${dataDir}`], {
    env: { ...process.env, GAMELIGHT_API_KEY: API_KEY },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  cleanups.push(() => child.kill('SIGKILL'));
  const log = [];
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stderr });
    lines.on('line', (line) => {
      log.push(line);
      const m = /listening on (http:\/\/[^\s]+)/.exec(line);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`gamelightd exited (${code}):\n${log.join('\n')}`)));
  });
}

/** A UDP socket standing in for the WLED: keeps every packet. */
async function startWled() {
  const socket = dgram.createSocket('udp4');
  const packets = [];
  let waiter = null;
  socket.on('message', (msg) => {
    packets.push(msg);
    if (waiter && waiter.test(msg)) {
      waiter.resolve(msg);
      waiter = null;
    }
  });
  await new Promise((resolve) => socket.bind(0, '127.0.0.1', resolve));
  cleanups.push(() => socket.close());
  return {
    port: socket.address().port,
    packets,
    /** Resolves with the first packet (from now on) that passes `test`. */
    next(test, timeoutMs) {
      const promise = new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no matching UDP packet')), timeoutMs);
        waiter = { test, resolve: (m) => { clearTimeout(timer); resolve(m); } };
      });
      // Awaited later; a rejection before that must not end the process unhandled.
      promise.catch(() => {});
      return promise;
    },
  };
}

/** The WLED's web side: answers `GET /json/info` as WLED 0.14 does (what the probe reads). */
async function startWledInfo() {
  const requests = [];
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ ver: '0.14.4', name: 'WLED-Desk', mac: 'a0b765d1c2e3', leds: { count: LEDS, rgbw: false } }));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return { port: server.address().port, requests };
}

// -- helpers ------------------------------------------------------------------

/** Returns LED `i` of a preview canvas as [r, g, b], read from its pixels. */
function ledAt(canvas, i) {
  return canvas.evaluate((c, index) => {
    const cell = c.width / Number(c.dataset.leds);
    const [r, g, b] = c.getContext('2d').getImageData(index * cell + cell / 2, c.height / 2, 1, 1).data;
    return [r, g, b];
  }, i);
}

/** Waits until every LED of the preview shows `rgb`. */
async function waitForStrip(page, selector, rgb, timeout) {
  await page.waitForFunction(
    ([sel, want]) => {
      const c = document.querySelector(sel);
      if (!c) return false;
      const n = Number(c.dataset.leds);
      const cell = c.width / n;
      const ctx = c.getContext('2d');
      for (let i = 0; i < n; i += 1) {
        const p = ctx.getImageData(i * cell + cell / 2, c.height / 2, 1, 1).data;
        if (p[0] !== want[0] || p[1] !== want[1] || p[2] !== want[2]) return false;
      }
      return true;
    },
    [selector, rgb],
    { timeout },
  );
}

async function apiGet(base, path) {
  const res = await fetch(base + path, { headers: { 'X-API-Key': API_KEY } });
  assert.equal(res.status, 200, `GET ${path}`);
  return res;
}

/** Posts a CS2 fixture with the integration's token, as the game would. */
async function postFixture(base, id, token, name) {
  const payload = JSON.parse(readFileSync(join(options.data, `${name}.json`), 'utf8'));
  payload.auth = { token };
  const res = await fetch(`${base}/api/v1/game-integrations/${id}/event`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(payload),
  });
  assert.equal(res.status, 200, `POST ${name}`);
  return (await res.json()).events;
}

async function shot(page, name) {
  if (!options.screenshots) return;
  mkdirSync(options.screenshots, { recursive: true });
  await page.screenshot({ path: join(options.screenshots, `${name}.png`), fullPage: true });
}

// -- the scenario ---------------------------------------------------------------

async function run() {
  const [base, wled, wledInfo] = await Promise.all([startDaemon(), startWled(), startWledInfo()]);
  const context = await chromium.launchPersistentContext(join(temp, 'profile'), {
    executablePath: browserPath,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
    viewport: { width: 1280, height: 860 },
    acceptDownloads: true,
    colorScheme: 'dark',
  });
  cleanups.unshift(() => context.close());
  context.setDefaultTimeout(10000);
  const page = context.pages()[0] ?? (await context.newPage());
  currentPage = page;
  const pageErrors = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('console', (msg) => {
    // A CSP violation is reported on the console: none may happen. Chromium also logs
    // every 4xx answer (the 401 and the 422 here are expected).
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) pageErrors.push(msg.text());
  });

  // 1. The page loads without the key; its first API call is a 401, so it asks.
  const first = await page.goto(base + '/');
  assert.equal(first.status(), 200);
  assert.equal(first.headers()['content-security-policy'], "default-src 'self'");
  const dialog = page.getByRole('dialog', { name: 'API key needed' });
  await dialog.waitFor();
  await dialog.getByLabel('API key', { exact: true }).fill(API_KEY);
  await page.keyboard.press('Enter');
  await page.getByText('No integration yet.').waitFor();
  assert.equal(await page.evaluate(() => localStorage.getItem('gamelight.api-key')), API_KEY);
  step('asks for the API key on a 401 and keeps it in the browser');

  // 2. A new CS2 integration with two mappings; a short token and a priority over 100
  //    come back as a 422 whose two locs are shown at their fields.
  await page.getByRole('link', { name: 'Integrations', exact: true }).click();
  await page.getByRole('link', { name: 'New integration' }).click();
  await page.getByLabel('Name', { exact: true }).fill('CS2 desk rig');
  await page.getByLabel('Game', { exact: true }).selectOption('cs2');
  await page.getByLabel('token', { exact: true }).fill('short');
  await page.getByRole('button', { name: 'Add mapping' }).click();
  await page.getByLabel('Event of mapping 1').selectOption('bomb_planted');
  await page.getByLabel('Effect of mapping 1').selectOption('countdown');
  await page.getByLabel('Colour of mapping 1').fill('#ff0000');
  await page.getByLabel('Duration (ms) of mapping 1').fill('40000');
  await page.getByLabel('Priority of mapping 1').fill('80');
  await page.getByRole('button', { name: 'Add mapping' }).click();
  await page.getByLabel('Event of mapping 2').selectOption('kill');
  await page.getByLabel('Effect of mapping 2').selectOption('solid');
  await page.getByLabel('Colour of mapping 2').fill('#00c8ff');
  await page.getByLabel('Duration (ms) of mapping 2').fill('0');
  await page.getByLabel('Priority of mapping 2').fill('150');
  await page.getByRole('button', { name: 'Create' }).click();
  const tokenError = page.locator('[data-loc="body.adapter_config.token"]');
  const priorityError = page.locator('[data-loc="body.event_mappings.1.priority"]');
  await tokenError.waitFor();
  assert.equal(await tokenError.textContent(), 'String should have at least 8 characters');
  assert.equal(await priorityError.textContent(), 'Input should be less than or equal to 100');
  assert.equal(await page.getByLabel('token', { exact: true }).getAttribute('aria-invalid'), 'true');
  assert.equal(await page.getByLabel('Priority of mapping 2').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.getByRole('status').filter({ hasText: 'Not saved' }).textContent(), 'Not saved: 2 fields to fix.');
  await shot(page, 'editor-422');
  step('a 422 is shown next to each of its fields');

  await page.getByRole('button', { name: 'Generate a token' }).click();
  const token = await page.getByLabel('token', { exact: true }).inputValue();
  assert.match(token, /^[0-9a-f]{32}$/);
  await page.getByLabel('Priority of mapping 2').fill('90');
  await page.getByRole('button', { name: 'Create' }).click();
  await page.getByText('Created “CS2 desk rig”.').waitFor();
  const id = /#\/integrations\/(gi_[0-9a-f]{8})$/.exec(page.url())?.[1];
  assert.ok(id, `editor URL after create: ${page.url()}`);
  const stored = await (await apiGet(base, `/api/v1/game-integrations/${id}`)).json();
  assert.deepEqual(stored.event_mappings, [
    { event_type: 'bomb_planted', effect: 'countdown', color: [255, 0, 0], duration_ms: 40000, intensity: 1, priority: 80, zone: null },
    { event_type: 'kill', effect: 'solid', color: [0, 200, 255], duration_ms: 0, intensity: 1, priority: 90, zone: null },
  ]);
  assert.deepEqual(stored.adapter_config, { token: '********' });
  step('creates the integration with a generated token and two mappings');

  // 3. A device for it, on the fake WLED, with a zone: "Ask the WLED" fills the LED count
  //    from its JSON API; a zone past the strip's end is a 422 shown at the zone's row.
  await page.getByRole('link', { name: 'Devices', exact: true }).click();
  await page.getByRole('link', { name: 'New device' }).click();
  await page.getByLabel('Name', { exact: true }).fill('Desk strip');
  await page.getByLabel('Host').fill('127.0.0.1');
  await page.getByLabel('WLED web port').fill(String(wledInfo.port));
  await page.getByRole('button', { name: 'Ask the WLED' }).click();
  await page.getByText(`WLED-Desk, WLED 0.14.4, ${LEDS} LEDs`).waitFor();
  assert.equal(await page.getByLabel('LED count').inputValue(), String(LEDS));
  assert.equal(await page.getByLabel('Name', { exact: true }).inputValue(), 'Desk strip');
  assert.deepEqual(wledInfo.requests, ['GET /json/info']);
  await page.getByLabel('Port', { exact: true }).fill(String(wled.port));
  await page.getByLabel('CS2 desk rig').check();
  await page.getByRole('button', { name: 'Add zone' }).click();
  await page.getByLabel('Name of zone 1').fill('left');
  await page.getByLabel('First LED of zone 1').fill('20');
  await page.getByLabel('Length of zone 1').fill('15');
  await page.getByRole('button', { name: 'Create' }).click();
  const zoneError = page.locator('[data-loc="body.zones.0"]');
  await zoneError.waitFor();
  assert.equal(await zoneError.textContent(), `Value error, zone 'left' ends at LED 35, beyond led_count ${LEDS}`);
  assert.equal(await page.getByRole('status').filter({ hasText: 'Not saved' }).textContent(), 'Not saved: 1 field to fix.');
  assert.equal((await (await apiGet(base, '/api/v1/devices')).json()).devices.length, 0);
  await page.getByLabel('First LED of zone 1').fill('0');
  await page.getByRole('button', { name: 'Create' }).click();
  await page.getByRole('heading', { name: 'Devices', exact: true }).waitFor();
  const { devices } = await (await apiGet(base, '/api/v1/devices')).json();
  assert.equal(devices.length, 1);
  const device = devices[0];
  assert.deepEqual(
    [device.name, device.host, device.port, device.protocol, device.led_count, device.integration_ids, device.zones],
    ['Desk strip', '127.0.0.1', wled.port, 'ddp', LEDS, [id], [{ name: 'left', start: 0, length: 15, reverse: false }]],
  );
  await page.locator(`canvas.strip[data-device="${device.id}"][data-state="idle"]`).waitFor();
  step('creates a device: the probe fills its LED count, a zone past the end is a 422 at its row; its preview is idle');

  // 4. "Test" on the kill mapping: the preview in the editor turns the mapped colour,
  //    and the WLED receives it over DDP.
  await page.goto(`${base}/#/integrations/${id}`);
  const preview = `canvas.strip[data-device="${device.id}"]`;
  await page.locator(preview).waitFor();
  const packet = wled.next((m) => m.length === 10 + 3 * LEDS && m[10] === 0 && m[11] === 200 && m[12] === 255, 5000);
  await page.getByRole('button', { name: 'Test mapping 2' }).click();
  await page.getByText('Played solid on Desk strip').waitFor();
  await waitForStrip(page, preview, [0, 200, 255], 5000);
  assert.deepEqual(await ledAt(page.locator(preview), LEDS - 1), [0, 200, 255]);
  assert.equal(await page.locator(preview).getAttribute('data-state'), 'active');
  const received = await packet;
  assert.deepEqual([...received.subarray(10)], Array.from({ length: LEDS }, () => [0, 200, 255]).flat());
  await shot(page, 'editor');
  step('the test button plays the mapping: preview and UDP packet show [0, 200, 255]');

  // 5. Setup: the file download carries the URL and the real token.
  await page.getByRole('link', { name: 'Setup', exact: true }).click();
  const fileName = `gamestate_integration_gamelight_${id}.cfg`;
  const downloadButton = page.getByRole('button', { name: `Download ${fileName}` });
  const [download] = await Promise.all([page.waitForEvent('download'), downloadButton.click()]);
  assert.equal(download.suggestedFilename(), fileName);
  const file = readFileSync(await download.path(), 'utf8');
  const served = await (await apiGet(base, `/api/v1/game-integrations/${id}/setup`)).text();
  assert.equal(file, served);
  assert.ok(file.includes(`\t"uri" "${base}/api/v1/game-integrations/${id}/event"\n`), file);
  assert.ok(file.includes(`\t\t"token" "${token}"\n`), file);
  assert.ok(file.includes(`// Save as game/csgo/cfg/${fileName} in the CS2 install folder\n`), file);
  assert.equal(
    await page.locator(`article[data-integration="${id}"] p.notes`).textContent(),
    `Save as game/csgo/cfg/${fileName} in the CS2 install folder\n`
      + '(Steam: right-click CS2 > Manage > Browse local files), then restart the game.\n'
      + 'The token below is the integration\'s secret: keep this file private.',
  );
  await shot(page, 'setup');
  step('the setup file downloads with the URL and the token');

  // 6. Live log: each payload's events show within 1 s, in seq order; pause holds them.
  await page.getByRole('link', { name: 'Live log' }).click();
  await page.locator('.stream-state[data-state="open"]').waitFor();
  const sequence = [
    ['cs2_01_freezetime_start', []],
    ['cs2_02_round_live', ['round_live']],
    ['cs2_03_damage_taken_low_health', ['damage_taken', 'health_low', 'health_changed']],
    ['cs2_04_kill_headshot', ['kill', 'headshot', 'ammo_changed']],
    ['cs2_05_flashed', ['flashed']],
    ['cs2_06_bomb_planted', ['bomb_planted']],
    ['cs2_07_player_died', ['damage_taken', 'death', 'health_changed']],
    ['cs2_08_dead_spectating_teammate', []],
  ];
  let seq = 0;
  const shown = [];
  for (const [name, expected] of sequence) {
    const events = await postFixture(base, id, token, name);
    assert.deepEqual(events, expected, name);
    for (const type of expected) {
      seq += 1;
      shown.push([seq, type]);
    }
    if (name === 'cs2_01_freezetime_start') {
      await page.locator('tr.status-row', { hasText: 'connected' }).waitFor({ timeout: 1000 });
    }
    if (expected.length) await page.locator(`tr[data-seq="${seq}"]`).waitFor({ timeout: 1000 });
  }
  const rows = () => page.locator('tbody tr[data-seq]').evaluateAll((trs) => trs.map((tr) => [Number(tr.dataset.seq), tr.dataset.event]));
  assert.deepEqual(await rows(), [...shown].reverse());
  assert.equal(
    await page.locator('tr[data-event="bomb_planted"] code').textContent(),
    '{"countdown_ms":40000}',
  );
  await shot(page, 'live');

  await page.getByRole('button', { name: 'Pause' }).click();
  assert.deepEqual(await postFixture(base, id, token, 'cs2_09_bomb_defused_round_over_ct_win'), ['bomb_defused', 'round_won']);
  await page.getByRole('button', { name: 'Resume (2 new)' }).waitFor({ timeout: 1000 });
  assert.equal(await page.locator('tbody tr[data-seq]').count(), shown.length);
  await page.getByRole('button', { name: 'Resume (2 new)' }).click();
  shown.push([seq + 1, 'bomb_defused'], [seq + 2, 'round_won']);
  assert.deepEqual(await rows(), [...shown].reverse());
  step('fixture events reach the live log within 1 s, in order; pause holds them');

  // 7. Overview: the integration is connected with its counts; the device previews.
  await page.getByRole('link', { name: 'Overview' }).click();
  const card = page.locator(`article[data-integration="${id}"]`);
  await card.locator('.dot[data-connected="true"]').waitFor();
  await card.getByText('Last event: round_won').waitFor();
  assert.equal(await card.locator('dl.counts').textContent(), 'payloads9events14rejected0');
  await waitForStrip(page, `article[data-device="${device.id}"] canvas.strip`, [0, 200, 255], 5000);
  await shot(page, 'overview');
  step('the overview shows the connected integration, its counts and the live strip');

  // 8. Devices: status figures and the test flash.
  await page.getByRole('link', { name: 'Devices', exact: true }).click();
  await page.getByRole('button', { name: 'Test flash on Desk strip' }).click();
  await page.getByText('Played a test flash on Desk strip.').waitFor();
  await page.locator(`article[data-device="${device.id}"] .figures li`, { hasText: /^\d+ frames sent$/ }).waitFor();
  await shot(page, 'devices');
  step('the devices screen plays a test flash and shows status');

  // 9. System: version, backup download, then restore it over a later change.
  await page.getByRole('link', { name: 'System' }).click();
  const health = await (await fetch(base + '/api/v1/health')).json();
  assert.equal(await page.locator('#version').textContent(), health.version);
  const [backup] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download a backup' }).click(),
  ]);
  assert.match(backup.suggestedFilename(), /^gamelight-\d{8}T\d{6}Z\.db$/);
  const backupPath = join(temp, backup.suggestedFilename());
  await backup.saveAs(backupPath);
  assert.equal(readFileSync(backupPath).subarray(0, 16).toString('latin1'), 'SQLite format 3\0');
  const later = await fetch(base + '/api/v1/game-integrations', {
    method: 'POST',
    headers: { 'X-API-Key': API_KEY, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'Made after the backup', adapter_type: 'generic' }),
  });
  assert.equal(later.status, 201);
  // A generic integration's setup is the curl line, shown as it is served.
  const genericId = (await later.json()).id;
  await page.getByRole('link', { name: 'Setup', exact: true }).click();
  const curl = page.locator(`article[data-integration="${genericId}"] pre`);
  await curl.waitFor();
  const genericSetup = await (await apiGet(base, `/api/v1/game-integrations/${genericId}/setup`)).text();
  assert.equal(await curl.textContent(), genericSetup.trimEnd());
  assert.ok(genericSetup.includes(`curl -sS -X POST '${base}/api/v1/game-integrations/${genericId}/event'`), genericSetup);
  await page.getByRole('link', { name: 'System' }).click();
  // A file that is not a backup: refused, and nothing changes.
  const notABackup = join(temp, 'notes.db');
  writeFileSync(notABackup, 'hello world, this is not a database');
  await page.getByLabel('Backup file').setInputFiles(notABackup);
  await page.getByRole('button', { name: 'Restore…' }).click();
  await page.getByRole('button', { name: 'Replace everything' }).click();
  await page.getByText('Not restored: invalid backup: not a SQLite database file. Nothing changed.').waitFor();
  const unchanged = await (await apiGet(base, '/api/v1/game-integrations')).json();
  assert.deepEqual(unchanged.integrations.map((i) => i.name), ['CS2 desk rig', 'Made after the backup']);
  await page.getByLabel('Backup file').setInputFiles(backupPath);
  await page.getByRole('button', { name: 'Restore…' }).click();
  await page.getByText(`Replace every integration and device with the content of ${backup.suggestedFilename()}?`).waitFor();
  await shot(page, 'system');
  await page.getByRole('button', { name: 'Replace everything' }).click();
  await page.getByText('Restored 1 integration and 1 device.').waitFor();
  const after = await (await apiGet(base, '/api/v1/game-integrations')).json();
  assert.deepEqual(after.integrations.map((i) => i.name), ['CS2 desk rig']);
  step('backs up and restores through the page; a file that is no backup changes nothing');

  // 10. A phone: 375 px wide, the editor's table becomes stacked rows.
  await page.setViewportSize({ width: 375, height: 812 });
  await page.goto(`${base}/#/integrations/${id}`);
  await page.getByLabel('Event of mapping 2').waitFor();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 375, `page is ${width} px wide at 375 px`);
  await shot(page, 'phone');
  step('fits a 375 px wide screen');

  // 11. By keyboard: the first Tab reaches the skip link, Enter on a nav link switches
  //     screens and moves focus to the content.
  await page.setViewportSize({ width: 1280, height: 860 });
  await page.goto(`${base}/#/`);
  await page.reload();
  await page.locator(`article[data-integration="${id}"]`).waitFor();
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Skip to content');
  await page.getByRole('link', { name: 'System' }).focus();
  await page.keyboard.press('Enter');
  await page.locator('#version').waitFor();
  await page.waitForFunction(() => document.activeElement?.id === 'main');
  step('works by keyboard');

  // 12. Deleting asks first: "Keep it" keeps, "Delete for good" deletes.
  await page.goto(`${base}/#/devices/${device.id}`);
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  await page.getByText('Delete this device?').waitFor();
  await page.getByRole('button', { name: 'Keep it' }).click();
  await page.getByText('Delete this device?').waitFor({ state: 'hidden' });
  assert.equal((await (await apiGet(base, '/api/v1/devices')).json()).devices.length, 1);
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  await page.getByRole('button', { name: 'Delete for good' }).click();
  await page.getByRole('link', { name: 'New device' }).waitFor();
  assert.equal((await (await apiGet(base, '/api/v1/devices')).json()).devices.length, 0);
  await page.goto(`${base}/#/integrations/${id}`);
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  await page.getByText('Delete this integration? Its mappings go with it.').waitFor();
  await page.getByRole('button', { name: 'Delete for good' }).click();
  await page.getByRole('link', { name: 'New integration' }).waitFor();
  assert.deepEqual((await (await apiGet(base, '/api/v1/game-integrations')).json()).integrations, []);
  step('deletes a device and an integration after a confirmation');

  assert.deepEqual(pageErrors, []);
  step('no page error and no CSP violation');
}

/** Ends the daemon, the browser and the temp folder; exits with `code` if given. */
async function cleanUp(code) {
  for (const clean of cleanups.splice(0)) {
    try {
      await clean();
    } catch {
      // Best effort: the process ends anyway.
    }
  }
  rmSync(temp, { recursive: true, force: true });
  if (code !== undefined) process.exit(code);
}

// Killed (Ctrl-C, a harness) or stuck: never leave a daemon or a browser behind.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => cleanUp(1));
const deadline = setTimeout(() => {
  console.error('the browser test took more than 90 s');
  cleanUp(1);
}, 90000);
deadline.unref();

try {
  await run();
  console.log(`${passed} passed, 0 failed`);
} catch (err) {
  console.error(err);
  if (currentPage) await shot(currentPage, 'failure').catch(() => {});
  console.log(`${passed} passed, 1 failed`);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
