/** docs/commands.md and completions/* must match the command tree (run `npm run gen` after changing commands). */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { generatedFiles } from '../../src/cli/dev/generated-files.js';
import { repoRoot } from '../helpers/run-clink.js';

describe('generated files', () => {
  for (const [file, content] of Object.entries(generatedFiles())) {
    it(`${file} is up to date (run \`npm run gen\`)`, () => {
      const onDisk = fs.readFileSync(path.join(repoRoot, file), 'utf8');
      expect(onDisk).toBe(content);
    });
  }
});
