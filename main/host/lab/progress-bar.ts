// The progress of `workbench run` on a terminal: one line redrawn in place on stderr,
//   [########............]  step 3/8  t=12.0/30.0 s  Expiry
// by steps done and simulated time against the time the lab's waits add up to. Text written to the
// terminal clears the bar first and redraws it after, so output and bar never mix. Not on a terminal:
// nothing (the run prints its plain `[3/8] title` lines either way).

export interface BarIO {
  err(s: string): void;
}

export class ProgressBar {
  private step = 0;
  private title = '';
  private now = 0;
  private shown = false;

  constructor(
    private readonly io: BarIO,
    private readonly steps: number,
    private readonly planned: number,
    private readonly width = 24,
  ) {}

  /** The bar's text (for tests): the fraction is the mean of steps done and time passed. */
  render(): string {
    const byTime = this.planned > 0 ? Math.min(1, this.now / this.planned) : 1;
    const bySteps = this.steps > 0 ? this.step / this.steps : 1;
    const frac = this.planned > 0 ? (byTime + bySteps) / 2 : bySteps;
    const full = Math.round(frac * this.width);
    const secs = (ns: number): string => (ns / 1e9).toFixed(1);
    return `[${'#'.repeat(full)}${'.'.repeat(this.width - full)}] ${String(Math.floor(frac * 100)).padStart(3)}%  step ${Math.min(this.step + 1, this.steps)}/${this.steps}  t=${secs(this.now)}/${secs(this.planned)} s  ${this.title}`.slice(0, 100);
  }

  update(p: { step?: number; title?: string; now?: number }): void {
    if (p.step !== undefined) this.step = p.step;
    if (p.title !== undefined) this.title = p.title;
    if (p.now !== undefined) this.now = p.now;
    this.io.err(`\r\x1b[K${this.render()}`);
    this.shown = true;
  }

  /** Removes the bar (before other output, and at the end). */
  clear(): void {
    if (this.shown) this.io.err('\r\x1b[K');
    this.shown = false;
  }
}
