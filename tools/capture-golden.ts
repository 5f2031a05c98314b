// Records the golden JSON files (test/fixtures/golden/<step>.json) from a running kube-apiserver: the reference
// server kube's own build makes (`make reference`), started by hand over its own etcd with a token file. Not part
// of the build. Usage: node dist/tools/capture-golden.js <https://127.0.0.1:port> <token> [step ...]
// (naming steps records only those, against a server that has already run the others).
// Uses TLS without verification (the reference's serving certificate is self-signed for the capture only).
import { writeFileSync } from 'node:fs';
import https from 'node:https';
import { join, resolve } from 'node:path';
import { GOLDEN_STEPS, maskGolden, type GoldenStep } from '../test/fixtures/golden/scenario.js';

export interface GoldenResponse {
  status: number;
  text: string;
}

/** Sends one step; a watch answers with its first line (newline included). */
export function sendStep(base: string, token: string, step: GoldenStep, agent: https.Agent): Promise<GoldenResponse> {
  return new Promise((resolvePromise, reject) => {
    const headers: Record<string, string> = {
      authorization: `Bearer ${token}`,
      'user-agent': step.userAgent ?? 'golden-test',
      accept: 'application/json',
    };
    const payload = step.raw ?? (step.body === undefined ? undefined : JSON.stringify(step.body));
    if (payload !== undefined) headers['content-type'] = step.contentType ?? 'application/json';
    const req = https.request(`${base}${step.path}`, { method: step.method, headers, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        const nl = text.indexOf('\n');
        if (step.watch && nl >= 0) {
          req.destroy();
          resolvePromise({ status: res.statusCode ?? 0, text: text.slice(0, nl + 1) });
        }
      });
      res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    });
    req.on('error', (e) => (step.watch ? undefined : reject(e)));
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

async function main(): Promise<void> {
  const [base, token, ...only] = process.argv.slice(2);
  if (base === undefined || token === undefined) throw new Error('usage: capture-golden <url> <token>');
  const agent = new https.Agent({ rejectUnauthorized: false, keepAlive: true });
  const dir = resolve(import.meta.dirname, '../../test/fixtures/golden');
  for (const step of GOLDEN_STEPS) {
    if (only.length > 0 && !only.includes(step.name)) continue;
    const res = await sendStep(base, token, step, agent);
    if (res.status !== step.status) throw new Error(`${step.name}: ${res.status} (want ${step.status}): ${res.text}`);
    writeFileSync(join(dir, `${step.name}.json`), maskGolden(res.text));
    console.log(`${step.name}: ${res.status}, ${res.text.length} bytes`);
  }
  agent.destroy();
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) await main();
