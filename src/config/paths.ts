/**
 * Where clink keeps its files. The config store (written only by the CLI) lives in
 * $CLINK_CONFIG_DIR, else the OS config dir; worker state (written only by workers, except each link's
 * transition-errors.json, which the CLI writes) lives in $CLINK_STATE_DIR, else a `state` folder
 * beside the config store.
 */
import os from 'node:os';
import path from 'node:path';

export function defaultConfigDir(env: NodeJS.ProcessEnv): string {
  if (env.CLINK_CONFIG_DIR) return path.resolve(env.CLINK_CONFIG_DIR);
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Preferences', 'clink');
  if (process.platform === 'win32') {
    return path.join(env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming'), 'clink', 'Config');
  }
  return path.join(env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), 'clink');
}

export function defaultStateDir(env: NodeJS.ProcessEnv): string {
  if (env.CLINK_STATE_DIR) return path.resolve(env.CLINK_STATE_DIR);
  return path.join(defaultConfigDir(env), 'state');
}
