import {ChildProcess, execFileSync, spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../../../..');
const ENTRY = path.join(REPO_ROOT, 'dist/src/index.js');

/** Variables a developer's shell might have that would stop zero-config mode. */
const CONFIG_VARIABLES =
  /^(DB_|JWT_|VONAGE_|ZOOM_|WEBHOOK_|STORAGE_|AWS_|AZURE_|EVENT_|METRICS_|OUTBOUND_|VIDEO_PROVIDER$|PORT$|HOST$|NODE_ENV$|DATA_DIR$|WORKERS$|EMULATOR_PORT$|ZOOM_EMULATOR_PORT$|SHUTDOWN_)/;

export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!CONFIG_VARIABLES.test(key)) env[key] = value;
  return {...env, ...extra};
}

export function tempDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vcs-data-'));
  fs.chmodSync(dir, 0o755);
  return dir;
}

/** Runs the service as `npm start` would, and waits for its first /health 200. */
export async function startServiceProcess(
  env: NodeJS.ProcessEnv,
  port: number,
  timeoutMs = 60000,
): Promise<{child: ChildProcess; output: () => string; stop: () => Promise<void>}> {
  const child = spawn(process.execPath, [ENTRY], {env, cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe']});
  let output = '';
  child.stdout?.on('data', chunk => (output += String(chunk)));
  child.stderr?.on('data', chunk => (output += String(chunk)));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`service exited with ${child.exitCode}: ${output}`);
    const ok = await fetch(`http://127.0.0.1:${port}/health`).then(
      r => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`service did not answer /health in time: ${output}`);
    }
    await new Promise(resolve => setTimeout(resolve, 200));
  }
  return {
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise(resolve => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Runs the service expecting it to refuse to start; resolves with its exit code and output. */
export function runServiceToExit(env: NodeJS.ProcessEnv, timeoutMs = 20000): Promise<{code: number | null; output: string}> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ENTRY], {env, cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe']});
    let output = '';
    child.stdout?.on('data', chunk => (output += String(chunk)));
    child.stderr?.on('data', chunk => (output += String(chunk)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`service kept running: ${output}`));
    }, timeoutMs);
    child.once('exit', code => {
      clearTimeout(timer);
      resolve({code, output});
    });
  });
}

/** A bearer token for the local service's development secret, as `npm run -s token -- <args>` prints it. */
export function mintDevToken(env: NodeJS.ProcessEnv, args: string[] = []): string {
  return execFileSync(process.execPath, ['dist/src/cli/mint-token.js', ...args], {cwd: REPO_ROOT, env})
    .toString()
    .trim();
}

/** Bob: a second caller who may only ask for join tokens (the walkthrough's lobby). */
export const BOB_TOKEN_ARGS = ['--id', 'bob', '--permissions', 'GenerateMeetingToken'];
