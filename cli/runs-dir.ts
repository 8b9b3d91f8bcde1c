import { homedir } from 'node:os'
import { join, resolve } from 'node:path'

/**
 * The run library the CLI reads: --runs DIR, else BACKPROP_STUDIO_RUNS, else
 * ~/.backprop-studio/runs, the web mode's (`npm run web`) default user data folder. The desktop
 * app keeps its runs in its own user data folder (e.g. ~/.config/backprop-studio/runs on Linux):
 * pass that folder with --runs.
 */
export function runsDir(flag: string | undefined): string {
  return resolve(flag ?? process.env.BACKPROP_STUDIO_RUNS ?? join(homedir(), '.backprop-studio', 'runs'))
}
