import type { WorkbenchApi } from '../../main/host/api.js';

declare global {
  interface Window {
    /** Set by the Electron preload (contextBridge); absent in web mode. */
    workbench?: WorkbenchApi;
  }
}
