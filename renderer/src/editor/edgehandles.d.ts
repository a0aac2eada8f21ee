// Types for cytoscape-edgehandles 4 (it ships none): the parts the editor uses.
declare module 'cytoscape-edgehandles' {
  import type { Ext, NodeSingular } from 'cytoscape';

  export interface EdgeHandlesOptions {
    canConnect?(source: NodeSingular, target: NodeSingular): boolean;
    edgeParams?(source: NodeSingular, target: NodeSingular): object;
    hoverDelay?: number;
    snap?: boolean;
    snapThreshold?: number;
    snapFrequency?: number;
    noEdgeEventsInDraw?: boolean;
    disableBrowserGestures?: boolean;
  }

  export interface EdgeHandlesInstance {
    start(source: NodeSingular): void;
    stop(): void;
    enable(): void;
    disable(): void;
    enableDrawMode(): void;
    disableDrawMode(): void;
    destroy(): void;
  }

  const ext: Ext;
  export default ext;
}
