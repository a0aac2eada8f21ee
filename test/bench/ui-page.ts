// The in-page half of test/bench/ui.ts, as a script string (test files are type-checked without the DOM
// library, and the page's CSP forbids eval from the page itself; CDP evaluation is allowed). Installs
// window.__benchUi = { scrub(ms), select(n, minIndex, seed) } over the trace pane's DOM: rows are
// `.trace-list .trace-spacer > .trace-row` placed at `top: index × rowHeight` ('.pending' while its page
// is on its way), the state view is
// `.trace-state .state-body` with data-seq = the seq its state is after and data-loading.

/**
 * Installed before the app starts (page.addInitScript): timestamps each API request the page sends over
 * the web-mode WebSocket and its response (a listener added first, so before the app's own handler runs),
 * which splits a select's time into renderer before the request, round trip (transport + host), and
 * renderer after the response.
 */
export const WS_TIMING = String.raw`(() => {
  const calls = new Map();
  window.__benchCalls = calls;
  const Orig = window.WebSocket;
  window.WebSocket = class extends Orig {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (ev) => {
        try { const c = calls.get(JSON.parse(ev.data).id); if (c) c.got = performance.now(); } catch { /* not JSON */ }
      });
    }
    send(data) {
      try { const m = JSON.parse(data); if (m && m.method) calls.set(m.id, { method: m.method, sent: performance.now(), got: NaN }); } catch { /* not JSON */ }
      return super.send(data);
    }
  };
})()`;

