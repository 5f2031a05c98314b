// Resident memory of a process, from /proc (Linux only; elsewhere the figure is n/a).

import { readFileSync, readdirSync } from 'node:fs';

export function rssMb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** The pid of the process whose command line contains `fragment` (e.g. etcd's data dir), if any. */
export function findPid(executable: string, fragment: string): number | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (args[0]?.endsWith(executable) && args.some((arg) => arg.includes(fragment))) return Number(entry);
    } catch {
      // exited while we looked
    }
  }
  return undefined;
}

/**
 * VmRSS once it stops moving: sampled every `intervalMs` until two samples differ by less than `stableMb`, or
 * `maxMs` passed (then the last sample). kgate cannot be told to collect garbage from outside, so quiet time is
 * the settle: V8's idle-time GC and the allocator's release of freed pages happen while nothing else runs.
 */
export async function settledRssMb(pid: number, intervalMs = 250, stableMb = 1, maxMs = 3_000): Promise<number | undefined> {
  const deadline = performance.now() + maxMs;
  let previous = rssMb(pid);
  while (performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    const current = rssMb(pid);
    if (current === undefined || previous === undefined) return current;
    if (Math.abs(current - previous) < stableMb) return current;
    previous = current;
  }
  return previous;
}

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat (clock ticks of 10 ms). */
export function cpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15 overall.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}
