/** A size for a message: "512 MiB" or "1 GiB" when whole, exact bytes under 1 MiB, else "~3.2 GiB". */
export function formatBytes(bytes: number): string {
  const units: [number, string][] = [[2 ** 30, 'GiB'], [2 ** 20, 'MiB'], [2 ** 10, 'KiB']]
  const whole = units.find(([u]) => bytes >= u && bytes % u === 0)
  if (whole) return `${bytes / whole[0]} ${whole[1]}`
  if (bytes < 2 ** 20) return `${bytes} bytes`
  const [size, unit] = bytes >= 2 ** 30 ? units[0] : units[1]
  const value = bytes / size
  return `~${value >= 10 ? Math.round(value) : value.toFixed(1)} ${unit}`
}
