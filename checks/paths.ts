import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The netlings checkout this grader belongs to. */
export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..')
