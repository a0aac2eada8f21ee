// Notifier chains (kernel/notifier.c): later subsystems (fib, igmp, ipmr) subscribe to device and
// address events instead of the device code knowing about them.

export class NotifierChain<E> {
  private readonly blocks: Array<{ priority: number; fn: (ev: E) => void }> = [];

  /** register_*_notifier(): higher priority runs first; equal priorities in registration order. */
  register(fn: (ev: E) => void, priority = 0): void {
    const i = this.blocks.findIndex((b) => b.priority < priority);
    const block = { priority, fn };
    if (i < 0) this.blocks.push(block);
    else this.blocks.splice(i, 0, block);
  }

  unregister(fn: (ev: E) => void): void {
    const i = this.blocks.findIndex((b) => b.fn === fn);
    if (i >= 0) this.blocks.splice(i, 1);
  }

  /** call_*_notifiers() */
  call(ev: E): void {
    for (const b of [...this.blocks]) b.fn(ev);
  }
}
