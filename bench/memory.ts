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
