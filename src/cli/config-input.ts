/**
 * Reads the `--config-file` / `--config` pair every configurable command accepts into one map of
 * properties (Kafka's .properties file rules; Confluent's inline comma rule). Values are not
 * resolved here: references such as ${env:NAME} are kept and resolved only when used.
 */
import { existsSync } from 'node:fs';
import { UsageError } from '../core/errors.js';
import { readPropertiesFile } from '../config/properties.js';
import { parseInlineConfig } from '../config/inline-config.js';

export interface ConfigInput {
  configFile?: string;
  config: string[];
}

export async function readConfigInput(input: ConfigInput, _env: NodeJS.ProcessEnv): Promise<Record<string, string>> {
  if (input.configFile && input.config.length > 0) {
    throw new UsageError('--config and --config-file cannot be used together', {
      suggestion: 'Put every setting in the file, or pass them all with `--config`.',
    });
  }
  if (input.configFile) return readPropertiesFile(input.configFile);
  // Confluent: a single --config value that names an existing file is read as a properties file.
  const only = input.config.length === 1 ? input.config[0] : undefined;
  if (only !== undefined && !only.includes('=') && existsSync(only)) return readPropertiesFile(only);
  if (input.config.length > 0) return parseInlineConfig(input.config);
  return {};
}
