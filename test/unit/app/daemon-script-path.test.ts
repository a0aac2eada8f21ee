// A lab's own daemon (labs/15: r1 and r2 run daemons/pimdd.ts) is listed with the path the lab gave it; the
// daemon pane's Run sends that path back, and the host must accept it — but only that one: any other path
// from the renderer is refused (a later Save writes scripts under these names).

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiError, parseRequest } from '../../../main/host/api.js';
import { AppService } from '../../../main/host/app-service.js';
import { openLabFile } from '../../../main/host/lab/open-lab.js';

function service(): AppService {
  const r = openLabFile(join(import.meta.dirname, '..', '..', '..', 'labs', '15-dense-mode.yaml'));
  if (!r.ok) throw new Error('lab did not load');
  return new AppService(r.spec);
}

describe('daemon script names from the renderer', () => {
  it("restarts a lab daemon under the lab's own path, edited source and all", async () => {
    const s = service();
    const [r1] = (await s.listDaemons()).filter((d) => d.node === 'r1');
    expect(r1!.file).toMatch(/\/daemons\/pimdd\.ts$/);
    const req = parseRequest('startDaemon', { node: 'r1', file: r1!.file, source: r1!.source });
    const v = await s.startDaemon(req.arg as { node: string; file: string; source: string });
    expect(v).toMatchObject({ node: 'r1', file: r1!.file, state: 'running' });
  });

  it('refuses another path for that node, a path for a node without one, and path tricks', async () => {
    const s = service();
    const [r1] = (await s.listDaemons()).filter((d) => d.node === 'r1');
    const other = r1!.file.replace('pimdd.ts', 'smcroute.ts');
    await expect(s.startDaemon({ node: 'r1', file: other, source: r1!.source })).rejects.toThrow(/is not the script the lab gives r1/);
    await expect(s.saveDaemon({ node: 'h1', file: r1!.file, source: '' })).rejects.toThrow(ApiError);
    for (const file of ['../x.ts', 'a/../b.ts', 'a/./b.ts', 'a//b.ts', 'dir/', 'x.js', 'a\\b.ts', 'a\0.ts', `${'d/'.repeat(3000)}x.ts`]) {
      expect(() => parseRequest('saveDaemon', { node: 'r1', file, source: '' }), file).toThrow(/expected a script name/);
    }
    // A new script by bare name is fine, and so is a relative lab path without tricks.
    expect(() => parseRequest('saveDaemon', { node: 'r1', file: 'mine.ts', source: '' })).not.toThrow();
    expect(() => parseRequest('saveDaemon', { node: 'r1', file: 'daemons/mine.ts', source: '' })).not.toThrow();
  });
});
