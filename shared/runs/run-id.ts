/** A run's folder name: its start time (so names sort by date) and 6 random hex digits. */
export const RUN_ID_PATTERN = /^\d{8}-\d{6}-[0-9a-f]{6}$/

/** e.g. 20240131-142501-3fa9c1, in UTC. */
export function newRunId(now: Date, random: () => number = Math.random): string {
  const iso = now.toISOString()
  const stamp = `${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}`
  const hex = Math.floor(random() * 0x1000000).toString(16).padStart(6, '0')
  return `${stamp}-${hex}`
}
