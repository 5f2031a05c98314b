// autocannon as a library: a fixed number of requests over N keep-alive TLS connections, timed by wall clock from
// the start to the last response (connection set-up included, as a real client pays it too). autocannon itself
// notices that `amount` is reached only on its one-second tick, so its own end would round every run up to whole
// seconds.

import autocannon, { type AutocannonRequest } from 'autocannon';

export interface LoadSpec {
  url: string;
  token: string;
  connections: number;
  amount: number;
  method: 'GET' | 'POST';
  /**
   * For POST: request bodies, used in order (each must be unique when they create objects). autocannon builds one
   * request per connection ahead of time, so pass amount + 2 × connections.
   */
  bodies?: string[];
}

export interface LoadResult {
  perSecond: number;
  ok: number;
  failed: number;
}

export async function runAutocannon(spec: LoadSpec): Promise<LoadResult> {
  const target = new URL(spec.url);
  const headers: Record<string, string> = { authorization: `Bearer ${spec.token}`, accept: 'application/json' };
  let requests: AutocannonRequest[] | undefined;
  if (spec.bodies) {
    const bodies = spec.bodies;
    let next = 0;
    headers['content-type'] = 'application/json';
    requests = [
      {
        method: spec.method,
        path: target.pathname,
        setupRequest: (request) => {
          if (next >= bodies.length) throw new Error(`autocannon asked for more than ${bodies.length} bodies`);
          return { ...request, body: bodies[next++] };
        },
      },
    ];
  }
  const started = performance.now();
  let lastResponse = started;
  const instance = autocannon({
    url: `${target.origin}${target.pathname}`,
    connections: spec.connections,
    amount: spec.amount,
    method: spec.method,
    headers,
    timeout: 30,
    ...(requests && { requests }),
  });
  instance.on('response', () => {
    lastResponse = performance.now();
  });
  const result = await instance;
  const seconds = (lastResponse - started) / 1000;
  const ok = result['2xx'];
  return { perSecond: ok / seconds, ok, failed: result.non2xx + result.errors + result.timeouts };
}
