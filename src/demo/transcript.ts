/**
 * Prints a demo as a transcript: each step shows the command as a person would type it, then its
 * real output. Runs the built CLI in a child process with the demo's own config directory, so a
 * person's own clink config is never touched. A failing step stops the demo with its output.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'clink.js');

export interface StepResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export class Transcript {
  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly write: (text: string) => void = (t) => void process.stdout.write(t),
  ) {}

  heading(text: string): void {
    this.write(`\n## ${text}\n\n`);
  }

  note(text: string): void {
    this.write(`${text}\n`);
  }

  /** Runs `clink <args>` without showing it (polling between steps). */
  async quiet(args: string[]): Promise<StepResult> {
    return new Promise<StepResult>((resolve) => {
      execFile(process.execPath, [bin, ...args], { env: this.env, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
        resolve({ exitCode: error ? 1 : 0, stdout, stderr });
      });
    });
  }

  /** Runs `clink <args>`; shows it with `display` in place of args (to hide temp paths). */
  async clink(args: string[], options: { display?: string; expectExit?: number } = {}): Promise<StepResult> {
    this.write(`$ clink ${options.display ?? args.join(' ')}\n`);
    const result = await new Promise<StepResult>((resolve) => {
      execFile(process.execPath, [bin, ...args], { env: this.env, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
        const code = error && typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : error ? 1 : 0;
        resolve({ exitCode: code, stdout, stderr });
      });
    });
    this.write(result.stdout);
    if (result.stderr) this.write(result.stderr);
    const expected = options.expectExit ?? 0;
    if (result.exitCode !== expected) {
      throw new Error(`step "clink ${args.join(' ')}" exited with ${result.exitCode}, expected ${expected}`);
    }
    return result;
  }
}
