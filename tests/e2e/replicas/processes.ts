import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./replica-child.ts', import.meta.url));

/** A TeamKB child process and the lines it printed so far. */
export interface Replica {
  child: ChildProcessWithoutNullStreams;
  url: string;
  lines: string[];
  /** Resolves with the first printed line starting with `prefix`. */
  line(prefix: string): Promise<string>;
  kill(): Promise<void>;
}

export async function startReplica(env: Record<string, string>, mode: 'app' | 'stall' = 'app'): Promise<Replica> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(env), mode], { stdio: 'pipe' });
  const lines: string[] = [];
  const waiters: Array<() => void> = [];
  let buffered = '';
  let errors = '';
  child.stdout.on('data', (data: Buffer) => {
    buffered += data.toString();
    for (let cut = buffered.indexOf('\n'); cut >= 0; cut = buffered.indexOf('\n')) {
      lines.push(buffered.slice(0, cut));
      buffered = buffered.slice(cut + 1);
    }
    for (const wake of waiters.splice(0)) wake();
  });
  child.stderr.on('data', (data: Buffer) => {
    errors += data.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const line = async (prefix: string): Promise<string> => {
    for (;;) {
      const found = lines.find((l) => l.startsWith(prefix));
      if (found) return found;
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`replica exited before printing "${prefix}": ${errors.slice(-2000)}`);
      }
      await Promise.race([new Promise<void>((resolve) => waiters.push(resolve)), exited]);
    }
  };
  const ready = await line('ready ');
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  };
  return { child, url: ready.slice('ready '.length), lines, line, kill };
}
