import { childProcess } from './builtins.js';

/** Runs npm; tests replace it. Arguments are passed as a list, never through a shell string. */
export type NpmRunner = (args: string[], cwd: string) => { status: number | null; stdout: string; stderr: string };

export function defaultNpmRunner(env: NodeJS.ProcessEnv): NpmRunner {
  return (args, cwd) => {
    const result = childProcess().spawnSync('npm', args, {
      cwd,
      // The user's npm configuration (registry, auth, proxy) lives in the environment and .npmrc files.
      env: { ...process.env, ...env },
      encoding: 'utf8',
      timeout: 180_000,
      // npm is npm.cmd on Windows, which only a shell can start; the arguments are validated names.
      shell: process.platform === 'win32',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { status: result.status, stdout: result.stdout ?? '', stderr: `${result.stderr ?? ''}${result.error ? String(result.error) : ''}` };
  };
}
