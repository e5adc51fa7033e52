/** `npm run gen`: rewrite docs/commands.md and completions/* from the command tree. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedFiles } from './generated-files.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
for (const [file, content] of Object.entries(generatedFiles())) {
  fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  fs.writeFileSync(path.join(root, file), content);
  process.stdout.write(`wrote ${file}\n`);
}
