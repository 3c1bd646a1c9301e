// The dashboard's SSE reader (ui/lib.js, SseParser) on the byte streams a server may
// send: every line ending, comments, multi-line data, ids, retry, and events split
// across chunks at any byte.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

// ui/ has no package.json (it is served, not installed), so load lib.js as a module
// from its text.
const source = readFileSync(new URL('../../ui/lib.js', import.meta.url), 'utf8');
const { SseParser } = await import(`data:text/javascript,${encodeURIComponent(source)}`);

function parse(chunks) {
  const events = [];
  const parser = new SseParser((e) => events.push(e));
  for (const c of chunks) parser.push(c);
  return { events, parser };
}

const stream = 'retry: 2000\n\n'
  + ': ping\n\n'
  + 'id: 7\nevent: game_event\ndata: {"seq": 7}\n\n'
  + 'event: status\ndata: {"connected": true}\n\n'
  + 'data: one\ndata: two\n\n';

const expected = [
  { type: 'game_event', data: '{"seq": 7}', id: '7' },
  { type: 'status', data: '{"connected": true}', id: '7' },
  { type: 'message', data: 'one\ntwo', id: '7' },
];

test('reads events, comments, ids and retry', () => {
  const { events, parser } = parse([stream]);
  assert.deepEqual(events, expected);
  assert.equal(parser.retry, 2000);
});

test('CRLF and CR line endings read the same as LF', () => {
  assert.deepEqual(parse([stream.replace(/\n/g, '\r\n')]).events, expected);
  assert.deepEqual(parse([stream.replace(/\n/g, '\r')]).events, expected);
});

test('an event split across chunks at every byte reads the same', () => {
  for (const text of [stream, stream.replace(/\n/g, '\r\n')]) {
    for (let cut = 0; cut <= text.length; cut += 1) {
      assert.deepEqual(parse([text.slice(0, cut), text.slice(cut)]).events, expected, `cut at ${cut}`);
    }
    assert.deepEqual(parse([...text]).events, expected, 'one character per chunk');
  }
});

test('an event is dispatched only at its blank line', () => {
  const { events } = parse(['event: frame\ndata: {"active": true}\n']);
  assert.deepEqual(events, []);
});

test('field without a colon, value without the space, unknown fields', () => {
  const { events, parser } = parse(['data\n\n', 'data:x\nfoo: bar\nretry: soon\n\n']);
  assert.deepEqual(events, [
    { type: 'message', data: '', id: '' },
    { type: 'message', data: 'x', id: '' },
  ]);
  assert.equal(parser.retry, null);
});
