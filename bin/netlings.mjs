#!/usr/bin/env node
// `npx netlings check lesson-1`: the same CLI as `npm run check`, with tsx loaded in-process.
import { register } from 'tsx/esm/api'

register()
await import('../checks/commands/check.ts')
