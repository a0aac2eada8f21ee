// Adds `cy.edgehandles()` to cytoscape's Core type (edgehandles.d.ts declares the extension itself).
import type { EdgeHandlesInstance, EdgeHandlesOptions } from 'cytoscape-edgehandles';

declare module 'cytoscape' {
  interface Core {
    edgehandles(opts?: EdgeHandlesOptions): EdgeHandlesInstance;
  }
}
