// A terminal-like console on one node: prompt `root@NODE:~#`, output exactly as the tool printed it (stdout,
// stderr in another colour), history on ↑/↓, Tab completion from the host, `clear` and Ctrl+L. Ctrl+C
// (with nothing selected) is bash's: at the prompt it drops the line and gives a fresh prompt; while a
// command runs it interrupts it (the same Cancel as the status bar's) and `^C` shows where bash shows it.

import type { WorkbenchApi } from '../../main/host/api.js';
import { commonPrefix, History, withInterrupt } from './console-history.js';
import { runEvents } from './progress-events.js';
import { h } from './dom.js';

export class NodeConsole {
  readonly el: HTMLElement;
  private readonly out: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly history = new History();
  private busy = false;
  /** ^C was pressed while the current command ran. */
  private interrupted = false;

  constructor(
    readonly node: string,
    private readonly api: WorkbenchApi,
    private readonly afterCommand: () => void,
  ) {
    this.out = h('pre', { class: 'console-output', 'aria-live': 'polite' });
    this.input = h('input', { class: 'console-input', type: 'text', spellcheck: 'false', autocomplete: 'off', 'aria-label': `Command on ${node}` });
    this.el = h('div', { class: 'node-console', 'data-node': node }, this.out, h('div', { class: 'console-line' }, h('span', { class: 'prompt' }, this.prompt()), this.input));
    this.el.addEventListener('click', () => {
      if (!window.getSelection()?.toString()) this.input.focus();
    });
    this.input.addEventListener('keydown', (ev) => void this.onKey(ev));
  }

  focus(): void {
    this.input.focus();
  }

  private prompt(): string {
    return `root@${this.node}:~# `;
  }

  private write(text: string, cls: string): void {
    if (text === '') return;
    this.out.append(h('span', { class: cls }, text));
    this.out.scrollTop = this.out.scrollHeight;
  }

  private async onKey(ev: KeyboardEvent): Promise<void> {
    switch (ev.key) {
      case 'Enter':
        ev.preventDefault();
        return this.submit();
      case 'ArrowUp':
        ev.preventDefault();
        return this.setLine(this.history.up(this.input.value));
      case 'ArrowDown':
        ev.preventDefault();
        return this.setLine(this.history.down(this.input.value));
      case 'Tab':
        ev.preventDefault();
        return this.complete();
      case 'c':
      case 'C':
        if (ev.ctrlKey && !ev.altKey && !ev.metaKey && !this.hasSelection()) {
          ev.preventDefault();
          return this.interrupt();
        }
        return;
      case 'l':
        if (ev.ctrlKey) {
          ev.preventDefault();
          this.out.textContent = '';
        }
        return;
    }
  }

  /** Text selected in the input or the output: Ctrl+C then copies it, as in a terminal emulator. */
  private hasSelection(): boolean {
    const { selectionStart: a, selectionEnd: b } = this.input;
    return (a !== null && b !== null && a !== b) || !!window.getSelection()?.toString();
  }

  private async interrupt(): Promise<void> {
    if (!this.busy) {
      this.write(`${this.prompt()}${this.input.value}^C\n`, 'echo');
      this.input.value = '';
      this.history.discard();
      return;
    }
    if (this.interrupted) return;
    this.interrupted = true;
    this.el.classList.add('interrupting');
    await runEvents().cancel();
  }

  private setLine(s: string): void {
    this.input.value = s;
    this.input.setSelectionRange(s.length, s.length);
  }

  private async submit(): Promise<void> {
    if (this.busy) return;
    const line = this.input.value;
    this.input.value = '';
    this.history.add(line);
    this.write(`${this.prompt()}${line}\n`, 'echo');
    if (line.trim() === 'clear') {
      this.out.textContent = '';
      return;
    }
    if (line.trim() === '') return;
    this.busy = true;
    this.interrupted = false;
    this.el.classList.add('busy');
    try {
      const r = await this.api.runCommand({ node: this.node, line });
      this.write(this.interrupted ? withInterrupt(r.stdout) : r.stdout, 'stdout');
      this.write(r.stderr, 'stderr');
    } catch (e) {
      this.write(`workbench: ${e instanceof Error ? e.message : String(e)}\n`, 'stderr');
    } finally {
      this.busy = false;
      this.interrupted = false;
      this.el.classList.remove('busy', 'interrupting');
      this.input.focus();
      this.afterCommand();
    }
  }

  private async complete(): Promise<void> {
    const pos = this.input.selectionStart ?? this.input.value.length;
    const line = this.input.value.slice(0, pos);
    const rest = this.input.value.slice(pos);
    let r;
    try {
      r = await this.api.complete({ node: this.node, line });
    } catch {
      return;
    }
    if (r.candidates.length === 0) return;
    const word = r.candidates.length === 1 ? `${r.candidates[0]} ` : commonPrefix(r.candidates);
    if (r.candidates.length > 1 && word.length <= line.length - r.from) {
      // Ambiguous and nothing more to insert: list the choices, as bash does on a second Tab.
      this.write(`${this.prompt()}${line}\n${r.candidates.join('  ')}\n`, 'echo');
    }
    const next = line.slice(0, r.from) + word;
    this.input.value = next + rest;
    this.input.setSelectionRange(next.length, next.length);
  }
}
