// A lab's Markdown as DOM: marked renders it, DOMPurify removes anything active (scripts, event handlers,
// javascript: URLs, forms, styles) before it reaches the document. Lab files come from anywhere (a
// classmate, a download), so their text is treated as hostile.

import DOMPurify from 'dompurify';
import { Marked } from 'marked';

const markdown = new Marked({ gfm: true, breaks: false });

/** Tags a lab's instructions never need (images too: the CSP would block remote ones anyway); DOMPurify's
 * defaults already drop scripts and handlers. */
const FORBID_TAGS = ['style', 'form', 'input', 'button', 'textarea', 'select', 'option', 'iframe', 'frame', 'object', 'embed', 'link', 'meta', 'base', 'svg', 'math', 'video', 'audio', 'img'];

export function renderMarkdown(text: string): DocumentFragment {
  return sanitized(markdown.parse(text, { async: false }));
}

/** One line of Markdown (bold, code, links; no paragraphs or lists): the lab header's description. */
export function renderInlineMarkdown(text: string): DocumentFragment {
  return sanitized(markdown.parseInline(text, { async: false }));
}

function sanitized(html: string): DocumentFragment {
  const frag = DOMPurify.sanitize(html, { RETURN_DOM_FRAGMENT: true, FORBID_TAGS, FORBID_ATTR: ['style', 'id', 'name'] });
  // Links leave the app (a new window the host opens in the browser), never replace the workbench.
  for (const a of frag.querySelectorAll('a')) {
    const href = a.getAttribute('href') ?? '';
    if (!/^https?:\/\//i.test(href)) a.removeAttribute('href');
    else {
      a.setAttribute('target', '_blank');
      a.setAttribute('rel', 'noopener noreferrer');
    }
  }
  return frag;
}
