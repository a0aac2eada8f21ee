// The side pane's tabs: node consoles, daemon scripts and the trace. The daemon pane (Monaco, a few MB) loads
// on first use, so the app opens as fast as before for students who only type commands.

import type { LabView, WorkbenchApi } from '../../main/host/api.js';
import { CounterStrip } from './counter-strip.js';
import type { DaemonPane } from './daemon-pane/daemon-pane.js';
import { TracePane } from './timeline/trace-pane.js';
import { GuidePane } from './guide/guide-pane.js';
import { JOURNEY_EVENT, type JourneyRequest } from './timeline/event-detail.js';
import { openJourney } from './timeline/sequence-chart.js';
import { installQueryTab, QueryPane } from './query/query-pane.js';

export type SideName = 'consoles' | 'daemons' | 'trace' | 'guide' | 'query';
const NAMES: SideName[] = ['consoles', 'daemons', 'trace', 'guide', 'query'];
const PANE_ID: Record<SideName, string> = { consoles: 'console-pane', daemons: 'daemon-pane', trace: 'trace-pane', guide: 'guide-pane', query: 'query-pane' };

export interface SideTabs {
  /** After anything that may have advanced simulated time: counters, daemon output, the trace. */
  refresh(): void;
  restyle(): void;
  show(which: SideName): void;
}

export function installSideTabs(lab: LabView, api: WorkbenchApi, changed: () => void, fail: (e: unknown) => void): SideTabs {
  const counters = new CounterStrip(document.getElementById('counter-strip')!, lab, api);
  let daemonPane: DaemonPane | null = null;
  let loadingDaemons: Promise<void> | null = null;
  let tracePane: TracePane | null = null;
  let guidePane: GuidePane | null = null;
  let queryPane: QueryPane | null = null;
  installQueryTab();
  let shown: SideName = 'consoles';

  const show = (which: SideName): void => {
    shown = which;
    for (const n of NAMES) {
      const on = n === which;
      document.getElementById(PANE_ID[n])!.hidden = !on;
      const tab = document.getElementById(`tab-${n}`)!;
      tab.classList.toggle('active', on);
      tab.setAttribute('aria-selected', String(on));
    }
    if (which === 'daemons' && !loadingDaemons) {
      loadingDaemons = import('./daemon-pane/daemon-pane.js').then(
        (m) => {
          daemonPane = new m.DaemonPane(document.getElementById('daemon-pane')!, lab, api, changed, fail);
        },
        (e: unknown) => fail(e),
      );
    }
    if (which === 'trace') {
      if (tracePane) tracePane.refresh();
      else tracePane = new TracePane(document.getElementById('trace-pane')!, api, fail);
    }
    if (which === 'guide') {
      if (guidePane) void guidePane.refresh();
      else guidePane = new GuidePane(document.getElementById('guide-pane')!, api, changed, fail);
    }
    if (which === 'query' && !queryPane) {
      // A seq in the results opens that event in the Trace tab.
      queryPane = new QueryPane(document.getElementById('query-pane')!, api, (seq) => {
        show('trace');
        tracePane?.selectSeq(seq).catch(fail);
      });
    }
  };
  for (const n of NAMES) document.getElementById(`tab-${n}`)!.addEventListener('click', () => show(n));
  document.addEventListener('keydown', (e) => {
    // Alt+1..5 switch panes from anywhere (the editor and the consoles keep Ctrl for themselves).
    const i = ['1', '2', '3', '4', '5'].indexOf(e.key);
    if (e.altKey && !e.ctrlKey && i >= 0) {
      e.preventDefault();
      show(NAMES[i]!);
    }
  });
  void counters.update().catch(fail);
  // The sequence chart opens over the trace pane, from the event detail's "Journey of this packet".
  const tracePaneEl = document.getElementById('trace-pane')!;
  tracePaneEl.addEventListener(JOURNEY_EVENT, (e) => {
    const { what, select } = (e as CustomEvent<JourneyRequest>).detail;
    openJourney(tracePaneEl, api, what, select).catch(fail);
  });
  // A lab with steps opens on its guide.
  api.getGuide().then((g) => {
    if (g.steps.length > 0 && shown === 'consoles') show('guide');
  }, fail);
  return {
    refresh: () => {
      counters.update().catch(fail);
      daemonPane?.refresh().catch(fail);
      if (shown === 'trace') tracePane?.refresh();
      if (shown === 'guide') void guidePane?.refresh();
    },
    restyle: () => daemonPane?.restyle(),
    show,
  };
}
