// A recorded run to a pcapng file: section header, the interfaces (one per device packets were seen
// on), then every packet record in id order (which is time order: the engine records as it goes).

import type { RunReader } from '../store/run-reader.js';
import type { Output } from './output.js';
import { enhancedPacketBlock, interfaceDescriptionBlock, interfaceFor, runComment, sectionHeaderBlock } from './pcapng.js';

export async function exportPcapng(reader: RunReader, out: Output, userappl: string): Promise<{ interfaces: number; packets: number }> {
  const info = await reader.info();
  await out.write(sectionHeaderBlock(userappl, runComment(info)));
  const devices = await reader.devices();
  const ifaceOf = new Map<number, number>();
  for (const d of devices) {
    const i = interfaceFor(d);
    ifaceOf.set(d.id, ifaceOf.size);
    await out.write(interfaceDescriptionBlock(i.name, i.description, i.comment));
  }
  let packets = 0;
  for await (const page of reader.packetPages()) {
    const blocks = page.map((p) => enhancedPacketBlock(ifaceOf.get(p.devId)!, p.t, p.bytes, p.id));
    await out.write(Buffer.concat(blocks));
    packets += page.length;
  }
  return { interfaces: devices.length, packets };
}
