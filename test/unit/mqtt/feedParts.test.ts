// The parts of the MQTT panel's feed: the bounded history, per-topic figures, the sequence check, the
// payload preview and the JSON lines export (src/core/mqtt/feed), and the webview's topic tree
// (src/shared/topicTree.ts).
import { strict as assert } from 'node:assert';
import { historyToJsonl } from '../../../src/core/mqtt/feed/exportJsonl';
import { MessageHistory, type StoredMessage } from '../../../src/core/mqtt/feed/history';
import { previewOf } from '../../../src/core/mqtt/feed/preview';
import { SequenceCheck, sequenceNumber } from '../../../src/core/mqtt/feed/sequenceCheck';
import { TopicStats } from '../../../src/core/mqtt/feed/topicStats';
import { TopicTree } from '../../../src/shared/topicTree';

const enc = new TextEncoder();
const stored = (id: number, text: string, topic = 't'): StoredMessage => ({
  id,
  at: Date.UTC(2026, 11, 5, 12, 0, 0, id),
  direction: 'in',
  topic,
  payload: enc.encode(text),
  qos: 0,
  retain: false,
});

describe('MQTT feed: history', () => {
  it('keeps the newest messages within the count and byte limits, and finds them by id', () => {
    const h = new MessageHistory({ maxMessages: 3, maxBytes: 10_000 });
    for (let i = 1; i <= 5; i++) h.add(stored(i, `m${i}`));
    assert.equal(h.size, 3);
    assert.equal(h.evicted, 2);
    assert.deepEqual(
      h.last(2).map((m) => m.id),
      [4, 5],
    );
    assert.equal(h.get(4)?.id, 4);
    assert.equal(h.get(1), undefined, 'evicted');
    h.setLimits({ maxMessages: 10, maxBytes: 2 * (96 + 2 + 2) });
    assert.deepEqual(
      [...h.all()].map((m) => m.id),
      [4, 5],
    );
  });

  it('refuses a message larger than the whole byte budget', () => {
    const h = new MessageHistory({ maxMessages: 10, maxBytes: 500 });
    assert.equal(h.add(stored(1, 'x'.repeat(1000))), false);
    assert.equal(h.size, 0);
  });

  it('stays bounded over a long stream (the ring is compacted)', () => {
    const h = new MessageHistory({ maxMessages: 100, maxBytes: 1e9 });
    for (let i = 1; i <= 100_000; i++) h.add(stored(i, 'x'));
    assert.equal(h.size, 100);
    assert.equal(h.get(99_950)?.id, 99_950);
    assert.ok((h as unknown as { ring: unknown[] }).ring.length < 3000);
  });
});

describe('MQTT feed: topic figures', () => {
  it('counts per topic, makes the rate each second, and hands over only the changed topics', () => {
    const s = new TopicStats(0);
    for (let i = 0; i < 30; i++) s.add('a', enc.encode(`v${i}`), i);
    s.add('b', enc.encode('only'), 5);
    assert.deepEqual(
      s.takeChanges().map((f) => [f.topic, f.count, f.last]),
      [
        ['a', 30, 'v29'],
        ['b', 1, 'only'],
      ],
    );
    assert.deepEqual(s.takeChanges(), []);
    s.tick(1000);
    assert.deepEqual(
      s.takeChanges().map((f) => [f.topic, f.rate]),
      [
        ['a', 30],
        ['b', 1],
      ],
    );
    s.tick(2000);
    assert.deepEqual(
      s.takeChanges().map((f) => [f.topic, f.rate]),
      [
        ['a', 0],
        ['b', 0],
      ],
      'a quiet topic falls to 0/s',
    );
    s.tick(3000);
    assert.deepEqual(s.takeChanges(), [], 'and then costs nothing');
  });

  it('stops adding topics at its limit and counts the rest', () => {
    const s = new TopicStats(0, 2);
    for (const t of ['a', 'b', 'c', 'c']) s.add(t, enc.encode('x'), 0);
    assert.equal(s.size, 2);
    assert.equal(s.untracked, 2);
  });
});

