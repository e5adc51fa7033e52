import { describe, expect, it } from 'vitest';
import { TimeoutError } from '../core/errors.js';
import { waitFor } from './wait-for.js';

describe('waitFor', () => {
  it('returns the first value that is not pending', async () => {
    let calls = 0;
    const value = await waitFor(() => (++calls < 3 ? undefined : 'ready'), { timeoutMs: 1000, intervalMs: 1, message: 'never' });
    expect(value).toBe('ready');
    expect(calls).toBe(3);
  });

  it('treats 0 and the empty string as results, false and null as pending', async () => {
    expect(await waitFor(() => 0, { timeoutMs: 10, message: 'x' })).toBe(0);
    expect(await waitFor(() => '', { timeoutMs: 10, message: 'x' })).toBe('');
    const answers: Array<false | null | boolean> = [false, null, true];
    expect(await waitFor(() => answers.shift(), { timeoutMs: 1000, intervalMs: 1, message: 'x' })).toBe(true);
  });

  it('awaits asynchronous conditions', async () => {
    let calls = 0;
    const value = await waitFor(async () => (++calls === 2 ? { ok: true } : false), { timeoutMs: 1000, intervalMs: 1, message: 'x' });
    expect(value).toEqual({ ok: true });
  });

  it('throws a TimeoutError with the given message once the deadline passes', async () => {
    const started = Date.now();
    const error = await waitFor(() => false, { timeoutMs: 50, intervalMs: 10, message: 'topic "t" never appeared' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: 'TIMEOUT', message: 'topic "t" never appeared', retriable: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('evaluates a message function only on timeout', async () => {
    let state = 'initial';
    const pending = waitFor(() => { state = 'last seen'; return undefined; }, { timeoutMs: 20, intervalMs: 5, message: () => `stuck at ${state}` });
    await expect(pending).rejects.toThrow('stuck at last seen');
  });

  it('rejects at once with the error of the condition', async () => {
    let calls = 0;
    const failing = () => { calls += 1; throw new Error('boom'); };
    await expect(waitFor(failing, { timeoutMs: 1000, message: 'x' })).rejects.toThrow('boom');
    expect(calls).toBe(1);
  });

  it('stops when its signal is aborted', async () => {
    const controller = new AbortController();
    const pending = waitFor(() => undefined, { timeoutMs: 5000, intervalMs: 1000, message: 'x', signal: controller.signal });
    controller.abort(new Error('cancelled'));
    await expect(pending).rejects.toThrow('cancelled');
  });
});
