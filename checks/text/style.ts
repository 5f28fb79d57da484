// Colour for people, never for machines: one decision for every stream the grader writes to.
// NO_COLOR (https://no-color.org) turns it off, FORCE_COLOR (0 off, anything else on) wins
// over both NO_COLOR and the terminal check, and otherwise only a terminal gets colour.

import picocolors from 'picocolors'

export type Colors = ReturnType<typeof picocolors.createColors>

export function wantsColor(stream: { isTTY?: boolean } = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  const force = env.FORCE_COLOR
  if (force !== undefined) return force !== '0' && force !== 'false'
  if (env.NO_COLOR) return false
  return stream.isTTY === true && env.TERM !== 'dumb'
}

/** Painters that paint when `enabled`, and pass text through untouched otherwise. */
export const colors = (enabled: boolean): Colors => picocolors.createColors(enabled)
