// Where the workspace lives. Web mode: --data-dir, else $WORKBENCH_DATA_DIR, else the XDG data directory
// ($XDG_DATA_HOME or ~/.local/share) + /routing-lab-workbench. Electron passes app.getPath('userData').

import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

export const APP_DIR_NAME = 'routing-lab-workbench';

export function webDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  if (flag) return resolve(flag);
  if (env.WORKBENCH_DATA_DIR) return resolve(env.WORKBENCH_DATA_DIR);
  // The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
  const xdg = env.XDG_DATA_HOME && isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : join(home, '.local', 'share');
  return join(xdg, APP_DIR_NAME);
}
