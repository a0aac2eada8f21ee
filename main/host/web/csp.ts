// The renderer's Content-Security-Policy as a header (web mode and the app:// scheme): the same policy as the
// index.html meta, plus what only a header can say (frame-ancestors).

export const RENDERER_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
  "connect-src 'self'; worker-src 'self' blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
