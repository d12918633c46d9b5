import type { ChildProcess } from 'node:child_process';

/**
 * The address a server process prints once it listens (`listening on http://127.0.0.1:PORT`,
 * as the API logs it), read from its piped stdout and stderr. `output()` is everything it has
 * printed, for a failing test's message. Rejects when the process exits first or after
 * `timeoutMs`.
 */
export function listeningUrl(child: ChildProcess, timeoutMs = 90_000): { url: Promise<string>; output: () => string } {
  let output = '';
  const url = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not listen within ${timeoutMs / 1000} s:\n${output}`)), timeoutMs);
    const read = (data: Buffer) => {
      output += data.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}) before it listened:\n${output}`));
    });
  });
  return { url, output: () => output };
}
