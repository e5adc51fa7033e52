import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isClinkError } from '../core/errors.js';
import { ConfStore } from './store.js';

const dirs: string[] = [];
function dirWith(content: string | null): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clink-store-'));
  dirs.push(dir);
  if (content === null) fs.mkdirSync(path.join(dir, 'config.json'));
  else fs.writeFileSync(path.join(dir, 'config.json'), content);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function failure(dir: string, op: (s: ConfStore) => Promise<unknown>): Promise<Error> {
  try {
    await op(new ConfStore(dir));
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the store to refuse the file');
}

describe('a config store that cannot be read', () => {
  it.each([
    ['cut off mid-JSON', '{"schemaVersion":1,"clusters":{'],
    ['empty', ''],
    ['not JSON at all', 'clusters:\n  dr: {}\n'],
  ])('%s: refused with an error naming the file, and never rewritten', async (_name, content) => {
    const dir = dirWith(content);
    for (const op of [(s: ConfStore) => s.read(), (s: ConfStore) => s.update((d) => { d.currentCluster = 'x'; })]) {
      const error = await failure(dir, op);
      expect(isClinkError(error)).toBe(true);
      expect(error.message).toContain(`cannot read the config store "${path.join(dir, 'config.json')}"`);
      expect(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')).toBe(content);
    }
  });

  it('a directory in its place: refused, saying so', async () => {
    const error = await failure(dirWith(null), (s) => s.read());
    expect(error.message).toMatch(/cannot read the config store ".*config\.json": it is a directory/);
  });
});
