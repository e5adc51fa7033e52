/**
 * Parser for the `sasl.jaas.config` client property: `<LoginModule class> <flag> (key=value)* ;`,
 * accepting what Kafka's JaasConfig accepts (double- or single-quoted values with backslash escapes,
 * unquoted values, `/* *\/` and `//` comments, a case-insensitive control flag, exactly one module).
 * Invariant: no error message or context ever contains any part of the JAAS text; errors name the
 * config key and, at most, an option name.
 * One leniency: unquoted purely numeric values are accepted (Kafka's tokenizer rejects them).
 */
import { InvalidConfigError } from '../core/errors.js';

export interface JaasConfig {
  loginModule: string;
  controlFlag: 'required' | 'requisite' | 'sufficient' | 'optional';
  options: Record<string, string>;
}

const CONTROL_FLAGS = ['required', 'requisite', 'sufficient', 'optional'] as const;
const ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };
const EXAMPLE =
  'org.apache.kafka.common.security.plain.PlainLoginModule required username="<user>" password="<password>";';

class Scanner {
  pos = 0;
  constructor(
    private readonly text: string,
    private readonly key: string,
  ) {}

  fail(reason: string, suggestion = `Write it as \`${EXAMPLE}\`.`): never {
    throw new InvalidConfigError(`invalid ${this.key}: ${reason}`, { suggestion, context: { key: this.key } });
  }

  /** Skips blanks and comments; returns the next character without consuming it. */
  peek(): string | undefined {
    for (;;) {
      while (this.pos < this.text.length && /\s/.test(this.text[this.pos] as string)) this.pos++;
      if (this.text.startsWith('/*', this.pos)) {
        const end = this.text.indexOf('*/', this.pos + 2);
        if (end < 0) this.fail('unterminated comment');
        this.pos = end + 2;
      } else if (this.text.startsWith('//', this.pos)) {
        const end = this.text.indexOf('\n', this.pos);
        this.pos = end < 0 ? this.text.length : end + 1;
      } else {
        return this.text[this.pos];
      }
    }
  }

  /** A run of characters up to a blank, `=`, `;`, quote or comment. */
  word(): string {
    this.peek();
    const start = this.pos;
    while (this.pos < this.text.length) {
      const c = this.text[this.pos] as string;
      if (/[\s=;"']/.test(c) || this.text.startsWith('/*', this.pos) || this.text.startsWith('//', this.pos)) break;
      this.pos++;
    }
    return this.text.slice(start, this.pos);
  }

  quoted(option: string): string {
    const quote = this.text[this.pos++];
    let out = '';
    while (this.pos < this.text.length) {
      const c = this.text[this.pos++] as string;
      if (c === quote) return out;
      if (c === '\\' && this.pos < this.text.length) {
        const next = this.text[this.pos++] as string;
        out += ESCAPES[next] ?? next;
      } else {
        out += c;
      }
    }
    return this.fail(`the value of option "${option}" has no closing quote`);
  }
}

/** Parses one JAAS entry. `key` names the property in messages (`sasl.jaas.config`, `local.sasl.jaas.config`). */
export function parseJaasConfig(text: string, key = 'sasl.jaas.config'): JaasConfig {
  const s = new Scanner(text, key);
  const loginModule = s.word();
  if (loginModule === '') s.fail('no login module class is given');
  const flag = s.word().toLowerCase();
  if (flag === '') s.fail('the login module control flag is missing', 'Put `required` after the login module class.');
  if (!(CONTROL_FLAGS as readonly string[]).includes(flag)) {
    s.fail('the login module control flag must be one of required, requisite, sufficient, optional');
  }
  const options: Record<string, string> = Object.create(null) as Record<string, string>;
  for (;;) {
    const next = s.peek();
    if (next === undefined) s.fail('the entry must end with a semicolon', 'End the value with `;`.');
    if (next === ';') {
      s.pos++;
      break;
    }
    const option = s.word();
    if (option === '') s.fail('expected an option name');
    if (s.peek() !== '=') s.fail(`option "${option}" has no value`, `Write it as \`${option}="<value>"\`.`);
    s.pos++;
    const quote = s.peek();
    const value = quote === '"' || quote === "'" ? s.quoted(option) : s.word();
    const unquoted = quote !== '"' && quote !== "'";
    if (unquoted && (value === '' || s.peek() === '=')) s.fail(`option "${option}" has no value`, `Write it as \`${option}="<value>"\`.`);
    options[option] = value;
  }
  if (s.peek() !== undefined) {
    s.fail('it must contain exactly one login module', 'Keep a single login module entry, ending with `;`.');
  }
  return { loginModule, controlFlag: flag as JaasConfig['controlFlag'], options };
}

/** Renders a JAAS entry (for building configs from API keys); values are double-quoted and escaped. */
export function formatJaasConfig(loginModule: string, options: Record<string, string>, controlFlag = 'required'): string {
  const parts = Object.entries(options).map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`);
  return `${[loginModule, controlFlag, ...parts].join(' ')};`;
}
