// Lab files (Ctrl+O): the labs shipped in labs/, the recent ones, a path to open or save to, and a download
// of the current lab for web mode, where the page cannot write files itself: one .yaml holding the whole
// lab (steps, checks, daemon scripts as edited, positions) that Open and `workbench lab validate` accept.

import type { WorkbenchApi } from '../../../main/host/api.js';
import { h } from '../dom.js';

const baseName = (p: string): string => p.split(/[\\/]/).pop() ?? p;

function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export class LabFilesDialog {
  private readonly overlay: HTMLElement;
  private readonly body = h('div', { class: 'labs-body' });
  private readonly message = h('div', { class: 'labs-message', role: 'status' });

  constructor(
    private readonly api: WorkbenchApi,
    /** Called after a lab was opened: the page starts over with it. */
    private readonly opened: () => void,
  ) {
    const close = h('button', { type: 'button', class: 'tool', id: 'labs-close' }, 'Close');
    close.addEventListener('click', () => this.close());
    const dialog = h('div', { class: 'help-dialog labs-dialog', role: 'dialog', 'aria-modal': 'true', 'aria-label': 'Lab files' }, h('h2', {}, 'Lab files'), this.body, this.message, close);
    this.overlay = h('div', { class: 'help-overlay', id: 'labs-overlay' }, dialog);
    this.overlay.hidden = true;
    this.overlay.addEventListener('click', (e) => {
      if (e.target === this.overlay) this.close();
    });
    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && !this.overlay.hidden) this.close();
    });
    document.body.append(this.overlay);
  }

  async show(): Promise<void> {
    const files = await this.api.listLabs();
    const path = h('input', { type: 'text', id: 'lab-path', class: 'lab-path', spellcheck: 'false', placeholder: '/home/me/labs/my-lab.yaml' });
    path.value = files.current ?? '';
    const fail = (e: unknown): void => {
      this.message.textContent = e instanceof Error ? e.message : String(e);
      this.message.classList.add('error');
    };
    const open = (file: string): void => void this.api.openLab({ file }).then(() => this.opened(), fail);
    const list = (title: string, items: string[]): HTMLElement => {
      const ul = h('ul', { class: 'lab-list' });
      for (const f of items) {
        const b = h('button', { type: 'button', class: 'tool', title: f }, baseName(f));
        b.addEventListener('click', () => open(f));
        ul.append(h('li', {}, b));
      }
      if (items.length === 0) ul.append(h('li', { class: 'hint' }, 'none yet'));
      return h('section', {}, h('h3', {}, title), ul);
    };
    const openBtn = h('button', { type: 'button', class: 'tool', id: 'lab-open' }, 'Open');
    openBtn.addEventListener('click', () => open(path.value.trim()));
    const saveBtn = h('button', { type: 'button', class: 'tool', id: 'lab-save' }, 'Save');
    saveBtn.addEventListener('click', () =>
      void this.api.saveLab({ file: path.value.trim() }).then((f) => {
        this.message.classList.remove('error');
        this.message.textContent = `Saved ${f.current} (and its .layout.json).`;
      }, fail),
    );
    const dl = h('button', { type: 'button', class: 'tool', id: 'lab-download', title: 'The whole lab as one .yaml file' }, 'Download');
    dl.addEventListener('click', () =>
      void this.api.exportLab().then((x) => {
        download(`${x.name}.yaml`, x.yaml, 'application/yaml');
        this.message.classList.remove('error');
        this.message.textContent = `Downloaded ${x.name}.yaml: the whole lab (steps, checks, daemon scripts, positions) in one file.`;
      }, fail),
    );
    // The desktop app has native dialogs (the preload's API); a browser page can only take a typed path.
    const native: HTMLElement[] = [];
    if (window.workbench) {
      for (const mode of ['open', 'save'] as const) {
        const b = h('button', { type: 'button', class: 'tool', id: `lab-${mode}-dialog` }, mode === 'open' ? 'Open…' : 'Save as…');
        b.addEventListener('click', () =>
          void this.api.pickLabFile({ mode, suggested: path.value.trim() || null }).then((file) => {
            if (!file) return;
            path.value = file;
            (mode === 'open' ? openBtn : saveBtn).click();
          }, fail),
        );
        native.push(b);
      }
    }
    this.message.textContent = '';
    this.body.replaceChildren(
      h('div', { class: 'lab-path-row' }, h('label', { for: path.id }, 'Lab file'), path, openBtn, saveBtn, ...native, dl),
      h('div', { class: 'lab-columns' }, list('Labs', files.labs), list('Recent', files.recent)),
    );
    this.overlay.hidden = false;
    path.focus();
  }

  close(): void {
    this.overlay.hidden = true;
  }
}
