// Summarises a V8 .cpuprofile (from `node --cpu-prof`): the functions and the source files with the most self
// time, as shares of the busy (non-idle) time. Usage: node dist/bench/cpuprofile-top.js <file.cpuprofile> [count]

import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function shortUrl(url: string): string {
  return url.replace(/^file:\/\/.*?\/(node_modules|dist)\//, '$1/').replace(/^node:/, 'node:');
}

function top(entries: Map<string, number>, totalUs: number, count: number): string[] {
  return [...entries]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, us]) => `${((us / totalUs) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${name}`);
}

const [file, countText] = process.argv.slice(2);
if (!file) {
  console.error('usage: node dist/bench/cpuprofile-top.js <file.cpuprofile> [count]');
  process.exit(2);
}
const count = Number(countText ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfByFunction = new Map<string, number>();
const selfByFile = new Map<string, number>();
let totalUs = 0;
profile.samples.forEach((id, i) => {
  const delta = profile.timeDeltas[i] ?? 0;
  const frame = byId.get(id)?.callFrame;
  if (!frame || frame.functionName === '(idle)') return;
  totalUs += delta;
  const where = frame.url ? `${shortUrl(frame.url)}:${frame.lineNumber + 1}` : '(native)';
  const name = `${frame.functionName || '(anonymous)'} ${where}`;
  selfByFunction.set(name, (selfByFunction.get(name) ?? 0) + delta);
  const fileName = frame.url ? shortUrl(frame.url) : frame.functionName || '(native)';
  selfByFile.set(fileName, (selfByFile.get(fileName) ?? 0) + delta);
});
console.log(`profile: ${(totalUs / 1000).toFixed(0)} ms busy (idle excluded)`);
console.log('top functions by self time:');
for (const line of top(selfByFunction, totalUs, count)) console.log(`  ${line}`);
console.log('top files by self time:');
for (const line of top(selfByFile, totalUs, count)) console.log(`  ${line}`);
