import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    // Tests start real programs; a verdict can take a few seconds (a hang is judged at 6 s).
    testTimeout: 60_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Two cores: more concurrent programs would only queue for CPU.
    maxConcurrency: 4,
  },
})
