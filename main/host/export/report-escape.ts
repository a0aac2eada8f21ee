// HTML escaping for everything that comes from a run file (node names, payloads, check messages): text
// and attribute values alike, so a hostile name can neither close an element nor an attribute. C0
// control characters (not valid in HTML text) become U+FFFD.

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function esc(s: unknown): string {
  // eslint-disable-next-line no-control-regex
  return String(s).replace(/[&<>"']/g, (c) => ENTITIES[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '\ufffd');
}
