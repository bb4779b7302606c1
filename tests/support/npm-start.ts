import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';

/**
 * `npm start` in a process group of its own. npm runs the script through a shell, and a SIGTERM sent to npm
 * alone leaves the server it started running (each test run left two or three behind, listening); the whole
 * group is stopped instead.
 */
export function spawnNpmStart(options: SpawnOptions): ChildProcess {
  return spawn('npm', ['start', '--silent'], { ...options, detached: true });
}

/** Stops the group of a child from spawnNpmStart, and waits for npm to exit. */
export async function stopNpmStart(child: ChildProcess | undefined): Promise<void> {
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) {
    // npm has exited; the server it started may not have.
    if (child?.pid) killGroup(child.pid);
    return;
  }
  const exited = new Promise((resolve) => child.once('exit', resolve));
  killGroup(child.pid);
  await exited;
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    // The group is gone already.
  }
}
