import assert from 'node:assert/strict';
import { formatGoDuration, parseGoDuration } from '../../src/apimachinery/duration.js';

const S = 1e9;

describe('parseGoDuration (time.ParseDuration)', () => {
  const accepted: [string, number][] = [
    ['5m0s', 300 * S],
    ['30s', 30 * S],
    ['1h', 3600 * S],
    ['1h30m', 5400 * S],
    ['1.5s', 1.5 * S],
    ['250ms', 250e6],
    ['1.5µs', 1500],
    ['1.5μs', 1500],
    ['2us', 2000],
    ['7ns', 7],
    ['.5s', 0.5 * S],
    ['1.s', S],
    ['0', 0],
    ['+0', 0],
    ['-2s', -2 * S],
    ['+3m', 180 * S],
    ['1.0000000001s', S],
  ];
  for (const [text, ns] of accepted) it(`reads ${text} as ${ns}ns`, () => assert.equal(parseGoDuration(text), ns));

  it("answers bad durations with Go's messages", () => {
    assert.equal(parseGoDuration(''), 'time: invalid duration ""');
    assert.equal(parseGoDuration('-'), 'time: invalid duration "-"');
    assert.equal(parseGoDuration('5'), 'time: missing unit in duration "5"');
    assert.equal(parseGoDuration('5x'), 'time: unknown unit "x" in duration "5x"');
    assert.equal(parseGoDuration('.s'), 'time: invalid duration ".s"');
    assert.equal(parseGoDuration('1s-2s'), 'time: unknown unit "s-" in duration "1s-2s"');
    assert.equal(parseGoDuration('3000000h'), 'time: invalid duration "3000000h"');
  });
});

describe('formatGoDuration (time.Duration.String)', () => {
  const cases: [number, string][] = [
    [0, '0s'],
    [1, '1ns'],
    [1500, '1.5µs'],
    [250e6, '250ms'],
    [1.5 * S, '1.5s'],
    [60 * S, '1m0s'],
    [90 * S, '1m30s'],
    [300 * S, '5m0s'],
    [3600 * S, '1h0m0s'],
    [3723.5 * S, '1h2m3.5s'],
    [-2 * S, '-2s'],
  ];
  for (const [ns, text] of cases) it(`prints ${ns}ns as ${text}`, () => assert.equal(formatGoDuration(ns), text));

  it('prints what it parses back unchanged', () => {
    for (const text of ['1h2m3.5s', '250ms', '1.5µs', '-2s', '0s']) {
      assert.equal(formatGoDuration(parseGoDuration(text) as number), text);
    }
  });
});
