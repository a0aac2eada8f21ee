// What a command run on a node returns: exactly what the Linux tool would print, and its exit code.

export interface CmdResult {
  rc: number;
  stdout: string;
  stderr: string;
}

export function ok(stdout = ''): CmdResult {
  return { rc: 0, stdout, stderr: '' };
}

export function fail(rc: number, stderr: string, stdout = ''): CmdResult {
  return { rc, stdout, stderr };
}

/** Accumulates output of a command that may print and fail part-way (like sysctl with several keys). */
export class Output {
  stdout = '';
  stderr = '';
  rc = 0;

  out(line: string): void {
    this.stdout += line.endsWith('\n') ? line : `${line}\n`;
  }

  err(line: string): void {
    this.stderr += line.endsWith('\n') ? line : `${line}\n`;
  }

  result(): CmdResult {
    return { rc: this.rc, stdout: this.stdout, stderr: this.stderr };
  }
}