export const IN_PAGE = String.raw`(() => {
  const list = () => document.querySelector('.trace-list');
  const spacer = () => list().querySelector('.trace-spacer');
  const rowHeight = () => spacer().querySelector('.trace-row')?.offsetHeight || 22;
  const total = () => Number((document.querySelector('.trace-count')?.textContent ?? '').replace(/\D/g, ''));
  const frame = () => new Promise((r) => requestAnimationFrame(r));
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const quantile = (xs, q) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : NaN; };

  /** A row's top in px, from its style attribute: the CSSOM (el.style.top) rounds large values to 6 digits. */
  const topOf = (el) => Number(/top:\s*([\d.]+)px/.exec(el.getAttribute('style') ?? '')?.[1] ?? NaN);

  /** Rows on screen cover the viewport for the current scroll position. */
  function filled() {
    const l = list();
    const rows = spacer().children;
    if (total() === 0) return true;
    const top = l.scrollTop;
    const end = Math.min(top + l.clientHeight, total() * rowHeight());
    let lo = Infinity, hi = -Infinity;
    for (const el of rows) {
      // Placeholders ('…' while a page is on its way) do not count: the rows must show events.
      if (el.classList.contains('pending')) continue;
      const t = topOf(el);
      if (t < lo) lo = t;
      if (t + el.offsetHeight > hi) hi = t + el.offsetHeight;
    }
    return lo <= top + 1 && hi >= end - 1;
  }

  /** f in [0, 1]: the scrubber's value or the list's scroll position at that fraction of its range. */
  function moveTo(f) {
    const s = document.querySelector('input.trace-scrubber');
    if (s) {
      const min = Number(s.min || 0), max = Number(s.max || 100);
      s.value = String(Math.round(min + f * (max - min)));
      s.dispatchEvent(new Event('input', { bubbles: true }));
      return;
    }
    const l = list();
    l.scrollTop = Math.round(f * (l.scrollHeight - l.clientHeight));
  }

  async function scrub(ms) {
    const via = document.querySelector('input.trace-scrubber') ? 'scrubber' : 'scroll';
    moveTo(0);
    await frame();
    await frame();
    const longs = [];
    const obs = new PerformanceObserver((l) => { for (const e of l.getEntries()) longs.push(e.duration); });
    obs.observe({ type: 'longtask' });
    const deltas = [];
    let filledFrames = 0, frames = 0;
    const calls = window.__benchCalls;
    calls?.clear();
    performance.mark('scrub-start');
    const start = performance.now();
    let last = start;
    await new Promise((done) => {
      const tick = (now) => {
        deltas.push(now - last);
        last = now;
        frames++;
        if (filled()) filledFrames++;
        const el = now - start;
        if (el >= ms) return done();
        // Down the whole range in the first half, back up in the second: a drag of the thumb end to end.
        const f = el < ms / 2 ? (2 * el) / ms : 2 - (2 * el) / ms;
        moveTo(Math.max(0, Math.min(1, f)));
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    // Stop at the middle of the range: the time until its rows show is what a user waits for after letting go.
    moveTo(0.5);
    const stop = performance.now();
    let settleMs = NaN;
    while (performance.now() - stop < 30000) {
      await frame();
      if (filled()) { settleMs = performance.now() - stop; break; }
    }
    performance.mark('scrub-end');
    performance.measure('scrub', 'scrub-start', 'scrub-end');
    await sleep(100);
    obs.disconnect();
    const d = deltas.slice(1);
    const pages = calls ? [...calls.values()].filter((c) => c.method === 'getTrace') : [];
    const trips = pages.map((c) => c.got - c.sent).filter((x) => x === x);
    return {
      frames, via,
      medianFps: 1000 / quantile(d, 0.5),
      p99FrameMs: quantile(d, 0.99),
      longTasks: longs.length,
      longTaskMs: longs.reduce((a, b) => a + b, 0),
      filledPct: (100 * filledFrames) / Math.max(1, frames),
      settleMs,
      pageRequests: pages.length,
      pageTripP50: quantile(trips, 0.5),
      pageTripP95: quantile(trips, 0.95),
    };
  }

  /** The row for position index: by its data-index (the pane's own geometry may scale positions), else by top. */
  function rowAt(index) {
    const h = rowHeight();
    for (const el of spacer().children) {
      if (el.classList.contains('pending')) continue;
      if (el.dataset.index !== undefined ? Number(el.dataset.index) === index : Math.round(topOf(el) / h) === index) return el;
    }
    return null;
  }

  async function until(cond, ms) {
    const end = performance.now() + ms;
    while (!cond()) { if (performance.now() > end) return false; await frame(); }
    return true;
  }

  /** mulberry32: the same rows every run. */
  function rand(seed) {
    let a = seed >>> 0;
    return () => { a = (a + 0x6d2b79f5) >>> 0; let t = Math.imul(a ^ (a >>> 15), 1 | a); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
  }

  /** Clicks the row at index and waits for the state view to show the state for its event. */
  async function selectOne(index, label, timeout) {
    const stateRoot = document.querySelector('.trace-state');
    const l = list();
    // Through the scrubber when there is one: past ~680k rows the pane maps scroll pixels to rows itself.
    const sc = document.querySelector('input.trace-scrubber');
    if (sc) {
      sc.value = String(index);
      sc.dispatchEvent(new Event('input', { bubbles: true }));
    } else l.scrollTop = Math.max(0, index * rowHeight() - l.clientHeight / 3);
    if (!(await until(() => rowAt(index) !== null, timeout))) return { ok: false, ms: NaN, why: 'row ' + index + ' never shown' };
    await sleep(150);
    const el = rowAt(index);
    const seq = Number(el.dataset.seq);
    const when = document.querySelector('.state-when')?.value ?? 'before';
    const want = String(when === 'after' ? seq : Math.max(0, seq - 1));
    const body = () => stateRoot.querySelector('.state-body');
    const shown = () => { const b = body(); return b && b.dataset.seq === want && b.dataset.loading === 'false'; };
    const error = () => { const b = body(); return b && b.dataset.loading === 'false' && b.querySelector('.state-error') !== null; };
    const calls = window.__benchCalls;
    calls?.clear();
    // Long animation frames (Chromium's LoAF) during the select: where a slow frame's time went.
    const loafs = [];
    const loafObs = PerformanceObserver.supportedEntryTypes.includes('long-animation-frame') ? new PerformanceObserver((l) => loafs.push(...l.getEntries())) : null;
    loafObs?.observe({ type: 'long-animation-frame' });
    performance.mark(label + '-start');
    const t0 = performance.now();
    el.click();
    let tShown = NaN;
    const ok = await new Promise((res) => {
      if (shown()) return res(true);
      const timer = setTimeout(() => { mo.disconnect(); res(false); }, timeout);
      const mo = new MutationObserver(() => {
        if (shown() || error()) { tShown = performance.now(); mo.disconnect(); clearTimeout(timer); res(shown()); }
      });
      mo.observe(stateRoot, { attributes: true, childList: true, subtree: true });
    });
    // What the user sees: the frame after the DOM change.
    await frame();
    const ms = performance.now() - t0;
    const req = calls ? [...calls.values()].find((c) => c.method === 'getStateAt') : undefined;
    await sleep(0);
    loafObs?.takeRecords().forEach((e) => loafs.push(e));
    loafObs?.disconnect();
    const inSelect = loafs.filter((e) => e.startTime + e.duration >= t0 && e.startTime <= t0 + ms);
    const loaf = inSelect.reduce((acc, e) => {
      const end = e.startTime + e.duration;
      acc.frames += 1;
      acc.ms += e.duration;
      acc.layout += e.styleAndLayoutStart ? end - e.styleAndLayoutStart : 0;
      acc.render += e.renderStart ? end - e.renderStart : 0;
      for (const sc of e.scripts ?? []) {
        acc.script += sc.duration;
        const k = (sc.invoker || sc.name || '?') + ' ' + (sc.sourceFunctionName || '');
        acc.by[k] = (acc.by[k] ?? 0) + sc.duration;
      }
      return acc;
    }, { frames: 0, ms: 0, layout: 0, render: 0, script: 0, by: {} });
    const split = req ? { before: req.sent - t0, trip: req.got - req.sent, after: tShown - req.got, frame: t0 + ms - tShown, loaf } : null;
    performance.mark(label + '-end');
    performance.measure('select→state', label + '-start', label + '-end');
    // Let the rest of the selection (the event's detail) arrive before the next click, as a reader would.
    await sleep(200);
    return { ok, ms, split, why: ok ? '' : '#' + seq + ': ' + (body()?.textContent ?? '').slice(0, 200) + ' after ' + Math.round(ms) + ' ms' };
  }

  /**
   * n rows at random from minIndex on, after one untimed warm-up select (its time is reported as cold:
   * it waits for the run's recording to be committed and builds the host's indexes once).
   */
  async function select(n, minIndex, seed) {
    const next = rand(seed);
    const pick = () => { const count = total(); return Math.min(count - 1, minIndex + Math.floor(next() * Math.max(1, count - minIndex))); };
    const cold = await selectOne(pick(), 'select-cold', 180000);
    const times = [];
    const splits = [];
    const errors = cold.ok ? [] : ['cold ' + cold.why];
    let failed = 0;
    for (let i = 0; i < n; i++) {
      const r = await selectOne(pick(), 'select-' + i, 20000);
      if (r.ok) {
        times.push(r.ms);
        if (r.split) splits.push(r.split);
      }
      else {
        failed++;
        if (errors.length < 3) errors.push(r.why);
      }
    }
    const med = (k) => quantile(splits.map((x) => x[k]), 0.5);
    const p95 = (k) => quantile(splits.map((x) => x[k]), 0.95);
    const split = { before: med('before'), trip: med('trip'), after: med('after'), frame: med('frame'), before95: p95('before'), trip95: p95('trip'), after95: p95('after'), frame95: p95('frame') };
    const loafTotals = splits.reduce((acc, x) => {
      acc.frames += x.loaf.frames; acc.ms += x.loaf.ms; acc.layout += x.loaf.layout; acc.render += x.loaf.render; acc.script += x.loaf.script;
      for (const [k, v] of Object.entries(x.loaf.by)) acc.by[k] = (acc.by[k] ?? 0) + v;
      return acc;
    }, { frames: 0, ms: 0, layout: 0, render: 0, script: 0, by: {} });
    const top = Object.entries(loafTotals.by).sort((a, b) => b[1] - a[1]).slice(0, 4).map(([k, v]) => k.trim() + ' ' + Math.round(v / Math.max(1, splits.length)) + ' ms');
    const loaf = { perSelect: loafTotals.ms / Math.max(1, splits.length), renderPerSelect: loafTotals.render / Math.max(1, splits.length), layoutPerSelect: loafTotals.layout / Math.max(1, splits.length), scriptPerSelect: loafTotals.script / Math.max(1, splits.length), top };
    return { n, failed, errors, split, loaf, coldMs: cold.ms, p50: quantile(times, 0.5), p95: quantile(times, 0.95), max: Math.max(...times) };
  }

  window.__benchUi = { scrub, select };
})()`;
