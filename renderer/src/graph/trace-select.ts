// The event the Trace tab dispatches on window whenever its selection changes: the graph highlights the
// selected event's causal chain and animates its packet's path. An empty chainNodes clears the graph.

export const TRACE_SELECT = 'workbench:trace-select';

export interface TraceSelectDetail {
  seq: number;
  node: string;
  /** The packet the event concerns, if any: its journey is animated. */
  pkt?: number;
  /** Node names of the selected event's causal chain: its ancestors' nodes, then the event's node. */
  chainNodes: string[];
}

/** The detail if `e` carries a well-formed one (the event crosses module boundaries untyped). */
export function traceSelectDetail(e: Event): TraceSelectDetail | null {
  const d = (e as CustomEvent<unknown>).detail as Partial<TraceSelectDetail> | null | undefined;
  if (!d || typeof d !== 'object' || !Array.isArray(d.chainNodes)) return null;
  return {
    seq: typeof d.seq === 'number' ? d.seq : 0,
    node: typeof d.node === 'string' ? d.node : '',
    ...(typeof d.pkt === 'number' ? { pkt: d.pkt } : {}),
    chainNodes: d.chainNodes.filter((n): n is string => typeof n === 'string'),
  };
}
