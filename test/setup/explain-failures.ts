/**
 * Vitest setup file of both projects: when a test fails, its report says why — the commands it ran
 * (test/helpers/explain.ts: command, exit code, stderr tail) and, in the integration project, the
 * tail of both test clusters' broker logs — printed to stderr and appended to the first error.
 * Invariant: this never turns a passing test into a failing one, and never hides the original error.
 */
import { beforeEach, inject } from 'vitest';
import { explainFailure, resetRuns } from '../helpers/explain.js';

function brokerLogs(): Record<string, string | undefined> {
  try {
    const provided = inject('clinkClusters');
    return provided?.ok ? { source: provided.source.logFile, destination: provided.destination.logFile } : {};
  } catch {
    return {};
  }
}

beforeEach(({ onTestFailed }) => {
  resetRuns();
  onTestFailed(({ task }) => {
    const text = explainFailure(brokerLogs());
    if (!text) return;
    process.stderr.write(`\n--- why "${task.name}" failed ---\n${text}\n`);
    const first = task.result?.errors?.[0];
    if (first && typeof first.message === 'string') first.message = `${first.message}\n\n${text}`;
  });
});
