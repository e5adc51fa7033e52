/** The output formats every command accepts with `-o, --output`. */
export const OUTPUT_FORMATS = ['human', 'json', 'yaml'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export function isMachineFormat(format: OutputFormat): boolean {
  return format !== 'human';
}
