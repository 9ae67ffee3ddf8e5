// CPU time of processes, from /proc (Linux): where a benchmark's work runs — the server under
// test, PostgreSQL's backends, a load generator. Elsewhere every figure is 0.
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's times (USER_HZ: 100 on Linux). */
const TICK_MS = 10;

/** User + system CPU milliseconds of the processes `matches` picks by pid and command line. */
export function processCpuMs(matches: (pid: number, command: string) => boolean): number {
  if (!existsSync('/proc')) return 0;
  let ticks = 0;
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      if (!matches(pid, readFileSync(`/proc/${pid}/cmdline`, 'utf8'))) continue;
      // Fields after the command name (which may hold spaces): utime and stime are the 12th and
      // 13th of them.
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended meanwhile.
    }
  }
  return ticks * TICK_MS;
}

/** PostgreSQL's processes (its backends included) on this machine. */
export const postgresProcesses = (_pid: number, command: string) => command.startsWith('postgres');

/**
 * Starts measuring the CPU of this process, PostgreSQL and (given its pid) a load generator;
 * the function returned ends the span and describes it per unit of work (`units` of `unit`).
 */
export function cpuSpan(loadGenerator?: number) {
  const generator = (pid: number) => pid === loadGenerator;
  const own = process.cpuUsage();
  const postgres = processCpuMs(postgresProcesses);
  const client = loadGenerator === undefined ? 0 : processCpuMs(generator);
  return (units: number, unit: string): string => {
    const { user, system } = process.cpuUsage(own);
    const per = (ms: number) => `${((ms * 1000) / units).toFixed(0)} µs`;
    const parts = [
      `this process ${per((user + system) / 1000)}`,
      `PostgreSQL ${per(processCpuMs(postgresProcesses) - postgres)}`,
      ...(loadGenerator === undefined
        ? []
        : [`load generator ${per(processCpuMs(generator) - client)}`]),
    ];
    return `${parts.join(', ')} of CPU per ${unit}`;
  };
}
