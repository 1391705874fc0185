// The MQTT panel's feed (src/core/mqtt/feed/panelFeed.ts): at most one update per frame and none
// until the last is acknowledged, only what changed, Clear and Pause at once, exact totals.
import { strict as assert } from 'node:assert';
import { PanelFeed, type IncomingMessage } from '../../../src/core/mqtt/feed/panelFeed';

const enc = new TextEncoder();
const msg = (topic: string, text: string, at = 0): IncomingMessage => ({
  topic,
  payload: enc.encode(text),
  qos: 0,
  retain: false,
  at,
});

function feed(options: ConstructorParameters<typeof PanelFeed>[1] = {}) {
  return new PanelFeed(0, { frameMs: 100, viewRows: 5, ackTimeoutMs: 3000, ...options });
}

describe('MQTT panel feed', () => {
  it('sends at most one update per frame, and none until the last one is acknowledged', () => {
    const f = feed();
    f.add('in', msg('a', '1'));
    const first = f.take(1000);
    assert.ok(first);
    f.add('in', msg('a', '2'));
    assert.equal(f.take(1050), undefined, 'within the frame');
    assert.equal(f.take(1200), undefined, 'not acknowledged yet');
    f.ack(first.seq);
    const second = f.take(1200);
    assert.ok(second);
    assert.deepEqual(
      second.rows.map((r) => r.preview),
      ['2'],
    );
    assert.equal(second.reset, false);
    f.ack(second.seq);
    assert.equal(f.take(1400), undefined, 'nothing changed');
  });

  it('holds no more updates than one however many messages arrive while the view is busy', () => {
    const f = feed();
    f.add('in', msg('a', 'x'));
    f.take(0);
    let sent = 0;
    for (let t = 100; t < 2900; t += 10) {
      for (let i = 0; i < 50; i++) f.add('in', msg(`t/${i % 3}`, String(i)));
      if (f.take(t)) sent++;
    }
    assert.equal(sent, 0, 'no update while the last is unacknowledged');
    // A view that never answers gets the next update only after the acknowledgement timeout.
    const late = f.take(3100);
    assert.ok(late);
    assert.equal(late.counts.received, 1 + 280 * 50, 'the totals are exact');
  });

  it('sends only the newest rows the view can hold, and says when they replace the list', () => {
    const f = feed({ viewRows: 5 });
    f.take(0);
    f.ack(1);
    for (let i = 0; i < 12; i++) f.add('in', msg('a', String(i)));
    const u = f.take(200)!;
    assert.deepEqual(
      u.rows.map((r) => r.preview),
      ['7', '8', '9', '10', '11'],
    );
    assert.equal(u.reset, true, 'rows pushed out unseen: the list is replaced');
    assert.equal(u.counts.received, 12);
    assert.equal(u.counts.dropped, 0, 'not shown is not dropped');
  });

  it('replaces the list when a frame brings more rows than it holds, so it never has a hole', () => {
    const f = feed({ viewRows: 5 });
    f.take(0);
    f.ack(1);
    for (let i = 0; i < 7; i++) f.add('in', msg('a', String(i)));
    const u = f.take(200)!;
    assert.equal(u.reset, true);
    assert.deepEqual(
      u.rows.map((r) => r.preview),
      ['2', '3', '4', '5', '6'],
    );
  });

  it('clears at once, skipping the frame and the credit, and counts on', () => {
    const f = feed();
    f.add('in', msg('a', '1'));
    f.take(0);
    f.add('in', msg('a', '2'));
    f.clear();
    const u = f.take(10, true);
    assert.ok(u, 'an urgent update goes out without credit');
    assert.equal(u.reset, true);
    assert.deepEqual(u.rows, []);
    assert.equal(u.epoch, 1);
    assert.equal(u.counts.stored, 0);
    assert.equal(u.counts.received, 2, 'totals since connecting go on');
  });

  it('pauses the rows but not the counting, and resumes with the newest rows', () => {
    const f = feed();
    f.take(0);
    f.ack(1);
    f.setPaused(true);
    f.ack(f.take(0, true)!.seq);
    f.add('in', msg('a', '1'));
    f.add('in', msg('b', '2'));
    const paused = f.take(200)!;
    assert.deepEqual(paused.rows, []);
    assert.equal(paused.counts.received, 2);
    assert.equal(paused.counts.paused, true);
    assert.equal(paused.topics.length, 2, 'the topic tree goes on');
    f.ack(paused.seq);
    f.setPaused(false);
    const resumed = f.take(210, true)!;
    assert.equal(resumed.reset, true);
    assert.deepEqual(
      resumed.rows.map((r) => r.preview),
      ['1', '2'],
    );
  });

  it('sends only the topics that changed, and all of them after a resync', () => {
    const f = feed();
    f.add('in', msg('a/1', 'x'));
    f.add('in', msg('a/2', 'y'));
    const first = f.take(0)!;
    assert.equal(first.topicsReset, true);
    f.ack(first.seq);
    f.add('in', msg('a/2', 'z'));
    const u = f.take(200)!;
    assert.equal(u.topicsReset, false);
    assert.deepEqual(
      u.topics.map((t) => [t.topic, t.count, t.last]),
      [['a/2', 2, 'z']],
    );
    f.resync();
    const again = f.take(300)!;
    assert.equal(again.topicsReset, true);
    assert.deepEqual(
      again.topics.map((t) => t.topic),
      ['a/1', 'a/2'],
    );
    assert.equal(again.reset, true, 'a reloaded view gets its rows again');
    assert.equal(again.rows.length, 3);
  });

  it('counts a message the history cannot hold as dropped, and says nothing of eviction', () => {
    const f = feed({ history: { maxMessages: 3, maxBytes: 1000 } });
    f.add('in', msg('big', 'x'.repeat(2000)));
    for (let i = 0; i < 5; i++) f.add('in', msg('a', String(i)));
    const c = f.counts();
    assert.equal(c.received, 6);
    assert.equal(c.dropped, 1);
    assert.equal(c.stored, 3);
    assert.equal(c.evicted, 2);
  });

  it('drops (and counts) what arrives beyond the storing budget of a second', () => {
    const f = feed({ maxStoredPerSecond: 10 });
    for (let i = 0; i < 15; i++) f.add('in', msg('a', String(i)));
    assert.equal(f.counts().dropped, 5);
    f.tick(1000);
    f.add('in', msg('a', 'next second'));
    assert.equal(f.counts().dropped, 5);
    assert.equal(f.counts().received, 16);
  });

  it('reports the rate of the last whole second', () => {
    const f = feed();
    for (let i = 0; i < 40; i++) f.add('in', msg('a', '1'));
    f.tick(500);
    assert.equal(f.counts().ratePerSecond, 0);
    f.tick(2000);
    assert.equal(f.counts().ratePerSecond, 20);
  });

  it('reports sequence gaps per topic once the check is on', () => {
    const f = feed();
    f.setSequenceField('seq');
    for (const n of [1, 2, 5, 6]) f.add('in', msg('dev/1', `{"seq":${n}}`));
    for (const n of [1, 2, 3]) f.add('in', msg('dev/2', `{"seq":${n}}`));
    const u = f.take(0)!;
    assert.equal(u.sequenceField, 'seq');
    assert.equal(u.counts.missing, 2);
    assert.deepEqual(
      u.gaps.map((g) => [g.topic, g.gaps, g.missing]),
      [['dev/1', 1, 2]],
    );
  });
});
