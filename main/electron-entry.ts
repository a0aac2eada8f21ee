// Entry of the Electron app (package.json "main"). Electron loads an ES-module entry asynchronously and
// only the side effects of the entry's *imports* are sure to run before the app's `ready` event
// (electronjs.org/docs/latest/tutorial/esm, "Caveats"). electron.ts registers the app:// scheme at module
// scope, which must happen before `ready`, so it is imported from here rather than being the entry itself.
import './electron.js';
