// metav1.Time as kgate writes it: RFC 3339 in UTC at second precision. The current time is formatted once a second
// and reused, so "now" must still read as the second it is asked in.
import assert from 'node:assert/strict';
import { formatTime } from '../../src/apimachinery/time.js';

describe('formatTime', () => {
  it('writes a given time at second precision in UTC', () => {
    assert.equal(formatTime(new Date('2026-12-07T22:15:11.987+02:00')), '2026-12-07T20:15:11Z');
    assert.equal(formatTime(new Date(0)), '1970-01-01T00:00:00Z');
  });

  it('writes now as the current second, also when asked again within it', () => {
    for (let i = 0; i < 1000; i++) {
      const before = formatTime(new Date());
      const now = formatTime();
      const after = formatTime(new Date());
      assert.ok(now === before || now === after, `${now} is neither ${before} nor ${after}`);
    }
  });

  it('moves on with the clock: a new second is written as that second', () => {
    const realNow = Date.now;
    try {
      for (const at of ['2030-01-01T00:00:00.100Z', '2030-01-01T00:00:00.900Z', '2030-01-01T00:00:01.000Z', '2031-06-15T12:34:56.789Z']) {
        Date.now = () => Date.parse(at);
        assert.equal(formatTime(), `${at.slice(0, 19)}Z`);
      }
    } finally {
      Date.now = realNow;
    }
  });
});
