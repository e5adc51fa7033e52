/**
 * Two projects: `unit` (pure tests beside the source, plus test/ outside test/integration) and
 * `integration` (test/integration, against the two real Kafka clusters that the global setup starts
 * once per run). Invariant: Kafka is started only when an integration test file is selected, so
 * `npm run test:unit` and `vitest run src/...` never start a JVM; a failing test prints the commands it
 * ran and the broker log tails (test/setup/explain-failures.ts).
 */
import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    teardownTimeout: 30_000,
    setupFiles: ['test/setup/explain-failures.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/integration/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/setup/global-setup.ts'],
        },
      },
    ],
  },
});
