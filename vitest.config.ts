/**
 * Three projects: `unit` (pure tests beside the source, plus test/ outside test/integration and
 * test/faults), `integration` (test/integration, against the two real Kafka clusters that the global
 * setup starts once per run) and `faults` (test/faults, `npm run test:faults` only: clusters of its
 * own that it kills and restarts). Invariant: Kafka is started only when an integration test file is selected, so
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
          exclude: [...configDefaults.exclude, 'test/integration/**', 'test/faults/**'],
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
      {
        extends: true,
        test: {
          name: 'faults',
          include: ['test/faults/**/*.test.ts'],
          testTimeout: 1_500_000,
        },
      },
    ],
  },
});
