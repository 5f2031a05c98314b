// RevisionGate: a consistent read waits for a revision fetched after the read began, never for an older answer.
import assert from 'node:assert/strict';
import { RevisionGate } from '../../src/storage/cacher/revision.js';

/** A fetch of etcd's current revision that the test answers by hand. */
function controlledFetch() {
  const pending: Array<(rev: number) => void> = [];
  return {
    fetch: () => new Promise<number>((resolve) => pending.push(resolve)),
    get calls() {
      return pending.length;
    },
    answer(index: number, revision: number) {
      pending[index](revision);
    },
  };
}

const settled = async <T>(p: Promise<T>): Promise<{ done: boolean; value?: T }> => {
  let state: { done: boolean; value?: T } = { done: false };
  p.then(
    (value) => (state = { done: true, value }),
    () => (state = { done: true }),
  );
  // Let every already-resolved continuation run.
  for (let i = 0; i < 10; i++) await Promise.resolve();
  return state;
};

describe('cacher RevisionGate', function () {
  it('sync waits until the cache applied the revision etcd reported', async function () {
    const etcd = controlledFetch();
    const gate = new RevisionGate(etcd.fetch, 60_000);
    gate.advance(5);
    const read = gate.sync();
    etcd.answer(0, 8);
    assert.equal((await settled(read)).done, false);
    gate.advance(7);
    assert.equal((await settled(read)).done, false);
    gate.advance(8);
    assert.deepEqual(await settled(read), { done: true, value: 8 });
    assert.equal(gate.revision, 8);
  });

  it('a read that arrives while a fetch is in flight rides the next fetch, shared with later arrivals', async function () {
    const etcd = controlledFetch();
    const gate = new RevisionGate(etcd.fetch, 60_000);
    gate.advance(100);
    const first = gate.sync();
    const second = gate.sync(); // its write may have landed after fetch #1 was answered by etcd
    const third = gate.sync();
    assert.equal(etcd.calls, 1);
    etcd.answer(0, 10);
    assert.deepEqual(await settled(first), { done: true, value: 10 });
    assert.equal((await settled(second)).done, false);
    assert.equal(etcd.calls, 2);
    etcd.answer(1, 12);
    assert.deepEqual(await settled(second), { done: true, value: 12 });
    assert.deepEqual(await settled(third), { done: true, value: 12 });
    assert.equal(etcd.calls, 2);
  });

  it('waitFor resolves only once advance reaches the revision, and never goes back', async function () {
    const gate = new RevisionGate(async () => 0, 60_000);
    gate.advance(3);
    const w = gate.waitFor(6);
    gate.advance(2);
    assert.equal(gate.revision, 3);
    gate.advance(5);
    assert.equal((await settled(w)).done, false);
    gate.advance(9);
    assert.equal((await settled(w)).done, true);
    await gate.waitFor(4); // already applied
  });

  it('fail rejects waiting and new consistent reads until recover', async function () {
    const gate = new RevisionGate(async () => 50, 60_000);
    const waiting = gate.waitFor(10);
    const lost = new Error('watch lost');
    gate.fail(lost);
    await assert.rejects(waiting, lost);
    await assert.rejects(gate.sync(), lost);
    gate.recover();
    gate.advance(50);
    assert.equal(await gate.sync(), 50);
  });
});
