#!/usr/bin/env node
// Thin launcher: everything lives in the compiled code under dist/.
import('../dist/cli/main.js').catch((error) => {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/cli/main.js')) {
    process.stderr.write('Error: clink is not built\n\nSuggestions:\n    Run `npm run build` first.\n');
    process.exit(70);
  }
  throw error;
});
