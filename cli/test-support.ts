/** Test support: runs the real `radar` binary as a child process. */
import { type ChildProcess, spawn } from 'node:child_process';

export const radarBin = new URL('../bin/radar.js', import.meta.url).pathname;

export interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export const runRadar = (args: readonly string[], options: { stdin?: string; env?: Record<string, string> } = {}): Promise<Ran> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [radarBin, ...args], { env: { ...process.env, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });

export interface Served {
  readonly child: ChildProcess;
  readonly url: string;
  /** What the server wrote to stderr so far (its JSON log lines). */
  readonly logs: () => string;
}

/** Starts `radar serve` on a free port (logging warnings unless `env` says otherwise) and resolves once it listens. */
export const startServe = (env: Record<string, string>): Promise<Served> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [radarBin, 'serve'], { env: { ...process.env, PORT: '0', RADAR_LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const match = /on (http:\/\/[\d.]+:\d+)/.exec(out);
      if (match?.[1]) resolve({ child, url: match[1], logs: () => err });
    });
    child.on('exit', (code) => reject(new Error(`radar serve exited early with ${code}: ${err}`)));
  });
