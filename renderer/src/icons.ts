// Node icons for the topology view, as SVG data URIs (CSP allows img-src data:). Drawn in one stroke colour
// chosen per theme.

function uri(svg: string): string {
  return `data:image/svg+xml;utf8,${encodeURIComponent(svg)}`;
}

/** A router: the classic circle with four arrows. */
export function routerIcon(color: string): string {
  return uri(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 48" fill="none" stroke="${color}" stroke-width="3" stroke-linecap="round" stroke-linejoin="round">
<path d="M24 6v13M24 6l-4 4M24 6l4 4M24 42V29M24 42l-4-4M24 42l4-4M6 24h13M6 24l4-4M6 24l4 4M42 24H29M42 24l-4-4M42 24l-4 4"/></svg>`);
}

/** A host: a monitor on a stand. */
export function hostIcon(color: string): string {
  return uri(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 48" fill="none" stroke="${color}" stroke-width="3" stroke-linejoin="round">
<rect x="7" y="9" width="34" height="22" rx="2"/><path d="M24 31v7M15 39h18"/></svg>`);
}

/** A LAN segment: a bus with taps. */
export function segmentIcon(color: string): string {
  return uri(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 16" fill="none" stroke="${color}" stroke-width="2.5" stroke-linecap="round">
<path d="M3 8h42M12 8V3M24 8V3M36 8V3"/></svg>`);
}