describe('MQTT feed: sequence check', () => {
  it('reads the number of a JSON field without parsing the whole payload', () => {
    assert.equal(sequenceNumber(enc.encode('{"seq": 42, "t": 1}'), 'seq'), 42);
    assert.equal(sequenceNumber(enc.encode('{"name":"seq","seq":7}'), 'seq'), 7);
    assert.equal(sequenceNumber(enc.encode('{"seq":"7"}'), 'seq'), undefined);
    assert.equal(sequenceNumber(enc.encode('{"seq":7.5}'), 'seq'), undefined);
    assert.equal(sequenceNumber(enc.encode('not json'), 'seq'), undefined);
  });

  it('reports gaps, missing messages and steps back per topic', () => {
    const c = new SequenceCheck('n');
    for (const n of [0, 1, 2, 10, 11, 3, 4]) c.add('x', enc.encode(`{"n":${n}}`));
    for (const n of [0, 1, 2]) c.add('y', enc.encode(`{"n":${n}}`));
    assert.deepEqual(c.all(), [{ topic: 'x', gaps: 1, missing: 7, backwards: 1, last: 4 }]);
    assert.equal(c.missing, 7);
    assert.equal(c.takeChanges().length, 1);
    assert.equal(c.takeChanges().length, 0);
  });
});

describe('MQTT feed: preview and export', () => {
  it('previews text on one line, shortened, and binary as hex', () => {
    assert.equal(previewOf(enc.encode('a\nb'), 10), 'a b');
    assert.equal(previewOf(enc.encode('abcdefghijkl'), 5), 'abcde…');
    assert.equal(previewOf(new Uint8Array([0, 1, 255]), 30), '00 01 ff');
    assert.equal(previewOf(enc.encode('é'.repeat(50)), 10), `${'é'.repeat(10)}…`);
  });

  it('exports one JSON object a line, text as text and binary as base64', () => {
    const bin: StoredMessage = { ...stored(2, ''), payload: new Uint8Array([0xff, 0x00]) };
    const lines = historyToJsonl([stored(1, '{"c":21}', 'lab/t'), bin])
      .trimEnd()
      .split('\n');
    assert.equal(lines.length, 2);
    assert.deepEqual(JSON.parse(lines[0]!), {
      at: '2026-12-05T12:00:00.001Z',
      direction: 'in',
      topic: 'lab/t',
      qos: 0,
      retain: false,
      payload: '{"c":21}',
    });
    assert.equal(JSON.parse(lines[1]!).payloadBase64, '/wA=');
    assert.equal(historyToJsonl([]), '');
  });
});

describe('MQTT panel topic tree', () => {
  const fig = (topic: string, count: number, rate = 0) => ({
    topic,
    count,
    rate,
    last: `v${count}`,
    lastAt: 0,
  });

  it('sums counts and rates up the levels as changed topics arrive', () => {
    const t = new TopicTree();
    t.apply([fig('home/lab/t', 3, 1), fig('home/lab/h', 2, 1), fig('car', 1)], false);
    t.apply([fig('home/lab/t', 10, 4)], false);
    assert.equal(t.find('home')!.count, 12);
    assert.equal(t.find('home')!.rate, 5);
    assert.equal(t.find('home/lab/t')!.figures!.last, 'v10');
    assert.equal(t.size, 3);
  });

  it('lists open levels sorted, opens and closes on toggle, and keeps that over a reset', () => {
    const t = new TopicTree();
    t.apply([fig('b/x', 1), fig('a/y', 1), fig('a/z/q', 1)], false);
    const names = () => t.visible().map((n) => n.path);
    assert.deepEqual(names(), ['a', 'a/y', 'a/z', 'b', 'b/x']);
    t.toggle('a');
    assert.deepEqual(names(), ['a', 'b', 'b/x']);
    t.apply([fig('a/y', 5)], true);
    assert.deepEqual(names(), ['a']);
    assert.equal(t.size, 1);
  });

  it('marks topics with sequence gaps', () => {
    const t = new TopicTree();
    t.apply([fig('d/1', 5)], false);
    t.applyGaps([{ topic: 'd/1', gaps: 1, missing: 3, backwards: 0, last: 8 }], false);
    assert.equal(t.find('d/1')!.gaps!.missing, 3);
    t.applyGaps([], true);
    assert.equal(t.find('d/1')!.gaps, undefined);
  });
});
