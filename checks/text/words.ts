// Small words for people: a sentence's capital, a size in the units a terminal user reads.

import { t } from './lang.ts'

export const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1)

export const KiB = 1024
export const MiB = 1024 * 1024

/** "12.5 MiB (13107200 bytes)", "3.2 KiB (3277 bytes)", "17 bytes": binary units, named as
 * such, and the exact count where a rounded one could hide an off-by-one. */
export function size(bytes: number, exact = true): string {
  const unit = bytes >= MiB ? ['MiB', MiB] : bytes >= KiB ? ['KiB', KiB] : undefined
  if (!unit) return t`${bytes} bytes`
  const rounded = `${Number((bytes / (unit[1] as number)).toFixed(1))} ${unit[0]}`
  return exact ? t`${rounded} (${bytes} bytes)` : rounded
}

/** "23.5 MiB": always one decimal, so a number that grows does not make its line jump. */
export const mebibytes = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`
