// The renderer build (`vite build renderer`): relative asset paths (`base: './'`) so the same dist works from
// app:// (Electron) and from web mode's http://127.0.0.1.
import { defineConfig } from 'vite';

export default defineConfig({
  base: './',
  worker: { format: 'es' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 8000,
  },
});
