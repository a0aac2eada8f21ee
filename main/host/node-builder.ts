// Builds a Network from node scripts: one namespace per script (named after the file, "r1.startup" → r1)
// plus empty namespaces asked for by name, then runs each script in order.

import { basename } from 'node:path';
import { Network } from '../../engine/net/network.js';
import { runScript, type ScriptError } from '../../engine/iproute2/startup.js';

export interface NodeScript {
  file: string;
  text: string;
}

export interface BuiltNetwork {
  net: Network;
  /** Node names in the order they were created. */
  nodes: string[];
  errors: ScriptError[];
}

export function nodeNameOf(file: string): string {
  return basename(file).replace(/\.(startup|sh|txt)$/, '');
}

export function buildFromScripts(scripts: NodeScript[], extraNamespaces: string[], seed: number): BuiltNetwork {
  const net = new Network({ seed });
  const nodes: string[] = [];
  for (const s of scripts) {
    const name = nodeNameOf(s.file);
    net.addNode(name);
    nodes.push(name);
  }
  for (const n of extraNamespaces) {
    if (!net.nodes.has(n)) {
      net.addNode(n);
      nodes.push(n);
    }
  }
  const errors: ScriptError[] = [];
  for (const s of scripts) errors.push(...runScript(net.node(nodeNameOf(s.file)), s.text, s.file).errors);
  return { net, nodes, errors };
}
