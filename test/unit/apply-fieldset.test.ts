// Field sets as the managedFields walkers build them: the incremental SetBuilder must build exactly the set that
// inserting each path from the root builds, and elements must come out in structured-merge-diff's order.
import assert from 'node:assert/strict';
import { emptySet, equalSets, insert, paths, SetBuilder, sortedElements } from '../../src/registry/apply/fieldset.js';

// A small deterministic generator, so a failure names a seed that reproduces it.
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const ELEMENTS = ['f:a', 'f:b', 'f:spec', 'k:{"name":"x"}', 'k:{"name":"y"}', 'v:"s"', 'i:0', 'i:2', 'f:z'];

function randomPaths(seed: number): string[][] {
  const next = random(seed);
  const out: string[][] = [];
  const count = 1 + Math.floor(next() * 40);
  let last: string[] = [];
  for (let i = 0; i < count; i++) {
    // Half of the paths share a prefix with the previous one, as a depth-first walk's do.
    const keep = next() < 0.5 ? Math.floor(next() * (last.length + 1)) : 0;
    const path = last.slice(0, keep);
    const extra = (path.length === 0 ? 1 : 0) + Math.floor(next() * 4);
    for (let j = 0; j < extra; j++) path.push(ELEMENTS[Math.floor(next() * ELEMENTS.length)]);
    out.push(path);
    last = path;
  }
  return out;
}

describe('managedFields field sets', () => {
  for (let seed = 1; seed <= 200; seed++) {
    it(`SetBuilder builds the same set as insert from the root (seed ${seed})`, () => {
      const reference = emptySet();
      const builder = new SetBuilder();
      for (const path of randomPaths(seed)) {
        insert(reference, path);
        builder.insert(path);
      }
      assert.ok(equalSets(reference, builder.set));
      assert.deepEqual(paths(builder.set), paths(reference));
    });
  }

  it('orders fields by name, then keys, values and indexes, in nodes of every size', () => {
    const names = Array.from({ length: 20 }, (_, i) => `f:n${String(19 - i).padStart(2, '0')}`);
    for (const size of [2, 5, 16, 17, 20]) {
      const set = emptySet();
      for (const el of names.slice(0, size)) insert(set, [el]);
      const expected = names.slice(0, size).sort();
      assert.deepEqual(sortedElements(set), expected, `${size} fields`);
    }
    const mixed = emptySet();
    for (const el of ['i:10', 'i:2', 'v:"b"', 'k:{"name":"b"}', 'f:b', 'k:{"name":"a"}', 'f:a', 'v:"a"']) insert(mixed, [el]);
    assert.deepEqual(sortedElements(mixed), ['f:a', 'f:b', 'k:{"name":"a"}', 'k:{"name":"b"}', 'v:"a"', 'v:"b"', 'i:2', 'i:10']);
  });
});
