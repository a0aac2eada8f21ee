// A node start command that failed, as the CLI prints it: where it was written, the command, the tool's
// message (the session records file and line; a command's column is that of its list item or line).

import type { StartupError } from './session.js';

export function formatStartupError(e: StartupError): string {
  return `${e.file}:${e.line}: ${e.node}: ${e.command}\n  ${e.message.split('\n').join('\n  ')}`;
}
